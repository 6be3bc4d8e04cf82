import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import path from 'node:path';
import { backupBeforeMigration } from './backupBeforeMigration.ts';
import { DatabaseCorruptError } from './DatabaseCorruptError.ts';
import { DatabaseVersionError } from './DatabaseVersionError.ts';
import { migrations } from './migrations.ts';
import type { Migration } from './Migration.ts';
import type { MigrationReport } from '../backup/MigrationReport.ts';
import { createPrivateFile, tightenFile } from './secureDataDir.ts';

/** How {@link openDatabase} opens. */
export interface OpenDatabaseOptions {
  /** Milliseconds since the epoch (the first migration's timestamps, the backup's name); default Date.now(). */
  now?: number;
  migrations?: readonly Migration[];
  /** Where the copy taken before a migration goes; default `backups` beside the database. */
  backupDir?: string;
  /** Told what opening did to the schema (versions, migrations applied, the backup taken), for the start-up log. */
  onReport?: (report: MigrationReport) => void;
}

/** How long a writer waits for another connection's lock (the admin CLI) before SQLITE_BUSY. */
const busyTimeoutMs = 5000;

/**
 * Opens (creating if missing) the hub's SQLite database with the hub's pragmas and brings its
 * schema up to date. The file and its -wal/-shm are made readable by the owner only (SQLite gives
 * the -wal and -shm the database file's mode). An existing database is checked first
 * (`PRAGMA quick_check`): a damaged one throws {@link DatabaseCorruptError} instead of being served.
 * Throws {@link DatabaseVersionError} for a database from a newer hub.
 * Before migrating an existing database, a verified copy goes into the backup folder; when that
 * cannot be written, it throws PreMigrationBackupError and migrates nothing.
 * Used by the hub itself and by the admin CLI when the hub is not running.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const onDisk = file !== ':memory:' && file !== '';
  const existing = onDisk && !createPrivateFile(file) && statSync(file).size > 0;
  if (onDisk) for (const f of [file, `${file}-wal`, `${file}-shm`]) tightenFile(f);
  let db: Database;
  try {
    db = new Sqlite(file, { timeout: busyTimeoutMs });
  } catch (err) {
    throw asCorrupt(err, file);
  }
  try {
    if (existing) quickCheck(db, file);
    db.pragma('journal_mode = WAL');
    // FULL: with WAL, every commit is fsynced, so an acknowledged message survives a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted and edited message text is overwritten with zeros in the file, not left in free
    // space (the message store checkpoints the WAL after deletes so the old frames go too).
    db.pragma('secure_delete = ON');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const report = migrate(db, file, options.migrations ?? migrations, options.now ?? Date.now(), {
      existing,
      backupDir: onDisk ? (options.backupDir ?? path.join(path.dirname(path.resolve(file)), 'backups')) : null,
    });
    options.onReport?.(report);
    return db;
  } catch (err) {
    db.close();
    throw asCorrupt(err, file);
  }
}

/**
 * SQLite's quick check (every page and record well-formed, without comparing indexes to tables):
 * a database put together from a backup and another database's WAL passes `/healthz` but is
 * malformed, and would fail later in the middle of a sign-in or a send.
 */
function quickCheck(db: Database, file: string): void {
  const rows = db.pragma('quick_check(20)', { simple: false }) as { quick_check: string }[];
  const found = rows.map((r) => r.quick_check);
  if (found.length !== 1 || found[0] !== 'ok') throw new DatabaseCorruptError(file, found);
}

/** SQLite's "malformed" and "not a database" errors, as the hub's own explanation. */
function asCorrupt(err: unknown, file: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'))
    return new DatabaseCorruptError(file, [(err as Error).message]);
  return err;
}

/**
 * Applies the migrations the database has not had yet, each in its own transaction, after a
 * verified copy of an existing database (not of a new one: there is nothing to lose).
 */
function migrate(
  db: Database,
  file: string,
  steps: readonly Migration[],
  now: number,
  at: { existing: boolean; backupDir: string | null },
): MigrationReport {
  const known = steps.length === 0 ? 0 : steps[steps.length - 1]!.version;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) throw new DatabaseVersionError(file, current, known);
  const pending = steps.filter((step) => step.version > current);
  const report: MigrationReport = {
    file: at.backupDir === null ? file : path.resolve(file),
    created: current === 0,
    fromVersion: current,
    toVersion: Math.max(current, known),
    applied: [],
    backupFile: null,
  };
  // Version 0 with pages is a database whose first start failed part-way: nothing of value in it.
  if (pending.length > 0 && at.existing && current > 0 && at.backupDir !== null)
    report.backupFile = backupBeforeMigration(db, at.backupDir, current, known, now);
  for (const step of pending) {
    db.transaction(() => {
      step.up(db, now);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
    report.applied.push({ version: step.version, name: step.name });
  }
  return report;
}
