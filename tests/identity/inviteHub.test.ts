import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.stop();
});

const post = (p: string, body: unknown) =>
  fetch(`${hub.url}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
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

const chosen = 'синий кит плывёт домой';

describe('invitations on a running hub', () => {
  it('user invite prints a link once; the link opens the web client with the code in the fragment; redeeming signs in, once', async () => {
    await hub.addUser('morozova', 'Елена Морозова');
    const made = cli(['user', 'invite', 'morozova', '--url', 'https://chat.corp.local', '--valid', '72h']);
    expect(made.code, made.err).toBe(0);
    const link = /https:\/\/chat\.corp\.local\/invite\/([A-Za-z0-9_-]{43})/.exec(made.out);
    expect(link, made.out).not.toBeNull();
    const code = link![1]!;

    const page = await fetch(`${hub.url}/invite/${code}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`../#invite=${code}`);

    const check = await post('/api/v1/invitations/check', { code });
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ login: 'morozova', name: 'Елена Морозова' });

    const weak = await post('/api/v1/invitations/redeem', { code, password: 'qwertyuiop' });
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({
      error: { code: 'weak_password', message: expect.stringMatching(/^common:/) },
    });

    const ok = await post('/api/v1/invitations/redeem', { code, password: chosen });
    expect(ok.status).toBe(200);
    const { token, user } = (await ok.json()) as { token: string; user: { login: string } };
    expect(user.login).toBe('morozova');
    const socket = await TestSocket.open(hub.wsUrl, token);
    expect(socket.hello.me.login).toBe('morozova');
    socket.close();

    // Single use: the same code again gets the one clear message.
    const again = await post('/api/v1/invitations/redeem', { code, password: 'другой пароль совсем' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({
      error: { code: 'not_found', message: expect.stringMatching(/not valid/) },
    });
    // The password chosen works for a normal sign-in.
    expect((await hub.login('morozova', chosen)).user.login).toBe('morozova');
    // The audit log has the invitation (by the CLI) and the redemption, without codes.
    const audit = cli(['audit', '--csv']);
    expect(audit.out).toMatch(/user\.invite/);
    expect(audit.out).toMatch(/invitation\.redeem/);
    expect(audit.out).not.toContain(code);
  });

  it('refuses unknown and malformed codes with the same message, and throttles guessing', async () => {
    const unknown = await post('/api/v1/invitations/redeem', { code: 'A'.repeat(43), password: chosen });
    expect(unknown.status).toBe(404);
    const malformed = await post('/api/v1/invitations/redeem', { code: 'nope', password: chosen });
    expect(malformed.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      ((await malformed.json()) as { error: { message: string } }).error.message,
    );
    let throttled = false;
    for (let i = 0; i < 12 && !throttled; i++) {
      const res = await post('/api/v1/invitations/redeem', { code: `${'B'.repeat(40)}${i}xx`, password: chosen });
      throttled = res.status === 429;
    }
    expect(throttled).toBe(true);
  });

  it('user import --passwords writes initial passwords; the first sign-in must change it before any session', async () => {
    const csvFile = path.join(hub.dataDir, 'people.csv');
    writeFileSync(csvFile, 'login;name;branch\nsokolov;Дмитрий Соколов;Тверь\nlebedeva;Ирина Лебедева;Тверь\n');
    const imported = cli(['user', 'import', csvFile, '--passwords']);
    expect(imported.code, imported.err).toBe(0);
    const row = /sokolov;Дмитрий Соколов;([A-Za-z0-9]{16})\r\n/.exec(imported.out);
    expect(row, imported.out).not.toBeNull();
    const initial = row![1]!;

    const first = await post('/api/v1/login', { login: 'sokolov', password: initial });
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { mustChangePassword?: boolean; changeCode?: string; token?: string };
    expect(answer.mustChangePassword).toBe(true);
    expect(answer.token).toBeUndefined();
    // The initial password opens nothing but the change.
    const me = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${answer.changeCode}` } });
    expect(me.status).toBe(401);

    const changed = await post('/api/v1/invitations/redeem', { code: answer.changeCode, password: chosen });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toHaveProperty('token');
    // From now on a normal sign-in; the initial password is gone.
    expect((await hub.login('sokolov', chosen)).token).toBeTruthy();
    const old = await post('/api/v1/login', { login: 'sokolov', password: initial });
    expect(old.status).toBe(401);

    // Importing the file again does not reset someone who has signed in.
    const again = cli(['user', 'import', csvFile, '--invite']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).not.toMatch(/sokolov/);
    // Standard output is the CSV alone (the import report is on stderr), so `> links.csv` is a clean file.
    expect(again.out.startsWith('\ufefflogin;name;link;expires_utc\r\n')).toBe(true);
    expect(again.err).toMatch(/Imported people.csv/);
    expect(again.out).toMatch(/lebedeva;Ирина Лебедева;\/invite\/[A-Za-z0-9_-]{43};/);
  });

  it('user passwd holds a typed password to the policy', () => {
    const r = spawnSync(process.execPath, [hubBundle, 'user', 'passwd', 'morozova', '--data', hub.dataDir], {
      input: 'password123\n',
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/most common passwords/);
  });
});
