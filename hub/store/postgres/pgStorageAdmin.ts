import type { StorageAdmin } from '../StorageAdmin.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link StorageAdmin}. */
export function pgStorageAdmin(_db: PgDatabase): StorageAdmin {
  return notYet<StorageAdmin>('StorageAdmin');
}
