import type { FileStore } from '../FileStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link FileStore}. */
export function pgFileStore(_db: PgDatabase): FileStore {
  return notYet<FileStore>('FileStore');
}
