// Helpers of the PostgreSQL account-store tests (accounts.test.ts, accountsRace.test.ts).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createHub } from '../../hub/ops/createHub.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import type { NewAccount } from '../../hub/store/AccountStore.ts';
import { fakeClock, newPostgresDatabase, RecordingSink, recordingLog, tempDir } from '../hub-core/harness.ts';

/** A 32-byte hash standing for a token or code, the same in both runs. */
export const h = (label: string) => createHash('sha256').update(label).digest();

/** A hub on SQLite or on a fresh PostgreSQL database (built here: openTestHub would pick PostgreSQL for both). */
export async function hubOn(kind: 'sqlite' | 'postgres') {
  const clock = fakeClock();
  const storeUrl = kind === 'postgres' ? await newPostgresDatabase() : undefined;
  const hub = await createHub({
    dbFile: path.join(tempDir(), 'hub.db'),
    ...(storeUrl ? { storeUrl } : {}),
    events: new RecordingSink(),
    log: recordingLog(),
    scryptN: 2 ** 10,
    sendRate: { perSecond: 1000, burst: 10_000 },
    clock,
  });
  return { hub, store: (hub as SqliteHub).store, now: clock() };
}

/** A new account's fields: a person who joins the general room, unless `more` says otherwise. */
export function account(login: string, more: Partial<NewAccount> = {}): NewAccount {
  return {
    login,
    name: login.toUpperCase(),
    passwordHash: `hash-${login}`,
    isAdmin: false,
    isBot: false,
    branch: null,
    email: null,
    createdAt: 1_700_000_000_000,
    joinGeneral: true,
    ...more,
  };
}

/** The id of a created account (the script stops if it was refused). */
export function idOf(outcome: { kind: string; account?: { id: number } }): number {
  if (outcome.kind !== 'created' || !outcome.account) throw new Error(`not created: ${JSON.stringify(outcome)}`);
  return outcome.account.id;
}
