import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { takeWriteTurn } from './streamPosition.ts';

/**
 * Errors a concurrent writer can still cause under READ COMMITTED where SQLite's single write lock
 * made the steps serial: a unique violation (a writer that does not take the writers' turn, such
 * as an account's creation, took the login we found free), a deadlock, a serialization failure.
 */
const raceCodes = new Set(['23505', '40P01', '40001']);

/** Tries before a race error is passed on (a write that keeps losing is a bug, not bad luck). */
const maxTries = 8;

/**
 * Runs an integration write that may change memberships (and so write `joined`/`left` messages) in
 * one transaction, as SQLite's IMMEDIATE transaction did: it first takes the writers' turn
 * (takeWriteTurn — the lock every message and room writer takes first), so imports, bots, hooks
 * and branch rooms find a login, a hook id or a room name free and take it with nobody in between,
 * and the lock order stays the one every writer uses. When it still loses a race (raceCodes) it is
 * run again from the start: the rolled-back attempt wrote nothing, and the new one re-reads what
 * the other writer committed, answering as a serial write would (`login_taken`, the next `hook-N`).
 * `fn` must do nothing but SQL on `q` and pure work.
 */
export async function integrationTx<T>(db: PgDatabase, fn: (q: PgQueryable) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.tx(async (q) => {
        await takeWriteTurn(q);
        return fn(q);
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= maxTries || typeof code !== 'string' || !raceCodes.has(code)) throw err;
    }
  }
}
