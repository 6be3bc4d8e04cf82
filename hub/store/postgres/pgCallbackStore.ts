import type { CallbackStore } from '../CallbackStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link CallbackStore}. */
export function pgCallbackStore(_db: PgDatabase): CallbackStore {
  return notYet<CallbackStore>('CallbackStore');
}
