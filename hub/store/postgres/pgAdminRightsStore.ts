import type { AdminRightsStore } from '../AdminRightsStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link AdminRightsStore}. */
export function pgAdminRightsStore(_db: PgDatabase): AdminRightsStore {
  return notYet<AdminRightsStore>('AdminRightsStore');
}
