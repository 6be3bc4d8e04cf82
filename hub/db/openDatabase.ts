import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { DatabaseVersionError } from './DatabaseVersionError.ts';
import { migrations } from './migrations.ts';
import type { Migration } from './migrations.ts';

/** How long a writer waits for another connection's lock (the admin CLI) before SQLITE_BUSY. */
const busyTimeoutMs = 5000;

/**
 * Opens (creating if missing) the hub's SQLite database with the hub's pragmas and brings its
 * schema up to date. Throws {@link DatabaseVersionError} for a database from a newer hub.
 * Used by the hub itself and by the admin CLI when the hub is not running.
 */
export function openDatabase(
  file: string,
  options: { now?: number; migrations?: readonly Migration[] } = {},
): Database {
  const db = new Sqlite(file, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    // FULL: with WAL, every commit is fsynced, so an acknowledged message survives a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    migrate(db, file, options.migrations ?? migrations, options.now ?? Date.now());
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies the migrations the database has not had yet, each in its own transaction. */
function migrate(db: Database, file: string, steps: readonly Migration[], now: number): void {
  const known = steps.length === 0 ? 0 : steps[steps.length - 1]!.version;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) throw new DatabaseVersionError(file, current, known);
  for (const step of steps) {
    if (step.version <= current) continue;
    db.transaction(() => {
      step.up(db, now);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}
