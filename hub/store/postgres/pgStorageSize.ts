import type { StorageSize } from '../StorageAdmin.ts';
import type { PgQueryable } from './PgDatabase.ts';

/**
 * The database's size, the twin of sqliteStorageSize.ts: what PostgreSQL's pg_database_size says
 * this database takes on disk (tables, indexes, TOAST, free space inside them). `walBytes` is 0:
 * PostgreSQL's write-ahead log belongs to the whole cluster, not to one database, and listing it
 * needs the pg_monitor role the hub's account need not have. One cheap query: `/metrics` asks at
 * every scrape.
 */
export async function pgStorageSize(q: PgQueryable): Promise<StorageSize> {
  const row = await q.one<{ bytes: number }>('SELECT pg_database_size(current_database()) AS bytes');
  return { bytes: row!.bytes, walBytes: 0 };
}
