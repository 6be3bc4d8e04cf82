import type { PgDatabase, PgQueryable } from './PgDatabase.ts';

/**
 * Errors a concurrent writer can cause under READ COMMITTED where SQLite's single write lock made
 * the same steps serial: a unique violation (two calls found the same login, hook id or room name
 * free and both inserted it), a deadlock, a serialization failure.
 */
const raceCodes = new Set(['23505', '40P01', '40001']);

/** Tries before a race error is passed on (a write that keeps losing is a bug, not bad luck). */
const maxTries = 8;

/**
 * Runs `fn` in one transaction like `db.tx`, and runs it again from the start when it lost a race
 * to a concurrent writer (see raceCodes): the rolled-back attempt wrote nothing, and the new one
 * re-reads what the other writer committed — so it answers as SQLite's serial writes would (e.g.
 * `login_taken`, or the next free `hook-N`). `fn` must do nothing but SQL on `q` and pure work.
 */
export async function integrationTx<T>(db: PgDatabase, fn: (q: PgQueryable) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.tx(fn);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= maxTries || typeof code !== 'string' || !raceCodes.has(code)) throw err;
    }
  }
}

/**
 * Makes the directory's writes (imports, external-id syncs, branch rooms) wait for each other, as
 * SQLite's write lock did: a login or a branch room's name is found free and taken inside the same
 * lock, so two imports never take `ivanov.ii` twice. Held until the transaction ends.
 */
export async function lockDirectory(q: PgQueryable): Promise<void> {
  // 0x64697273 is "dirs"; the migrations' lock uses "bese".
  await q.run('SELECT pg_advisory_xact_lock(1684632179)');
}
