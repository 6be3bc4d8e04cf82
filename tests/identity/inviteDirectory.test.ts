// Invitations and initial passwords are refused for directory accounts (users.auth_source =
// 'directory'): they sign in with their Windows password, so a link or a password set here would
// never be asked for. The directory flag is set straight in the database, as directory sync leaves it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { runStoredSql } from '../helpers/storedSql.ts';

let hub: TestHub;
let adminSocket: TestSocket;
beforeAll(async () => {
  hub = await startHub();
  const a = await hub.addUser('anna', 'Анна Админова', { admin: true });
  adminSocket = await TestSocket.open(hub.wsUrl, (await hub.login('anna', a.password)).token);
  await hub.admin_('user.add', { login: 'volkov', name: 'Сергей Волков', admin: false, branch: null });
  await hub.admin_('user.add', { login: 'zaitseva', name: 'Ольга Зайцева', admin: false, branch: null });
  await hub.admin_('user.add', { login: 'local', name: 'Местный Пользователь', admin: false, branch: null });
  await runStoredSql(hub.dataDir, "UPDATE users SET auth_source = 'directory' WHERE login IN ('volkov', 'zaitseva')");
  await hub.admin_('user.disable', { login: 'zaitseva' });
}, 60_000);
afterAll(async () => {
  adminSocket?.close();
  await hub.stop();
});

/** `beseda-hub …` on the running hub's data folder, as IT runs it. */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [hubBundle, ...args, '--data', hub.dataDir], {
    encoding: 'utf8',
    env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noInvitation = /signs in with the directory \(Windows\) password; no invitation needed/;

describe('no invitations or initial passwords for directory accounts', () => {
  it('beseda-hub user invite refuses a directory account with a clear message; a local account gets its link', () => {
    const refused = cli(['user', 'invite', 'volkov']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/volkov signs in with the directory \(Windows\) password; no invitation needed/);
    expect(refused.out).not.toMatch(/\/invite\//);
    // Disabled by the directory: still the directory's message, not "enable it first".
    const disabled = cli(['user', 'invite', 'zaitseva']);
    expect(disabled.code).not.toBe(0);
    expect(disabled.err).toMatch(noInvitation);

    const local = cli(['user', 'invite', 'local']);
    expect(local.code, local.err).toBe(0);
    expect(local.out).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
  });

  it('the console’s user.invite (the admin request) is refused the same way', async () => {
    await expect(
      adminSocket.request('admin', { command: 'user.invite', args: { login: 'volkov' } }),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(noInvitation) });
  });

  it('bulk onboarding skips them by the same rule, and no initial password can be set', async () => {
    const csvFile = path.join(hub.dataDir, 'people.csv');
    writeFileSync(csvFile, 'login;name\nvolkov;Сергей Волков\nnovikov;Денис Новиков\n');
    const invited = cli(['user', 'import', csvFile, '--invite']);
    expect(invited.code, invited.err).toBe(0);
    expect(invited.out).toMatch(/novikov;Денис Новиков;\/invite\//);
    expect(invited.out).not.toMatch(/volkov/);
    const passwords = cli(['user', 'import', csvFile, '--passwords']);
    expect(passwords.code, passwords.err).toBe(0);
    expect(passwords.out).not.toMatch(/volkov/);
    await expect(hub.admin_('user.passwd', { login: 'volkov' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/directory/),
    });
  });
});
