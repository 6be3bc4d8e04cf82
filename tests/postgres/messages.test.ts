// The PostgreSQL message store where several writers meet, which the hub-core tests (one hub, its
// sends group-committed) do not reach: the same client id from two hub nodes at once and twice in
// one batch (one row, the other answered `duplicate`), a delete racing an edit (never a deleted
// message with text), two new emoji racing for the last place, and a page of history read in a
// few queries, not one per message; since() walking the seq indexes (the plans of the statements it
// sends; the check fails with index scans turned off).
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { AppendOutcome, ChangeOutcome } from '../../hub/store/MessageStore.ts';
import { pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { client, now, send, twoNodes } from './messageNodes.ts';

const rounds = 15;

describe.skipIf(!postgresAvailable)('the PostgreSQL message store with two hub nodes', () => {
  it('stores a client id sent to two nodes at once, or twice in one batch, once; the others answer duplicate', async () => {
    const { a, b, anna, roomA } = await twoNodes();
    for (let i = 0; i < rounds; i += 1) {
      const request = send(anna, roomA, `дважды ${i}`);
      const outcomes: AppendOutcome[] = (
        await Promise.all([a.messages.appendBatch([request, request]), b.messages.appendBatch([request])])
      ).flat();
      const stored = outcomes.filter((o) => o.kind === 'stored');
      expect(stored).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(2);
      const seqs = new Set(outcomes.map((o) => (o.kind === 'stored' || o.kind === 'duplicate' ? o.message.seq : 0)));
      expect(seqs.size).toBe(1);
    }
    const rows = await pgDatabaseOf(a).one<{ n: number }>(
      "SELECT count(*) AS n FROM messages WHERE sender_id = $1 AND kind = 'text'",
      [anna],
    );
    expect(rows).toEqual({ n: rounds });
  });

  it('never leaves text in a deleted message when an edit races the delete', async () => {
    const { a, b, anna, roomA } = await twoNodes();
    for (let i = 0; i < rounds; i += 1) {
      const [posted] = await a.messages.appendBatch([send(anna, roomA, `исходный ${i}`)]);
      if (posted?.kind !== 'stored') throw new Error('not stored');
      const seq = posted.message.seq;
      const [deleted, edited] = await Promise.all([
        a.messages.applyChange({ actorId: anna, clientId: `del-${i}-x`, seq, ts: now + i, change: { kind: 'delete' } }),
        b.messages.applyChange({
          actorId: anna,
          clientId: `edit-${i}-x`,
          seq,
          ts: now + i,
          change: { kind: 'edit', text: `правка ${i}`, mentions: [], mentionsAll: false },
        }),
      ]);
      expect(deleted.kind).toBe('applied');
      // Either the edit came first (then the delete scrubbed it) or it found the message deleted.
      expect(['applied', 'refused']).toContain(edited.kind);
      if (edited.kind === 'refused') expect(edited.reason).toBe('deleted');
      const row = await pgDatabaseOf(a).one<{ text: string; deleted_at: number | null }>(
        'SELECT text, deleted_at FROM messages WHERE seq = $1',
        [seq],
      );
      expect(row).toEqual({ text: '', deleted_at: now + i });
    }
  });

  it('lets only one of two new emoji racing for the last place in', async () => {
    const { a, b, anna, vera, roomA } = await twoNodes();
    const react = (actorId: number, seq: number, emoji: string, tag: string) => ({
      actorId,
      clientId: `react-${tag}`,
      seq,
      ts: now,
      change: { kind: 'react' as const, emoji, on: true, maxEmoji: 2 },
    });
    for (let i = 0; i < rounds; i += 1) {
      const [posted] = await a.messages.appendBatch([send(anna, roomA, `реакции ${i}`)]);
      if (posted?.kind !== 'stored') throw new Error('not stored');
      const seq = posted.message.seq;
      expect((await a.messages.applyChange(react(anna, seq, '👍', `${i}-first`))).kind).toBe('applied');
      const outcomes: ChangeOutcome[] = await Promise.all([
        a.messages.applyChange(react(anna, seq, '🎉', `${i}-a`)),
        b.messages.applyChange(react(vera, seq, '🔥', `${i}-b`)),
      ]);
      expect(outcomes.map((o) => (o.kind === 'refused' ? o.reason : o.kind)).sort()).toEqual([
        'applied',
        'too_many_reactions',
      ]);
      expect((await b.messages.get(seq))!.reactions).toHaveLength(2);
    }
  });

  it('reads a page of 200 messages with files, reactions and reply quotes in a few queries', async () => {
    const { a, anna, vera, roomA } = await twoNodes();
    const seqs: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const more = i > 0 && i % 2 === 0 ? { replyTo: seqs[i - 1]! } : {};
      const [outcome] = await a.messages.appendBatch([{ ...send(anna, roomA, `сообщение ${i}`), ...more }]);
      if (outcome?.kind !== 'stored') throw new Error('not stored');
      seqs.push(outcome.message.seq);
      if (i % 3 === 0)
        await a.messages.applyChange({
          actorId: vera,
          clientId: `page-react-${i}`,
          seq: outcome.message.seq,
          ts: now,
          change: { kind: 'react', emoji: '👍', on: true, maxEmoji: 20 },
        });
    }
    const pool = pgDatabaseOf(a).pool;
    const query = pool.query.bind(pool);
    let queries = 0;
    pool.query = ((...args: Parameters<typeof query>) => {
      queries += 1;
      return query(...args);
    }) as typeof pool.query;
    const page = await a.messages.before(roomA, Number.MAX_SAFE_INTEGER, 199);
    pool.query = query;
    expect(page).toHaveLength(200);
    expect(page.filter((m) => m.reactions)).toHaveLength(67);
    expect(page.filter((m) => m.replyTo)).toHaveLength(99);
    // The rows, their files, reactions, the quoted targets and their files.
    expect(queries).toBeLessThanOrEqual(5);
  });
});

describe.skipIf(!postgresAvailable)('since on a large PostgreSQL database', () => {
  it('walks the seq indexes from the cursor, never scanning the messages or the updates table', async () => {
    const { url, a, anna, vera, roomA } = await twoNodes();
    const sql = await client(url);
    // 60 000 messages and as many updates, written directly (the store would take minutes).
    await sql.query(
      `INSERT INTO messages (seq, conversation_id, sender_id, client_id, kind, text, ts)
       SELECT s * 2, $1, $2, 'bulk-' || s, 'text', 'x', 0 FROM generate_series(100, 60099) s`,
      [roomA, anna],
    );
    await sql.query(
      `INSERT INTO message_updates (seq, conversation_id, target_seq, actor_id, client_id, kind, ts)
       SELECT s * 2 + 1, $1, s * 2, $2, 'bulk-' || s, 'react', 0 FROM generate_series(100, 60099) s`,
      [roomA, anna],
    );
    await sql.query('UPDATE stream_position SET seq = 200000');
    await sql.query('ANALYZE');
    // The statements since() really sends (on its transaction's client), explained with its parameters.
    const pool = pgDatabaseOf(a).pool;
    const sent: [string, unknown[]][] = [];
    const patched: [pg.PoolClient, pg.PoolClient['query']][] = [];
    const watch = (c: pg.PoolClient) => {
      const original = c.query;
      patched.push([c, original]);
      c.query = ((text: string, params?: unknown[]) => {
        sent.push([text, params ?? []]);
        return (original as (text: string, params?: unknown[]) => unknown).call(c, text, params);
      }) as typeof c.query;
    };
    pool.on('acquire', watch);
    const got = await a.messages.since(vera, 119_000, 50);
    pool.off('acquire', watch);
    for (const [c, original] of patched) c.query = original;
    expect(got.messages.length + got.updates.length).toBe(51);
    const walks = sent.filter(([text]) => /WHERE [gu]\.seq > \$1/.test(text));
    expect(walks).toHaveLength(2);
    for (const [text, params] of walks) {
      const plan = (await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).not.toMatch(/Seq Scan on (messages|message_updates)/);
      expect(plan).toMatch(/Index (Only )?Scan using (messages_pkey|message_updates_pkey)/);
    }
  }, 120_000);
});
