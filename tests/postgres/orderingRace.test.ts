// The one sequence across hub nodes on PostgreSQL (design point 4 of issue 20): two stores on two
// pools (two hub nodes) write messages and updates while one writer's transaction is held open
// after it took its seq, and a reader polls "everything after N" the way catch-up does (sync's
// `since`, the cursor moved to the highest seq it got). It must never move past a seq that
// appears later. A control on a plain identity column shows the same reader does catch that skip;
// with streamPosition.ts mocked to take seqs from a PostgreSQL sequence (nextval) and no writers'
// turn, the two store tests fail (the held-open one skips its seq, the slow-commit one ~80 of ~230).
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../hub/store/Store.ts';
import { pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { client, newDatabase, now, send, twoNodes } from './messageNodes.ts';

/**
 * A catch-up reader: `poll` asks for everything after its cursor (in pages of `limit` + 1, as
 * sync does) and moves the cursor to the highest seq it got; `skipped` are the seqs that exist
 * now but were never returned, i.e. became visible only after the cursor had passed them.
 */
function catchUpReader(read: (after: number) => Promise<number[]>) {
  let cursor = 0;
  const seen = new Set<number>();
  return {
    seen,
    get cursor() {
      return cursor;
    },
    async poll() {
      for (;;) {
        const seqs = await read(cursor);
        if (seqs.length === 0) return;
        for (const s of seqs) seen.add(s);
        cursor = Math.max(cursor, ...seqs);
      }
    },
    skipped: (all: readonly number[]) => all.filter((s) => !seen.has(s)),
  };
}

/**
 * Waits until `n` backends of the database wait for a lock (the writers really are blocked), or
 * until `done()` says there is nothing to wait for any more.
 */
async function lockWaiters(watch: pg.Client, n: number, done = () => false): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await watch.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n >= n || done()) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of ${n} backends wait for a lock`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!postgresAvailable)('the one sequence across two hub nodes', () => {
  it('control: on a plain identity column the same reader skips a seq committed late', async () => {
    // What the store must not do: hand out numbers without waiting for the previous commit.
    const url = await newDatabase();
    const [w1, w2, r] = [await client(url), await client(url), await client(url)];
    await w1.query('CREATE TABLE plain (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, text text NOT NULL)');
    const reader = catchUpReader(async (after) =>
      (await r.query<{ seq: number }>('SELECT seq::int FROM plain WHERE seq > $1 ORDER BY seq', [after])).rows.map(
        (x) => x.seq,
      ),
    );
    await w1.query('BEGIN');
    await w1.query(`INSERT INTO plain (text) VALUES ('slow')`); // takes 1, commit held back
    await w2.query(`INSERT INTO plain (text) VALUES ('fast')`); // takes 2, commits at once
    await reader.poll();
    await w1.query('COMMIT');
    await reader.poll();
    const all = (await r.query<{ seq: number }>('SELECT seq::int FROM plain ORDER BY seq')).rows.map((x) => x.seq);
    expect(all).toEqual([1, 2]);
    expect(reader.skipped(all)).toEqual([1]);
  });

  it('a writer held open after taking its seq makes the other node wait: the reader never skips', async () => {
    const { url, a, b, anna, boris, vera, roomA, roomB } = await twoNodes();
    const reader = catchUpReader(async (after) => {
      const got = await b.messages.since(vera, after, 5);
      return [...got.messages.map((m) => m.seq), ...got.updates.map((u) => u.seq)];
    });
    await reader.poll();
    const start = reader.cursor;
    // Node A's send takes its seq and inserts, then waits for room A's row (its last_seq), which
    // the holder keeps locked: A's transaction stays open after taking the seq.
    const holder = await client(url);
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE', [roomA]);
    const slow = a.messages.appendBatch([send(anna, roomA, 'медленно')]);
    await lockWaiters(holder, 1);
    // A has inserted its message (taken its seq) before it waits: it holds a lock on the table.
    const inserted = await holder.query(
      `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
       WHERE c.relname = 'messages' AND l.mode = 'RowExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()`,
    );
    expect(inserted.rowCount).toBeGreaterThan(0);
    // Node B sends in the other room meanwhile.
    // It waits for A's commit (a store that let it commit now would show its higher seq first).
    let fastDone = false;
    const fast = b.messages.appendBatch([send(boris, roomB, 'быстро')]).finally(() => (fastDone = true));
    await lockWaiters(holder, 2, () => fastDone);
    await reader.poll();
    await reader.poll();
    await holder.query('COMMIT');
    const [[slowOutcome], [fastOutcome]] = await Promise.all([slow, fast]);
    if (slowOutcome?.kind !== 'stored' || fastOutcome?.kind !== 'stored') throw new Error('not stored');
    await reader.poll();
    const all = [slowOutcome.message.seq, fastOutcome.message.seq];
    expect(reader.skipped(all)).toEqual([]);
    expect(fastOutcome.message.seq).toBeGreaterThan(slowOutcome.message.seq);
    expect(reader.cursor).toBe(fastOutcome.message.seq);
    expect(start).toBeLessThan(slowOutcome.message.seq);
  });

  it('under slow commits from both nodes (messages and updates), the reader polling meanwhile never skips', async () => {
    const { url, a, b, anna, boris, vera, roomA, roomB } = await twoNodes();
    // Every insert sleeps a random 0–15 ms inside its transaction, after its seq was taken: commits
    // come late and in every order of taking, from both pools at once.
    const setup = await client(url);
    await setup.query(`CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(random() * 0.015); RETURN NULL; END $$`);
    await setup.query(
      `CREATE TRIGGER messages_slow AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION slow_commit()`,
    );
    await setup.query(
      `CREATE TRIGGER updates_slow AFTER INSERT ON message_updates FOR EACH ROW EXECUTE FUNCTION slow_commit()`,
    );
    const reader = catchUpReader(async (after) => {
      const got = await a.messages.since(vera, after, 7);
      return [...got.messages.map((m) => m.seq), ...got.updates.map((u) => u.seq)];
    });
    let writing = true;
    const polling = (async () => {
      while (writing) await reader.poll();
    })();
    const writer = async (store: Store, senderId: number, room: number, tag: string) => {
      for (let i = 0; i < 25; i += 1) {
        const outcomes = await store.messages.appendBatch(
          Array.from({ length: 1 + (i % 3) }, (_, k) => send(senderId, room, `${tag} ${i}.${k}`)),
        );
        const first = outcomes[0];
        if (first?.kind !== 'stored') throw new Error(`not stored: ${first?.kind}`);
        if (i % 4 === 0) {
          const changed = await store.messages.applyChange({
            actorId: senderId,
            clientId: `react-${tag}-${i}`,
            seq: first.message.seq,
            ts: now + i,
            change: { kind: 'react', emoji: '👍', on: true, maxEmoji: 20 },
          });
          if (changed.kind !== 'applied') throw new Error(`not applied: ${changed.kind}`);
        }
      }
    };
    await Promise.all([
      writer(a, anna, roomA, 'a1'),
      writer(a, anna, roomA, 'a2'),
      writer(b, boris, roomB, 'b1'),
      writer(b, boris, roomB, 'b2'),
    ]);
    writing = false;
    await polling;
    await reader.poll();
    const db = pgDatabaseOf(a);
    const all = (
      await db.all<{ seq: number }>('SELECT seq FROM messages UNION ALL SELECT seq FROM message_updates ORDER BY seq')
    ).map((r) => r.seq);
    // 4 writers × 25 batches of 1–3 messages, and 7 reactions each, all in conversations vera is in.
    expect(await db.one<{ n: number }>('SELECT count(*) AS n FROM message_updates')).toEqual({ n: 28 });
    expect(all.length).toBeGreaterThan(4 * 49 + 28);
    expect(reader.skipped(all)).toEqual([]);
    // And no seq was taken twice or lost to a rollback: 1..n without gaps (the rooms' two system
    // messages included, as the reader is in both).
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  }, 120_000);
});
