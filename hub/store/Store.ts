import type { AccountStore } from './AccountStore.ts';
import type { ConversationStore } from './ConversationStore.ts';
import type { IntegrationStore } from './IntegrationStore.ts';
import type { MessageStore } from './MessageStore.ts';

/**
 * The one storage boundary of the hub. Operations call these async, intention-named methods and
 * never SQL, a transaction or a pragma: each method is atomic inside the store. SQLite implements
 * it today (`sqlite/createSqliteStore.ts`); a PostgreSQL store is one more implementation.
 */
export interface Store {
  messages: MessageStore;
  conversations: ConversationStore;
  accounts: AccountStore;
  integrations: IntegrationStore;
  /** How much more the storage can take (read-only; /healthz asks it after a write ran out of space). */
  room(): Promise<StorageRoom>;
}

/** Room left for writes: inside the database's size cap, and on the disk holding it (null: unknown). */
export interface StorageRoom {
  spareBytes: number;
  diskFreeBytes: number | null;
}
