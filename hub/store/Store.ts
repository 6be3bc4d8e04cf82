import type { AccountStore } from './AccountStore.ts';
import type { AdminRightsStore } from './AdminRightsStore.ts';
import type { AuditStore } from './AuditStore.ts';
import type { ButtonStore } from './ButtonStore.ts';
import type { CallbackStore } from './CallbackStore.ts';
import type { ConversationStore } from './ConversationStore.ts';
import type { DirectoryLinkStore } from './DirectoryLinkStore.ts';
import type { FileStore } from './FileStore.ts';
import type { IntegrationStore } from './IntegrationStore.ts';
import type { MessageStore } from './MessageStore.ts';
import type { OnboardingStore } from './OnboardingStore.ts';
import type { ReleaseStore } from './ReleaseStore.ts';
import type { RoomAdminStore } from './RoomAdminStore.ts';
import type { SearchStore } from './SearchStore.ts';
import type { SessionLifetimeStore } from './SessionLifetimeStore.ts';
import type { StorageAdmin } from './StorageAdmin.ts';

/**
 * The one storage boundary of the hub. Operations call these async, intention-named methods and
 * never SQL, a transaction or a pragma: each method is atomic inside the store. SQLite implements
 * it today (`sqlite/createSqliteStore.ts`); a PostgreSQL store is one more implementation.
 */
export interface Store {
  messages: MessageStore;
  /** Full-text search over messages (the index is kept by the message store's own writes). */
  search: SearchStore;
  conversations: ConversationStore;
  accounts: AccountStore;
  integrations: IntegrationStore;
  /** Uploaded files' metadata and the sessions' download keys (the bytes are in hub/files). */
  files: FileStore;
  /** The storage itself: backup, size cap, room left (/healthz asks after a write ran out of space), close. */
  admin: StorageAdmin;
  /** The audit log: who changed which account, bot, hook or room (appended, listed). */
  audit: AuditStore;
  /** Room administration from the CLI: list, create, archive, bring back, rename. */
  roomAdmin: RoomAdminStore;
  /** Administrator rights of accounts (the web console). */
  adminRights: AdminRightsStore;
  /** Invitations, forced password changes and a person's own sessions (issue 16). */
  onboarding: OnboardingStore;
  /** Sessions' lifetimes: a session's times, and renewing it (issue 16). */
  sessionLifetimes: SessionLifetimeStore;
  /** Which accounts sign in through the directory (LDAP / Active Directory), and their entries' ids. */
  directoryLinks: DirectoryLinkStore;
  /** Buttons' clicks and slash commands (issue 18). */
  buttons: ButtonStore;
  /** Bots' callback URLs and secrets, and the durable queue of deliveries to them (issue 18). */
  callbacks: CallbackStore;
  /** Desktop releases served as updates, and the installs that asked for them (issue 21). */
  releases: ReleaseStore;
}
