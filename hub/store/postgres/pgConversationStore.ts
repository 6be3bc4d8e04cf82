import type { ConversationStore } from '../ConversationStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link ConversationStore}. */
export function pgConversationStore(_db: PgDatabase): ConversationStore {
  return notYet<ConversationStore>('ConversationStore');
}
