// The backup before a schema migration (issue 15, point 3): opening a database of an older schema
// first writes a verified copy of it (at its old version) into the backup folder, reports what
// was migrated for the start-up log, and refuses to migrate when the copy cannot be written.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../../hub/backup/MigrationReport.ts';
import { inspectBackup } from '../../hub/db/inspectBackup.ts';
import { migrations } from '../../hub/db/migrations.ts';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { tempDir } from '../hub-core/harness.ts';

const latest = migrations[migrations.length - 1]!.version;

/** A database as a hub of schema version `version` left it, with one account. */
function oldDatabase(file: string, version: number): void {
  const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= version) });
  db.prepare(
    "INSERT INTO users (login, name, search_key, password_hash, created_at) VALUES ('old.timer', 'Старожил', 'old.timer старожил', 'x', 1)",
  ).run();
  db.close();
}

const versionOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

const hubs: TestHub[] = [];
afterAll(async () => {
  for (const h of hubs) if (h.process.exitCode === null && h.process.signalCode === null) await h.stop();
});

describe('backup before a schema migration', { timeout: 120_000 }, () => {
  it('an older database is copied (verified, 0600, at its old version) before it is migrated, and the report says what was done', () => {
    const dir = tempDir();
    const file = path.join(dir, 'beseda.db');
    oldDatabase(file, 9);
    let report: MigrationReport | undefined;
    openDatabase(file, { now: Date.parse('2026-12-02T10:00:00Z'), onReport: (r) => (report = r) }).close();

    const backups = path.join(dir, 'backups');
    expect(fs.readdirSync(backups)).toEqual(['beseda-2026-12-02T10-00-00-000Z-pre-migration.db']);
    const copy = path.join(backups, 'beseda-2026-12-02T10-00-00-000Z-pre-migration.db');
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
    expect(fs.statSync(backups).mode & 0o777).toBe(0o700);
    expect(inspectBackup(copy)).toMatchObject({ schemaVersion: 9, users: 1 });
    expect(versionOf(file)).toBe(latest);
    expect(report).toEqual({
      file,
      created: false,
      fromVersion: 9,
      toVersion: latest,
      applied: migrations.filter((m) => m.version > 9).map((m) => ({ version: m.version, name: m.name })),
      backupFile: copy,
    });
    expect(report!.applied.every((m) => m.name.length > 0)).toBe(true);

    // Opened again: up to date, nothing copied.
    openDatabase(file, { onReport: (r) => (report = r) }).close();
    expect(report).toMatchObject({
      created: false,
      fromVersion: latest,
      toVersion: latest,
      applied: [],
      backupFile: null,
    });
    expect(fs.readdirSync(backups)).toHaveLength(1);
  });

  it('a new database is not copied; --backup-dir elsewhere is honoured', () => {
    const dir = tempDir();
    let report: MigrationReport | undefined;
    openDatabase(path.join(dir, 'beseda.db'), { onReport: (r) => (report = r) }).close();
    expect(report).toMatchObject({ created: true, fromVersion: 0, toVersion: latest, backupFile: null });
    expect(report!.applied).toHaveLength(migrations.length);
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);

    const elsewhere = path.join(tempDir(), 'other-disk', 'beseda-backups');
    const file = path.join(tempDir(), 'beseda.db');
    oldDatabase(file, 10);
    openDatabase(file, { backupDir: elsewhere, onReport: (r) => (report = r) }).close();
    expect(report!.backupFile).toMatch(new RegExp(`^${elsewhere}/beseda-.*-pre-migration\\.db$`));
    expect(inspectBackup(report!.backupFile!).schemaVersion).toBe(10);
  });

  it('refuses to migrate, changing nothing, when the copy cannot be written', () => {
    const dir = tempDir();
    const file = path.join(dir, 'beseda.db');
    oldDatabase(file, 9);
    // The backup folder's place is taken by a file.
    fs.writeFileSync(path.join(dir, 'backups'), 'not a folder');
    expect(() => openDatabase(file)).toThrow(
      /refusing to migrate the database from schema version 9 to \d+: the backup taken first could not be written to .*backups.*Nothing was changed/,
    );
    expect(versionOf(file)).toBe(9);
    expect(fs.readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('a real hub started on an older database takes the copy first, reports it, and serves', async () => {
    const dataDir = tempDir();
    oldDatabase(path.join(dataDir, 'beseda.db'), 9);
    const hub = await startHub({ dataDir });
    hubs.push(hub);
    const backups = fs.readdirSync(path.join(dataDir, 'backups'));
    expect(backups.filter((n) => n.endsWith('-pre-migration.db'))).toHaveLength(1);
    const copy = path.join(
      dataDir,
      'backups',
      backups.find((n) => n.endsWith('-pre-migration.db'))!,
    );
    expect(inspectBackup(copy)).toMatchObject({ schemaVersion: 9, users: 1 });
    // /healthz (from this machine) lists it as the last good backup.
    const health = (await (await fetch(`${hub.url}/healthz`)).json()) as {
      backup?: { lastSuccess: { file: string; kind: string } };
    };
    expect(health.backup?.lastSuccess).toMatchObject({ file: copy, kind: 'pre-migration' });
    const u = await hub.addUser('new.person', 'Новый Сотрудник');
    await expect(hub.login(u.login, u.password)).resolves.toBeTruthy();
  });
});
