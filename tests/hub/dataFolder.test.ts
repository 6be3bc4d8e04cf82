import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { onPostgresStore } from '../helpers/postgres.ts';

/** Runs `beseda-hub …` as IT would, with optional standard input. */
function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [hubBundle, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const mode = (file: string) => statSync(file).mode & 0o777;
const tempDir = (name: string) => mkdtempSync(path.join(os.tmpdir(), `beseda-${name}-`));
const hubs: TestHub[] = [];
afterAll(async () => {
  for (const h of hubs) if (h.process.exitCode === null && h.process.signalCode === null) await h.stop();
});

// SQLite only: the database, -wal and -shm files' modes (PostgreSQL's files are its server's).
describe.skipIf(onPostgresStore)('data folder permissions (the process umask is 022, as on a default system)', () => {
  let hub: TestHub;
  let dataDir: string;
  const umask = process.umask(0o022); // the hub inherits it
  afterAll(() => {
    process.umask(umask);
  });
  beforeAll(async () => {
    dataDir = path.join(tempDir('perm'), 'data'); // the hub creates it
    hub = await startHub({ dataDir });
    hubs.push(hub);
  });

  it('keeps the folder 0700 and the database, -wal, -shm, lock and backups 0600', async () => {
    await hub.addUser('ivanov', 'Иван Иванов'); // a write: the WAL has content
    expect(mode(dataDir)).toBe(0o700);
    for (const name of ['beseda.db', 'beseda.db-wal', 'beseda.db-shm', 'hub.lock', 'initial-admin-password.txt'])
      expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
    const backups = tempDir('perm-backups');
    await hub.admin_('backup', { file: path.join(backups, 'admin.db') });
    const viaCli = cli(['backup', path.join(backups, 'cli.db'), '--data', dataDir]);
    expect(viaCli.code, viaCli.err).toBe(0);
    expect(mode(path.join(backups, 'admin.db'))).toBe(0o600);
    expect(mode(path.join(backups, 'cli.db'))).toBe(0o600);
  });

  it('warns (log line and stderr) about a folder others can enter, and narrows files an older hub left 0644', async () => {
    expect(await hub.stop()).toBe(0);
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'beseda.db'), 0o644);
    const mark = hub.output.length;
    await hub.restart();
    const output = hub.output.slice(mark).join('\n');
    expect(output).toContain(`warning: the data folder ${dataDir} can be entered by other local users (mode 755)`);
    expect(output).toContain(`chmod 700 ${dataDir}`);
    const warnLine = hub.output
      .slice(mark)
      .map((l) => {
        try {
          return JSON.parse(l) as { level: number; msg: string };
        } catch {
          return null;
        }
      })
      .find((l) => l?.msg.includes('can be entered by other local users'));
    expect(warnLine?.level).toBe(40);
    expect(mode(path.join(dataDir, 'beseda.db'))).toBe(0o600);
    expect(mode(path.join(dataDir, 'beseda.db-wal'))).toBe(0o600);
    chmodSync(dataDir, 0o700);
  });
});

describe('the first administrator', () => {
  it('has its password in a 0600 file, not on a piped stdout or stderr (logs, journal)', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const file = path.join(hub.dataDir, 'initial-admin-password.txt');
    expect(mode(file)).toBe(0o600);
    const password = /^password: (\S+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
    expect(password).toMatch(/^\S{16,}$/);
    await hub.login('admin', password!);
    const output = hub.output.join('\n');
    expect(output).not.toContain(password!);
    expect(output).toContain(`Its password is in\n    ${file}`);
    expect(output).toMatch(/"msg":"first administrator created; its password is in the file"/);
    await hub.stop();
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'is shown once on an interactive terminal, and then no file is written',
    async () => {
      const dataDir = tempDir('tty');
      const command = [process.execPath, hubBundle, 'serve', '--port', '0', '--host', '127.0.0.1']
        .concat(['--data', dataDir, '--scrypt-n', '1024'])
        .map((w) => `'${w}'`)
        .join(' ');
      // `script` runs the hub on a pseudo-terminal: stdout and stderr are a TTY, as for IT at a console.
      const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let seen = '';
      const shown = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          seen += chunk;
          const m = /with the password\r?\n\s+(\S+)/.exec(seen);
          if (m) resolve(m[1]!);
        });
        child.once('exit', () => reject(new Error(`exited before showing the password:\n${seen}`)));
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(Number(readFileSync(path.join(dataDir, 'hub.lock'), 'utf8')), 'SIGTERM');
      await exited;
      expect(shown).toMatch(/^\S{16,}$/);
      expect(existsSync(path.join(dataDir, 'initial-admin-password.txt'))).toBe(false);
    },
  );
});

// SQLite only: a damaged SQLite file.
describe.skipIf(onPostgresStore)('a damaged database', () => {
  it('is refused at start with a clear message and a non-zero exit, and by the admin CLI', async () => {
    const hub = await startHub();
    hubs.push(hub);
    await hub.addUser('petrova', 'Ольга Петрова');
    expect(await hub.stop()).toBe(0);
    const dbFile = path.join(hub.dataDir, 'beseda.db');
    const db = new Database(dbFile, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = (
      db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'announcement_confirmations'").get() as {
        rootpage: number;
      }
    ).rootpage;
    db.close();
    // A torn write or a bad disk: a page of a table nothing reads at start is no longer a b-tree page
    // (the old hub started on such a file and answered /healthz "ok").
    const fd = openSync(dbFile, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xee), 0, 64, (root - 1) * pageSize);
    closeSync(fd);

    const start = spawnSync(
      process.execPath,
      [hubBundle, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', hub.dataDir],
      // A hub that (wrongly) serves is killed outright, so the test fails instead of waiting on it.
      { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
    );
    expect(start.status).toBe(1);
    expect(start.stderr).toContain(`the database ${dbFile} is damaged`);
    expect(start.stderr).toContain(`beseda-hub restore BACKUP-FILE --data ${hub.dataDir}`);
    expect(start.stdout).not.toMatch(/"msg":"listening"/);
    const list = cli(['user', 'list', '--data', hub.dataDir]);
    expect(list.code).toBe(1);
    expect(list.err).toMatch(/is damaged/);
  }, 120_000);
});

describe('which database the admin CLI uses', () => {
  it('refuses a folder without a database unless --create, naming the path; says what it opened', () => {
    const empty = tempDir('empty');
    const dbFile = path.join(empty, 'beseda.db');
    const refused = cli(['user', 'add', 'ivanov', '--name', 'Иван', '--data', empty], 'S3cret-pass-123\n');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`no Beseda database at ${dbFile}`);
    expect(refused.err).toMatch(/--create/);
    expect(existsSync(dbFile)).toBe(false);
    const missing = path.join(empty, 'typo');
    expect(cli(['user', 'list', '--data', missing]).code).toBe(1);
    expect(existsSync(missing)).toBe(false);

    const created = cli(['user', 'add', 'ivanov', '--name', 'Иван', '--data', empty, '--create'], 'S3cret-pass-123\n');
    expect(created.code, created.err).toBe(0);
    expect(created.err).toContain(`data: ${dbFile} (opened directly, new database created)`);
    expect(mode(dbFile)).toBe(0o600);
    const list = cli(['user', 'list', '--data', empty]);
    expect(list.err.trim()).toBe(`data: ${dbFile} (opened directly)`);
    expect(list.out).toMatch(/ivanov/);
  });

  it('says when it went through the running hub', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const list = cli(['user', 'list', '--data', hub.dataDir]);
    expect(list.code, list.err).toBe(0);
    expect(list.err.trim()).toBe(`data: ${path.join(hub.dataDir, 'beseda.db')} (through the running hub)`);
    await hub.stop();
  });

  it('prints names with terminal escapes and bidi overrides escaped (user list, errors)', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const evil = 'Ян\u001b[2J\u001b]0;x\u0007\u202etxt.exe\u009b31m\u007f';
    await hub.addUser('evil', evil);
    const list = cli(['user', 'list', '--data', hub.dataDir]);
    expect(list.code, list.err).toBe(0);
    const line = list.out.split('\n').find((l) => l.startsWith('evil'))!;
    expect(line).toContain('Ян\\x1b[2J\\x1b]0;x\\x07\\u202etxt.exe\\x9b31m\\x7f');
    expect(list.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const wrongFolder = cli(['user', 'list', '--data', path.join(hub.dataDir, 'x\u001b[31m')]);
    expect(wrongFolder.code).toBe(1);
    expect(wrongFolder.err).toContain('x\\x1b[31m');
    expect(wrongFolder.err).not.toContain('\u001b');
    await hub.stop();
  });
});
