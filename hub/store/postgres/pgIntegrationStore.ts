import type { IntegrationStore } from '../IntegrationStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link IntegrationStore}. */
export function pgIntegrationStore(_db: PgDatabase): IntegrationStore {
  return notYet<IntegrationStore>('IntegrationStore');
}
