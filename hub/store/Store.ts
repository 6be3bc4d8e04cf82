import type { MessageStore } from './MessageStore.ts';

/**
 * The one storage boundary of the hub. Operations call these async, intention-named methods and
 * never SQL, a transaction or a pragma: each method is atomic inside the store. SQLite implements
 * it today (`sqlite/createSqliteStore.ts`); a PostgreSQL store is one more implementation.
 */
export interface Store {
  messages: MessageStore;
}
