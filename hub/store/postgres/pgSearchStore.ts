import type { SearchStore } from '../SearchStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link SearchStore}. */
export function pgSearchStore(_db: PgDatabase): SearchStore {
  return notYet<SearchStore>('SearchStore');
}
