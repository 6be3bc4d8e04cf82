import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Mode of every file the hub keeps in its data folder: the owner reads and writes, nobody else. */
export const privateFileMode = 0o600;
/** Mode of the data folder (and of the folders a restore moves old files into). */
export const privateDirMode = 0o700;
/** The database's file name inside the data folder. */
export const databaseFileName = 'beseda.db';
/** Where the first administrator's password goes when no terminal is there to show it. */
export const initialPasswordFileName = 'initial-admin-password.txt';

/** Unix modes mean something; on Windows the folder's ACL decides and chmod is a no-op. */
const posix = process.platform !== 'win32';

/** Files in the data folder that hold messages, hashes or secrets. */
const privateFiles = [
  databaseFileName,
  `${databaseFileName}-wal`,
  `${databaseFileName}-shm`,
  `${databaseFileName}-journal`,
  'hub.lock',
  initialPasswordFileName,
];

/** What {@link secureDataDir} found and did. */
export interface DataDirCheck {
  /** Absolute path of the folder. */
  dir: string;
  /** The folder did not exist and was created (mode 0700). */
  created: boolean;
  /** One line each, for the log and stderr: a folder others can read, a file that could not be tightened. */
  warnings: string[];
  /** Files whose mode was wider than 0600 and was narrowed. */
  tightened: string[];
}

/**
 * Makes the data folder private before anything is written to it: creates it 0700 if missing,
 * narrows the hub's own files to 0600 (a database from an older hub, or copied with a loose umask,
 * was readable by every local user: every message and password hash), and warns when the folder
 * itself is open to others (left to IT: it may be shared on purpose, e.g. with a backup agent).
 */
export function secureDataDir(dataDir: string): DataDirCheck {
  const dir = path.resolve(dataDir);
  const check: DataDirCheck = { dir, created: false, warnings: [], tightened: [] };
  let stat = statOrNull(dir);
  if (!stat) {
    mkdirSync(dir, { recursive: true, mode: privateDirMode });
    if (posix) chmodSync(dir, privateDirMode);
    check.created = true;
    stat = statSync(dir);
  }
  if (!stat.isDirectory()) throw new Error(`the data folder ${dir} is not a folder`);
  if (!posix) return check;
  if ((stat.mode & 0o077) !== 0)
    check.warnings.push(
      `the data folder ${dir} can be entered by other local users (mode ${octal(stat.mode)}); ` +
        `make it private with: chmod 700 ${dir}`,
    );
  for (const name of privateFiles) {
    const file = path.join(dir, name);
    const result = tightenFile(file);
    if (result === 'tightened') check.tightened.push(file);
    else if (result !== 'ok') check.warnings.push(result);
  }
  return check;
}

/**
 * Narrows an existing file to 0600. Returns 'ok' (already private or missing), 'tightened', or
 * a warning line when the file belongs to someone else and cannot be changed.
 */
export function tightenFile(file: string): 'ok' | 'tightened' | string {
  if (!posix) return 'ok';
  const stat = statOrNull(file);
  if (!stat || (stat.mode & 0o077) === 0) return 'ok';
  try {
    chmodSync(file, privateFileMode);
    return 'tightened';
  } catch (err) {
    return `${file} can be read by other local users (mode ${octal(stat.mode)}) and cannot be changed (${(err as Error).message})`;
  }
}

/** Creates an empty file with mode 0600 (whatever the umask); false if it already existed. */
export function createPrivateFile(file: string): boolean {
  try {
    closeSync(openSync(file, 'wx', privateFileMode));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  if (posix) chmodSync(file, privateFileMode);
  return true;
}

/** Writes (replacing) a small file readable only by the owner, flushed to disk. */
export function writePrivateFile(file: string, content: string): void {
  const fd = openSync(file, 'w', privateFileMode);
  try {
    if (posix) chmodSync(file, privateFileMode); // an existing file keeps its mode on open
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function statOrNull(file: string) {
  try {
    return statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const octal = (mode: number) => (mode & 0o777).toString(8);
