import type { MessageStore } from '../MessageStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link MessageStore}. */
export function pgMessageStore(_db: PgDatabase): MessageStore {
  return notYet<MessageStore>('MessageStore');
}
