import type { Database } from 'better-sqlite3';
import type { Store } from '../Store.ts';
import { sqliteAdminRightsStore } from './adminRightsStore.ts';
import { sqliteAuditStore } from './auditStore.ts';
import { sqliteButtonStore } from './sqliteButtonStore.ts';
import { sqliteCallbackStore } from './sqliteCallbackStore.ts';
import { sqliteDirectoryLinkStore } from './directoryLinkStore.ts';
import { sqliteOnboardingStore } from './onboardingStore.ts';
import { sqliteReleaseStore } from './sqliteReleaseStore.ts';
import { sqliteRoomAdminStore } from './roomAdmin.ts';
import { sqliteAccountStore } from './sqliteAccountStore.ts';
import { sqliteConversationStore } from './sqliteConversationStore.ts';
import { sqliteFileStore } from './sqliteFileStore.ts';
import { sqliteIntegrationStore } from './sqliteIntegrationStore.ts';
import { sqliteMessageStore } from './sqliteMessageStore.ts';
import { sqliteSearchStore } from './sqliteSearchStore.ts';
import { sqliteSessionLifetimeStore } from './sqliteSessionLifetimeStore.ts';
import { sqliteStorageAdmin } from './sqliteStorageAdmin.ts';
import { walCheckpointer } from './walCheckpoint.ts';
import { trackMemberCounts } from './memberCounts.ts';

/** The SQLite implementation of the {@link Store} over one open database. */
export function createSqliteStore(db: Database): Store {
  trackMemberCounts(db);
  const checkpointer = walCheckpointer(db);
  return {
    messages: sqliteMessageStore(db, checkpointer),
    search: sqliteSearchStore(db),
    conversations: sqliteConversationStore(db),
    accounts: sqliteAccountStore(db),
    integrations: sqliteIntegrationStore(db),
    files: sqliteFileStore(db),
    admin: sqliteStorageAdmin(db, () => checkpointer.cancel()),
    audit: sqliteAuditStore(db),
    roomAdmin: sqliteRoomAdminStore(db),
    adminRights: sqliteAdminRightsStore(db),
    onboarding: sqliteOnboardingStore(db),
    sessionLifetimes: sqliteSessionLifetimeStore(db),
    directoryLinks: sqliteDirectoryLinkStore(db),
    buttons: sqliteButtonStore(db),
    callbacks: sqliteCallbackStore(db),
    releases: sqliteReleaseStore(db),
  };
}
