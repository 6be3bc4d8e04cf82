import type { PgQueryable } from './PgDatabase.ts';

/**
 * The next seq of the one sequence (messages and updates alike), for the row the caller is about
 * to insert. MUST run inside the writing transaction (`db.tx`), never on the pool: the UPDATE
 * locks the single `stream_position` row until that transaction ends, so a second writer waits
 * here until the first COMMITs. Seqs therefore become visible in the order they were taken, and a
 * reader asking for "everything after N" can never see N+2 while N+1 is still to come — which an
 * identity column or a sequence would allow (they hand out numbers without waiting for commits).
 * Take it as late as possible in the transaction (after the checks), since it serialises writers
 * until COMMIT. A rollback leaves the counter unchanged, so no number is skipped. (A copy from
 * SQLite must set the row to the highest seq it copied.)
 */
export async function nextSeq(q: PgQueryable): Promise<number> {
  const row = await q.one<{ seq: number }>('UPDATE stream_position SET seq = seq + 1 WHERE id = 1 RETURNING seq');
  if (!row) throw new Error('stream_position has no row: the schema was not migrated');
  return row.seq;
}

/**
 * Takes the writers' turn: locks the `stream_position` row without taking a seq, FIRST in a
 * transaction that will write messages or updates. Everything the transaction reads afterwards
 * sees every earlier writer's commit (READ COMMITTED reads a new snapshot per statement), so its
 * checks hold at commit as under SQLite's one write lock (an edit cannot resurrect a message a
 * concurrent delete scrubbed; two reactions cannot both pass the emoji limit). Taking it before
 * any row lock keeps one lock order (counter, then rows), so writers never deadlock. Held until
 * the transaction ends; taking it again (or {@link nextSeq} afterwards) does not wait.
 */
export async function takeWriteTurn(q: PgQueryable): Promise<void> {
  await q.run('SELECT 1 FROM stream_position WHERE id = 1 FOR UPDATE');
}

/**
 * Gives back the seq {@link nextSeq} just returned, when the row it was for was not written after
 * all (a client id stored meanwhile): the caller still holds the counter's lock, so nobody took a
 * later one, and the sequence stays without gaps.
 */
export async function giveBackSeq(q: PgQueryable, seq: number): Promise<void> {
  await q.run('UPDATE stream_position SET seq = seq - 1 WHERE id = 1 AND seq = $1', [seq]);
}
