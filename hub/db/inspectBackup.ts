import Sqlite from 'better-sqlite3';
import { migrations } from './migrations.ts';

/** The backup cannot be used (installed, or counted as a good backup); says why. */
export class BackupRejectedError extends Error {
  override name = 'BackupRejectedError';
}

/** What a backup holds, as checked before it is installed or kept. */
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

/** Tables every Beseda database has had since the first schema version. */
const requiredTables = ['users', 'sessions', 'conversations', 'members', 'messages'];

/**
 * Checks a backup file: a sound SQLite file (`integrity_check`, or the result of one already run
 * off the main thread, `integrity`), a Beseda database, a schema version this hub knows; then
 * counts what it holds. Throws {@link BackupRejectedError} with the reason. `shownAs` names the
 * file in messages (a restore checks a temporary copy but names the backup IT gave).
 */
export function inspectBackup(file: string, shownAs = file, integrity?: string[]): BackupSummary {
  let db: Sqlite.Database;
  try {
    db = new Sqlite(file, { fileMustExist: true });
  } catch (err) {
    throw new BackupRejectedError(`cannot open ${shownAs} as a database: ${(err as Error).message}`);
  }
  try {
    let found: string[];
    try {
      found =
        integrity ?? (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (err) {
      throw new BackupRejectedError(`${shownAs} is not a sound SQLite database: ${(err as Error).message}`);
    }
    if (found.length !== 1 || found[0] !== 'ok')
      throw new BackupRejectedError(`${shownAs} is damaged (integrity_check: ${found.slice(0, 3).join('; ')})`);
    return summarize(db, shownAs);
  } catch (err) {
    if (err instanceof BackupRejectedError) throw err;
    throw new BackupRejectedError(`${shownAs} cannot be read as a Beseda database: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

function summarize(db: Sqlite.Database, shownAs: string): BackupSummary {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
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
}
