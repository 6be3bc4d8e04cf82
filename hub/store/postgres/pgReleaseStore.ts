import type { ReleaseStore } from '../ReleaseStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link ReleaseStore}. */
export function pgReleaseStore(_db: PgDatabase): ReleaseStore {
  return notYet<ReleaseStore>('ReleaseStore');
}
