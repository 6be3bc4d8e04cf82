import { spawn } from 'node:child_process';
import { Attribute, Change } from 'ldapts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../common/protocol/errors.ts';
import { personDn, type Slapd, slapdMissing, startSlapd, writeDirectorySettings } from '../helpers/slapd.ts';
import { hubBundle, startHub, storeEnvOf, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

// Under CI a missing slapd fails the file (with the apt command); on a developer's machine it skips.
const missing = slapdMissing();
if (missing && process.env.CI === 'true') throw new Error(missing);

/** Runs `beseda-hub ARGS --data DIR` (through the running hub's admin socket); resolves its exit code and output. */
function cli(dataDir: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return cliWith({}, dataDir, ...args);
}

/** {@link cli} with extra environment variables (BESEDA_DIRECTORY_CONFIG for a stopped hub's folder). */
function cliWith(
  env: Record<string, string>,
  dataDir: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return storeEnvOf(dataDir).then(
    (store) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [hubBundle, ...args, '--data', dataDir], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, ...store, ...env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      }),
  );
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(missing !== undefined)('a hub started with --directory (real process, real slapd)', () => {
  let slapd: Slapd;
  let hub: TestHub | undefined;
  beforeEach(async () => {
    slapd = await startSlapd();
  }, 60_000);
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
    await slapd?.close();
  });

  it('signs in over HTTP with CORP\\login; `directory sync` disables a person disabled in the directory and closes their socket at once', async () => {
    hub = await startHub({ args: ['--directory', writeDirectorySettings(slapd)] });
    const { token, user } = await hub.login('CORP\\petrova', 'petrova-Directory-1');
    expect(user).toMatchObject({ login: 'petrova', name: 'Анна Петрова' });
    const socket = await TestSocket.open(hub.wsUrl, token);

    const check = await cli(hub.dataDir, 'directory', 'check', 'petrova@corp.local');
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(personDn('petrova', 'Kazan'));
    expect(check.stdout).toMatch(/account: +petrova, signs in with the directory password/);

    const root = await slapd.rootClient();
    await root.modify(personDn('petrova', 'Kazan'), [
      new Change({ operation: 'replace', modification: new Attribute({ type: 'employeeType', values: ['disabled'] }) }),
    ]);
    await root.unbind();

    const dry = await cli(hub.dataDir, 'directory', 'sync', '--dry-run');
    expect(dry.stdout).toMatch(/would update +petrova +disabled/);
    expect(dry.stdout).toMatch(/dry run, nothing changed/);
    // The dry run left her connected: the socket still answers.
    await expect(socket.request('conversations.list')).resolves.toBeDefined();

    const real = await cli(hub.dataDir, 'directory', 'sync');
    expect(real.stdout, real.stdout).toMatch(/update +petrova +disabled/);
    expect(real.stdout, real.stdout).toMatch(/directory sync made: 3 created, 1 updated, 1 disabled/);
    expect(real.status).toBe(0);
    expect((await socket.closed).code).toBe(CloseCode.AccountDisabled);
    await expect(hub.login('petrova', 'petrova-Directory-1')).rejects.toMatchObject({ status: 403 });
    // The CLI's sync is audited with all its counts; `directory check` only reads and is not.
    const audit = (await hub.admin_('audit.list', { limit: 100 })) as {
      entries: { action: string; detail: Record<string, unknown> }[];
    };
    const synced = audit.entries.filter((e) => e.action === 'directory.sync');
    expect(synced).toHaveLength(1);
    expect(synced[0]!.detail).toMatchObject({ created: 3, updated: 1, disabled: 1 });
    expect(audit.entries.some((e) => e.action === 'directory.check')).toBe(false);
  });

  it('`directory check` and `directory sync` work on a stopped hub’s folder with the configuration’s settings file', async () => {
    const settings = writeDirectorySettings(slapd);
    hub = await startHub({ args: ['--directory', settings] });
    const dataDir = hub.dataDir;
    await hub.stop();
    hub = undefined;
    const env = { BESEDA_DIRECTORY_CONFIG: settings };
    const check = await cliWith(env, dataDir, 'directory', 'check', 'CORP\\petrova');
    expect(check.status, check.stderr).toBe(0);
    expect(check.stderr).toMatch(/opened directly/);
    const sync = await cliWith(env, dataDir, 'directory', 'sync');
    expect(sync.status, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/directory sync made: \d+ created/);
  });

  it('runs the sync every syncEvery by itself, and a directory that does not answer gives 503 while local accounts sign in', async () => {
    hub = await startHub({
      args: ['--directory', writeDirectorySettings(slapd, { syncEvery: '1s', timeoutMs: 2000 })],
    });
    const admin = hub.admin!;
    // Nobody signed in: the scheduled sync created the directory's people, and said so in the audit log.
    const audited = async () =>
      (
        (await hub!.admin_('audit.list', { action: 'directory.sync' })) as {
          entries: { actor: string; detail: Record<string, unknown> }[];
        }
      ).entries;
    await until(async () => (await audited()).length > 0, 'the scheduled directory sync');
    const entries = await audited();
    expect(entries[entries.length - 1]).toMatchObject({ actor: 'hub:schedule', detail: { created: 4, disabled: 0 } });
    const { users } = (await hub.admin_('user.list', {})) as { users: { login: string }[] };
    expect(users.map((u) => u.login)).toEqual(expect.arrayContaining(['ivanov', 'petrova', 'smirnov', 'boss']));
    await slapd.stop();
    await expect(hub.login('ivanov', 'ivanov-Directory-1')).rejects.toMatchObject({ status: 503 });
    await expect(hub.login(admin.login, admin.password)).resolves.toMatchObject({ user: { login: admin.login } });
    await slapd.start();
  });

  it('refuses to start with a settings file that would send passwords in the clear', async () => {
    const file = writeDirectorySettings(slapd, { startTls: false });
    await expect(startHub({ args: ['--directory', file] })).rejects.toThrow(/in the clear/);
  });
});
