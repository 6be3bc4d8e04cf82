import type { SessionLifetimeStore } from '../SessionLifetimeStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link SessionLifetimeStore}. */
export function pgSessionLifetimeStore(_db: PgDatabase): SessionLifetimeStore {
  return notYet<SessionLifetimeStore>('SessionLifetimeStore');
}
