import Sqlite from 'better-sqlite3';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations.ts';
import { databaseFileName, privateDirMode, privateFileMode } from './secureDataDir.ts';

/** The backup cannot be installed; nothing in the data folder was changed. */
export class BackupRejectedError extends Error {
  override name = 'BackupRejectedError';
}

/** What a backup holds, as checked before it is installed. */
export interface BackupSummary {
  schemaVersion: number;
  users: number;
  conversations: number;
  messages: number;
  /** Uploaded files recorded (0 before schema version 6). */
  files: number;
  /** The SHA-256 of every blob the backup's records name: the files folder must hold them all. */
  blobs: string[];
}

/** What {@link restoreDatabase} did, for the CLI to print. */
export interface RestoreReport {
  /** The backup file (absolute). */
  from: string;
  /** The database file it now is (absolute). */
  installed: string;
  summary: BackupSummary;
  /** The previous database files, moved (never deleted) into `asideDir`. */
  movedAside: { from: string; to: string }[];
  asideDir: string | null;
}

/** Tables every Beseda database has had since the first schema version. */
const requiredTables = ['users', 'sessions', 'conversations', 'members', 'messages'];
/** The database and the files SQLite keeps beside it: they belong together and move together. */
const databaseFiles = ['', '-wal', '-shm', '-journal'].map((suffix) => databaseFileName + suffix);

/**
 * Installs a backup as the data folder's database. The caller holds the data lock (no hub runs).
 * The backup is copied in under a temporary name (mode 0600), checked (`integrity_check`, Beseda
 * tables, a schema version this hub knows), and only then the current database with its -wal and
 * -shm is moved into `before-restore-<time>/` and the copy renamed into place. Copying the backup
 * over beseda.db by hand instead leaves the old WAL beside it, which SQLite then replays into the
 * backup's pages: a malformed database.
 */
export function restoreDatabase(backupFile: string, dataDir: string, now = new Date()): RestoreReport {
  const from = path.resolve(backupFile);
  const dir = path.resolve(dataDir);
  const target = path.join(dir, databaseFileName);
  checkBackupFile(from, target);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const temp = path.join(dir, `${databaseFileName}.restoring-${stamp}`);
  copyPrivate(from, temp);
  let summary: BackupSummary;
  try {
    summary = verifyBackup(temp, from);
  } catch (err) {
    removeQuietly(temp); // our own copy: the backup itself is untouched
    throw err;
  }

  const present = databaseFiles.filter((name) => existsSync(path.join(dir, name)));
  const movedAside: RestoreReport['movedAside'] = [];
  let asideDir: string | null = null;
  if (present.length > 0) {
    asideDir = freshFolder(path.join(dir, `before-restore-${stamp}`));
    for (const name of present) {
      const to = path.join(asideDir, name);
      renameSync(path.join(dir, name), to);
      movedAside.push({ from: path.join(dir, name), to });
    }
  }
  renameSync(temp, target);
  syncFolder(dir);
  return { from, installed: target, summary, movedAside, asideDir };
}

/** Refuses what is plainly not a backup to install, before anything is copied. */
function checkBackupFile(from: string, target: string): void {
  let size: number;
  try {
    const stat = statSync(from);
    if (!stat.isFile()) throw new BackupRejectedError(`${from} is not a file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof BackupRejectedError) throw err;
    throw new BackupRejectedError(`cannot read the backup ${from}: ${(err as Error).message}`);
  }
  if (size === 0) throw new BackupRejectedError(`${from} is empty: not a backup`);
  if (existsSync(target) && realpathSync(from) === realpathSync(target))
    throw new BackupRejectedError(`${from} is the database itself, not a backup of it`);
  const wal = `${from}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0)
    throw new BackupRejectedError(
      `${wal} lies beside the backup: ${from} is a live database (or a copy of one) whose latest ` +
        `writes are still in that WAL file, not a backup made with "beseda-hub backup"`,
    );
}

/** Checks the copy: a sound SQLite file, a Beseda database, a version this hub can run. */
function verifyBackup(file: string, shownAs: string): BackupSummary {
  let db: Sqlite.Database;
  try {
    db = new Sqlite(file, { fileMustExist: true });
  } catch (err) {
    throw new BackupRejectedError(`cannot open ${shownAs} as a database: ${(err as Error).message}`);
  }
  try {
    let found: string[];
    try {
      found = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (err) {
      throw new BackupRejectedError(`${shownAs} is not a sound SQLite database: ${(err as Error).message}`);
    }
    if (found.length !== 1 || found[0] !== 'ok')
      throw new BackupRejectedError(`${shownAs} is damaged (integrity_check: ${found.slice(0, 3).join('; ')})`);
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    const version = db.pragma('user_version', { simple: true }) as number;
    const missing = requiredTables.filter((t) => !tables.has(t));
    if (version < 1 || missing.length > 0)
      throw new BackupRejectedError(
        `${shownAs} is not a Beseda database (schema version ${version}` +
          (missing.length > 0 ? `, no table ${missing.join(', ')})` : ')'),
      );
    const known = migrations[migrations.length - 1]!.version;
    if (version > known)
      throw new BackupRejectedError(
        `${shownAs} has schema version ${version}, but this hub only knows up to ${known}: ` +
          `it was made by a newer Beseda hub; restore it with that version`,
      );
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const hasFiles = tables.has('files');
    const blobs = hasFiles
      ? (db
          .prepare('SELECT sha256 FROM files UNION SELECT preview_sha256 FROM files WHERE preview_sha256 IS NOT NULL')
          .pluck()
          .all() as string[])
      : [];
    return {
      schemaVersion: version,
      users: count('users'),
      conversations: count('conversations'),
      messages: count('messages'),
      files: hasFiles ? count('files') : 0,
      blobs,
    };
  } finally {
    db.close();
  }
}

/** Copies a file into a new file that is 0600 from its first byte, and flushes it to disk. */
function copyPrivate(from: string, to: string): void {
  const src = openSync(from, 'r');
  let dst: number | undefined;
  try {
    dst = openSync(to, 'wx', privateFileMode);
    const buffer = Buffer.alloc(1024 * 1024);
    for (;;) {
      const n = readSync(src, buffer, 0, buffer.length, null);
      if (n === 0) break;
      writeSync(dst, buffer, 0, n);
    }
    fsyncSync(dst);
  } catch (err) {
    if (dst !== undefined) {
      closeSync(dst);
      dst = undefined;
      removeQuietly(to);
    }
    throw err;
  } finally {
    if (dst !== undefined) closeSync(dst);
    closeSync(src);
  }
}

/** A new private folder at `base`, or `base-2`, `base-3`… if taken. */
function freshFolder(base: string): string {
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    try {
      mkdirSync(dir, { mode: privateDirMode });
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Makes the renames durable (a power cut right after must not bring the old file back). */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      unlinkSync(f);
    } catch {
      // not there
    }
  }
}
