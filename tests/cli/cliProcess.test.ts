// The real `beseda-hub` process: a refused command line changes nothing (no database opened or
// created, no account or bot made), --version and --help answer, and a data folder that does not
// exist is named with the fix (serve creates it only where its parent exists).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [hubBundle, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const temp = () => mkdtempSync(path.join(os.tmpdir(), 'beseda-cli-proc-'));
const hubs: TestHub[] = [];
afterAll(async () => {
  for (const hub of hubs) await hub.stop();
});

describe('beseda-hub refuses a mistyped command line before doing anything', () => {
  it("refuses the issue's examples with a hint, exit 2, and creates nothing", () => {
    const dir = temp();
    const bot = cli(['bot', 'add', 'erp', '--embedd', '--data', dir, '--create']);
    expect(bot.code).toBe(2);
    expect(bot.err).toMatch(/^unknown option --embedd for "bot add" — did you mean --embed\?/);
    const user = cli(
      ['user', 'add', 'x', '--bogus-flag', '1', '--name', 'X', '--data', dir, '--create'],
      'pass-12345678\n',
    );
    expect(user.code).toBe(2);
    expect(user.err).toMatch(/^unknown option --bogus-flag for "user add"/);
    // Nothing was opened: no "data: …" line, no database.
    expect(bot.err + user.err).not.toMatch(/^data: /m);
    expect(readdirSync(dir)).toEqual([]);
    const typo = cli(['user', 'lst', '--data', dir]);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/did you mean "user list"\?/);
  });

  it('the same line without the typo does run', () => {
    const dir = temp();
    const ok = cli(['bot', 'add', 'erp', '--embed', '--data', dir, '--create']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/Created bot erp .*rights: post,embed/);
  });
});

describe('--version and --help', () => {
  it("prints package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const args of [['--version'], ['version']]) {
      const r = cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`beseda-hub ${pkg.version}\n`);
    }
  });

  it('prints the overview and per-command help on stdout (exit 0), the overview on stderr with no command (exit 2)', () => {
    const overview = cli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.out).toMatch(/^ {2}room archive NAME\|ID +Archives a room/m);
    const serve = cli(['serve', '--help']);
    expect(serve.code).toBe(0);
    expect(serve.out).toMatch(/^ {2}--frame-ancestors URL\[,…\] …/m);
    expect(serve.out).toMatch(/^ {2}--scrypt-n N +scrypt cost/m);
    const none = cli([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^Commands:/m);
  });
});

describe('a data folder that does not exist', () => {
  it('is named by admin commands with the fix; --create makes it where its parent exists', () => {
    const parent = temp();
    const missing = path.join(parent, 'typo');
    const r = cli(['user', 'list', '--data', missing]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the data folder ${missing} does not exist`);
    expect(r.err).toMatch(/--data DIR \(or BESEDA_DATA\).*add --create/);
    expect(existsSync(missing)).toBe(false);
    const deeper = path.join(parent, 'no', 'such');
    const d = cli(['user', 'list', '--data', deeper, '--create']);
    expect(d.code).toBe(1);
    expect(d.err).toContain(`nor does ${path.dirname(deeper)}`);
    expect(existsSync(path.dirname(deeper))).toBe(false);
    const created = cli(
      ['user', 'add', 'ivanov', '--name', 'Иван', '--data', missing, '--create'],
      'S3cret-pass-123\n',
    );
    expect(created.code, created.err).toBe(0);
    expect(statSync(missing).mode & 0o777).toBe(0o700);
  });

  it('serve refuses one whose parent is missing too, and creates one whose parent exists', async () => {
    const parent = temp();
    const deeper = path.join(parent, 'no', 'data');
    const refused = cli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', deeper]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`the data folder ${deeper} does not exist, nor does ${path.dirname(deeper)}`);
    expect(refused.err).toContain(`mkdir -p ${path.dirname(deeper)}`);
    expect(existsSync(path.dirname(deeper))).toBe(false);

    const fresh = path.join(parent, 'data');
    const hub = await startHub({ dataDir: fresh });
    hubs.push(hub);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(fresh, 'beseda.db'))).toBe(true);
  }, 120_000);
});
