import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { cid, person } from '../hub/connect.ts';

/** Runs `beseda-hub …` as IT would. */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [hubBundle, ...args], {
    encoding: 'utf8',
    env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Reads a database file without touching it: opens a throw-away copy (a WAL-mode file grows -shm beside it). */
function inspect(file: string): { integrity: string[]; texts: string[] } {
  const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'beseda-inspect-')), 'copy.db');
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const texts = (db.prepare('SELECT text FROM messages ORDER BY seq').all() as { text: string }[]).map((r) => r.text);
    return { integrity, texts };
  } finally {
    db.close();
  }
}

const mode = (file: string) => statSync(file).mode & 0o777;
const hubs: TestHub[] = [];
afterAll(async () => {
  for (const h of hubs) if (h.process.exitCode === null && h.process.signalCode === null) await h.stop();
});

describe('restore (issue: the documented "cp backup DATA/beseda.db" made a malformed database)', () => {
  it('backup while serving, more writes, kill -9 (WAL left), `beseda-hub restore`: integrity ok, the messages as of the backup', async () => {
    const hub = await startHub({
      args: ['--send-per-second', '1000', '--send-burst', '1000', '--frames-per-second', '2000'],
    });
    hubs.push(hub);
    const a = await person(hub, 'restorer', 'Восстановитель');
    const send = async (count: number, tag: string) => {
      // One request at a time: each is its own commit, so the WAL grows past SQLite's
      // auto-checkpoint (1000 pages) and restarts, as it does on a busy hub.
      for (let i = 0; i < count; i++)
        await a.socket.request('send', { conversationId: a.generalId, clientId: cid(), text: `${tag} ${i}` });
    };
    await send(40, 'before');
    const backupDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-backups-'));
    const backupFile = path.join(backupDir, 'b.db');
    const backup = cli(['backup', backupFile, '--data', hub.dataDir]);
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toMatch(/beseda-hub restore /);
    expect(backup.out).not.toMatch(/\bcp\b|copy it to/);
    expect(mode(backupFile)).toBe(0o600);
    await send(300, 'after');

    // Refused while the hub serves: nothing is touched.
    const dbFile = path.join(hub.dataDir, 'beseda.db');
    const before = readdirSync(hub.dataDir).sort();
    const busy = cli(['restore', backupFile, '--data', hub.dataDir]);
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/hub is running on .*stop it first/);
    expect(readdirSync(hub.dataDir).sort()).toEqual(before);
    await expect(hub.login('restorer', a.password)).resolves.toBeTruthy();

    a.socket.close();
    await hub.kill();
    expect(statSync(`${dbFile}-wal`).size).toBeGreaterThan(0);

    // The old hint, on a copy of the crashed folder: the stale WAL is replayed into the backup's pages.
    const handCopied = mkdtempSync(path.join(os.tmpdir(), 'beseda-cp-'));
    for (const suffix of ['-wal', '-shm'])
      copyFileSync(`${dbFile}${suffix}`, path.join(handCopied, `beseda.db${suffix}`));
    copyFileSync(backupFile, path.join(handCopied, 'beseda.db'));
    const served = cli(['user', 'list', '--data', handCopied]);
    if (served.code === 0) {
      // SQLite may read the mix without noticing; then it is not the backup either.
      expect(inspect(path.join(handCopied, 'beseda.db')).texts.some((t) => t.startsWith('after'))).toBe(true);
    } else expect(served.err).toMatch(/is damaged.*beseda-hub restore/);

    const expected = inspect(backupFile);
    expect(expected.integrity).toEqual(['ok']);
    const restore = cli(['restore', backupFile, '--data', hub.dataDir]);
    expect(restore.code, restore.err).toBe(0);
    expect(restore.err).toContain(`data: ${dbFile} (opened directly)`);
    expect(restore.out).toMatch(/integrity ok, schema version \d+, \d+ accounts, \d+ conversations/);
    expect(restore.out).toContain(`${expected.texts.length} messages`);
    // The crashed database and its WAL are kept, not deleted.
    const aside = /into (\S+):/.exec(restore.out)?.[1];
    expect(aside, restore.out).toBeDefined();
    expect(readdirSync(aside!).sort()).toEqual(['beseda.db', 'beseda.db-shm', 'beseda.db-wal']);
    expect(mode(aside!)).toBe(0o700);
    expect(existsSync(`${dbFile}-wal`)).toBe(false);
    expect(existsSync(`${dbFile}-shm`)).toBe(false);
    expect(mode(dbFile)).toBe(0o600);

    await hub.restart();
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    await expect(hub.login('restorer', a.password)).resolves.toBeTruthy();
    expect(await hub.stop()).toBe(0);

    const restored = inspect(dbFile);
    expect(restored.integrity).toEqual(['ok']);
    expect(restored.texts).toEqual(expected.texts);
    expect(restored.texts.filter((t) => t.startsWith('before'))).toHaveLength(40);
    expect(restored.texts.filter((t) => t.startsWith('after'))).toEqual([]);
  }, 180_000);

  it('refuses a file that is not a Beseda backup, and changes nothing', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-restore-bad-'));
    const junk = path.join(dataDir, '..', `junk-${process.pid}.db`);
    const db = new Database(junk);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const r = cli(['restore', junk, '--data', dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not a Beseda database/);
    expect(readdirSync(dataDir)).toEqual([]);
    const missing = cli(['restore', path.join(dataDir, 'nope.db'), '--data', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read the backup/);
  });
});
