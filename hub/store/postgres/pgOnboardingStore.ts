import type { OnboardingStore } from '../OnboardingStore.ts';
import { notYet } from './notYet.ts';
import type { PgDatabase } from './PgDatabase.ts';

/** The PostgreSQL {@link OnboardingStore}. */
export function pgOnboardingStore(_db: PgDatabase): OnboardingStore {
  return notYet<OnboardingStore>('OnboardingStore');
}
