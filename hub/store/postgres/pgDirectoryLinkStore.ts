import type { DirectoryLinkStore } from '../DirectoryLinkStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link DirectoryLinkStore}. */
export function pgDirectoryLinkStore(_db: PgDatabase): DirectoryLinkStore {
  return notYet<DirectoryLinkStore>('DirectoryLinkStore');
}
