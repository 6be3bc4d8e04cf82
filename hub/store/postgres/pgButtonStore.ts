import type { ButtonStore } from '../ButtonStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link ButtonStore}. */
export function pgButtonStore(_db: PgDatabase): ButtonStore {
  return notYet<ButtonStore>('ButtonStore');
}
