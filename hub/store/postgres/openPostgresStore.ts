import type { Store } from '../Store.ts';
import { createPostgresStore } from './createPostgresStore.ts';
import { openPgDatabase, type PgDatabase } from './PgDatabase.ts';
import { migratePg } from './pgMigrations.ts';

/** The pool under each store opened here, for {@link pgDatabaseOf}. */
const databases = new WeakMap<Store, PgDatabase>();

/**
 * Connects to PostgreSQL at `url`, brings the schema up to date (one node at a time) and returns
 * the hub's {@link Store}. `poolSize`: connections this hub process keeps at most (default 10).
 */
export async function openPostgresStore(url: string, options: { now: number; poolSize?: number }): Promise<Store> {
  const db = openPgDatabase(url, { max: options.poolSize });
  try {
    await migratePg(db, options.now);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  const store = createPostgresStore(db);
  databases.set(store, db);
  return store;
}

/** The pool under a store opened by {@link openPostgresStore}. For tests only; the hub never reaches past the Store. */
export function pgDatabaseOf(store: Store): PgDatabase {
  const db = databases.get(store);
  if (!db) throw new Error('not a store opened by openPostgresStore');
  return db;
}
