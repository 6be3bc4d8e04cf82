import type { Store } from '../Store.ts';
import { pgAccountStore } from './pgAccountStore.ts';
import { pgAdminRightsStore } from './pgAdminRightsStore.ts';
import { pgAuditStore } from './pgAuditStore.ts';
import { pgButtonStore } from './pgButtonStore.ts';
import { pgCallbackStore } from './pgCallbackStore.ts';
import { pgConversationStore } from './pgConversationStore.ts';
import type { PgDatabase } from './PgDatabase.ts';
import { pgDirectoryLinkStore } from './pgDirectoryLinkStore.ts';
import { pgFileStore } from './pgFileStore.ts';
import { pgIntegrationStore } from './pgIntegrationStore.ts';
import { pgMessageStore } from './pgMessageStore.ts';
import { pgOnboardingStore } from './pgOnboardingStore.ts';
import { pgReleaseStore } from './pgReleaseStore.ts';
import { pgRoomAdminStore } from './pgRoomAdminStore.ts';
import { pgSearchStore } from './pgSearchStore.ts';
import { pgSessionLifetimeStore } from './pgSessionLifetimeStore.ts';
import { pgStorageAdmin } from './pgStorageAdmin.ts';

/** The PostgreSQL implementation of the {@link Store} over one connection pool (already migrated). */
export function createPostgresStore(db: PgDatabase): Store {
  return {
    messages: pgMessageStore(db),
    search: pgSearchStore(db),
    conversations: pgConversationStore(db),
    accounts: pgAccountStore(db),
    integrations: pgIntegrationStore(db),
    files: pgFileStore(db),
    admin: pgStorageAdmin(db),
    audit: pgAuditStore(db),
    roomAdmin: pgRoomAdminStore(db),
    adminRights: pgAdminRightsStore(db),
    onboarding: pgOnboardingStore(db),
    sessionLifetimes: pgSessionLifetimeStore(db),
    directoryLinks: pgDirectoryLinkStore(db),
    buttons: pgButtonStore(db),
    callbacks: pgCallbackStore(db),
    releases: pgReleaseStore(db),
  };
}
