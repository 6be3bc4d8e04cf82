import type { AuditStore } from '../AuditStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link AuditStore}. */
export function pgAuditStore(_db: PgDatabase): AuditStore {
  return notYet<AuditStore>('AuditStore');
}
