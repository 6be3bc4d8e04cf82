import type { AccountStore } from '../AccountStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link AccountStore}. */
export function pgAccountStore(_db: PgDatabase): AccountStore {
  return notYet<AccountStore>('AccountStore');
}
