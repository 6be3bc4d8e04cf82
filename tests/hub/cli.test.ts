import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

/** Runs `beseda-hub …` as IT would, with optional standard input. */
function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [hubBundle, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    timeout: 20_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('admin CLI with the hub stopped (opens the data folder itself)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-cli-'));
  it('adds a user with a password from standard input, and one with a generated password', () => {
    const piped = cli(
      ['user', 'add', 'kuznetsova', '--name', 'Мария Кузнецова', '--data', dir, '--create'],
      'S3cret-pass-123\n',
    );
    expect(piped.code, piped.err).toBe(0);
    expect(piped.out).toMatch(/Created user kuznetsova \(Мария Кузнецова\)/);
    expect(piped.out).not.toMatch(/Password/);
    const generated = cli(['user', 'add', 'smirnov', '--name', 'Сергей Смирнов', '--data', dir], '');
    expect(generated.code, generated.err).toBe(0);
    expect(generated.out).toMatch(/Password \(shown only this once\): \S{16,}/);
  });

  it('lists, disables and enables users; refuses bad input with one clear line', () => {
    expect(cli(['user', 'disable', 'smirnov', '--data', dir]).code).toBe(0);
    const list = cli(['user', 'list', '--data', dir]);
    expect(list.out).toMatch(/smirnov\s+Сергей Смирнов\s+user\s+disabled/);
    expect(list.out).toMatch(/kuznetsova .*active/);
    expect(cli(['user', 'enable', 'smirnov', '--data', dir]).code).toBe(0);
    const dup = cli(['user', 'add', 'smirnov', '--name', 'X', '--data', dir], 'another-pass-1\n');
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/^data: .*beseda\.db \(opened directly\)\nerror \(conflict\): /);
    const noName = cli(['user', 'add', 'x1', '--data', dir]);
    expect(noName.code).toBe(1);
    expect(noName.err).toMatch(/--name/);
    // Refused by the parser before anything runs (exit 2, was 1 from loadConfig), with a hint.
    const badFlag = cli(['serve', '--prot', '1', '--data', dir]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toMatch(/unknown option --prot for "serve" — did you mean --port\?/);
    expect(cli(['frobnicate']).code).toBe(2);
  });
});

describe('admin CLI with the hub running (through its admin socket)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.stop();
  });

  it('adds a user the running hub sees at once, and `user passwd` ends their sessions', async () => {
    const add = cli(['user', 'add', 'volkov', '--name', 'Волков', '--data', hub.dataDir], 'first-pass-1234\n');
    expect(add.code, add.err).toBe(0);
    const { token } = await hub.login('volkov', 'first-pass-1234');
    const s = await TestSocket.open(hub.wsUrl, token);
    expect(s.hello.conversations.some((c) => c.kind === 'general')).toBe(true);
    const closed = s.closed;
    expect(cli(['user', 'passwd', 'volkov', '--data', hub.dataDir], 'second-pass-1234\n').code).toBe(0);
    expect((await closed).code).toBe(4101);
    await expect(hub.login('volkov', 'first-pass-1234')).rejects.toMatchObject({ status: 401 });
    await hub.login('volkov', 'second-pass-1234');
  });

  it('the admin socket answers a name outside the command table, even one every object has, with unknown_type', async () => {
    for (const name of ['frobnicate', 'constructor', 'toString', '__proto__'])
      await expect(hub.admin_(name, {}), name).rejects.toMatchObject({ code: 'unknown_type' });
    // Still serving admin commands.
    expect(await hub.admin_('user.list', {})).toMatchObject({ users: expect.any(Array) });
  });

  it('refuses to start a second hub on the same data folder', () => {
    const second = cli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', hub.dataDir]);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/already using/);
  });
});
