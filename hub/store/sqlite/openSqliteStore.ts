import type { Database } from 'better-sqlite3';
import { openDatabase, type OpenDatabaseOptions } from '../../db/openDatabase.ts';
import type { Store } from '../Store.ts';
import { createSqliteStore } from './createSqliteStore.ts';

/** The connection under each store opened here, for {@link sqliteDatabaseOf}. */
const databases = new WeakMap<Store, Database>();

/**
 * Opens the SQLite file (created and migrated as needed; see openDatabase) as the hub's
 * {@link Store}. Throws DatabaseVersionError for a database written by a newer hub and
 * DatabaseCorruptError for a damaged one.
 */
export function openSqliteStore(
  file: string,
  options: { now: number } & Pick<OpenDatabaseOptions, 'backupDir' | 'onReport'>,
): Store {
  const db = openDatabase(file, options);
  const store = createSqliteStore(db);
  databases.set(store, db);
  return store;
}

/**
 * The SQLite connection under a store opened by {@link openSqliteStore}. For tests only (they
 * read what was stored, or cap the database to simulate a full disk); the hub never reaches
 * past the Store interface.
 */
export function sqliteDatabaseOf(store: Store): Database {
  const db = databases.get(store);
  if (!db) throw new Error('not a store opened by openSqliteStore');
  return db;
}
