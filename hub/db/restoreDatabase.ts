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
import { BackupRejectedError, type BackupSummary, inspectBackup } from './inspectBackup.ts';
import { databaseFileName, privateDirMode, privateFileMode } from './secureDataDir.ts';

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
    summary = inspectBackup(temp, from);
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
