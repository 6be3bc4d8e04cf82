// The PostgreSQL conversation store under concurrent writers on a pool of connections: what
// SQLite's one write lock made impossible must stay impossible (see takeWriteTurn).
import { describe, expect, it } from 'vitest';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { Actor } from '../../hub/ops/Hub.ts';
import { pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import { takeWriteTurn } from '../../hub/store/postgres/streamPosition.ts';
import { cid } from '../hub-core/harness.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { deadlocks, hubOn } from './conversationHubs.ts';

const key = roomNameKey;

describe.skipIf(!postgresAvailable)('PostgreSQL conversation store under concurrent writers', () => {
  it('the last two leaving at once: exactly one archives the room', { timeout: 120_000 }, async () => {
    const { hub, user, store, now } = await hubOn('postgres');
    try {
      const c = store.conversations;
      const owner = (await user('owner')).userId;
      const guest = (await user('guest')).userId;
      for (let round = 0; round < 8; round++) {
        const name = `Комната ${round}`;
        const made = await c.createRoom(
          { kind: 'open', name, nameKey: key(name), topic: '', ownerId: owner, invited: [guest] },
          now,
        );
        if (made.kind !== 'changed') throw new Error(made.reason);
        const room = made.conversationId;
        const results = await Promise.all([
          c.removeMember(room, owner, { by: 'self' }, now + 1),
          c.removeMember(room, guest, { by: 'self' }, now + 1),
        ]);
        expect(results.map((r) => r.kind)).toEqual(['changed', 'changed']);
        expect(results.filter((r) => r.kind === 'changed' && r.archived)).toHaveLength(1);
        expect(await c.find(room)).toMatchObject({ archived: true });
        expect(await c.memberIds(room)).toEqual([]);
      }
    } finally {
      await hub.close();
    }
  });

  it(
    'joins, renames and messages in one room at once: no deadlock, no lost write, seqs in order',
    { timeout: 120_000 },
    async () => {
      const { hub, user, store, now } = await hubOn('postgres');
      try {
        const c = store.conversations;
        const owner = await user('owner');
        const people: Actor[] = [];
        for (let i = 0; i < 24; i++) people.push(await user(`p${i}`));
        const made = await c.createRoom(
          { kind: 'open', name: 'Толпа', nameKey: key('Толпа'), topic: '', ownerId: owner.userId, invited: [] },
          now,
        );
        if (made.kind !== 'changed') throw new Error(made.reason);
        const room = made.conversationId;
        const work: Promise<unknown>[] = [];
        for (let i = 0; i < people.length; i++) {
          work.push(c.addMembers(room, [people[i]!.userId], { by: 'self' }, now + i));
          work.push(hub.send(owner, { conversationId: room, clientId: cid(`m${i}`), text: `сообщение ${i}` }));
          const name = `Толпа ${i}`;
          const rename = { actorId: owner.userId, expectedOwnerId: owner.userId, name: { name, key: key(name) } };
          work.push(c.updateRoom(room, { ...rename, topic: `тема ${i}` }, now + i));
        }
        const outcomes = await Promise.all(work);
        expect(outcomes.filter((o) => (o as { kind?: string }).kind === 'refused')).toEqual([]);
        expect(await c.memberIds(room)).toHaveLength(people.length + 1);
        // Every write took its own seq from the one counter: the stored messages are gapless after
        // the room's creation, and the room's last_seq is the highest of them.
        const db = pgDatabaseOf(store);
        const rows = await db.all<{ seq: number; kind: string; system: string | null }>(
          'SELECT seq, kind, system FROM messages WHERE conversation_id = $1 ORDER BY seq',
          [room],
        );
        const seqs = rows.map((r) => r.seq);
        expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
        expect(rows.filter((r) => r.kind === 'text')).toHaveLength(people.length);
        const events = rows.filter((r) => r.system).map((r) => JSON.parse(r.system!).event as string);
        expect(events.filter((e) => e === 'joined')).toHaveLength(people.length);
        expect(events.filter((e) => e === 'renamed')).toHaveLength(people.length);
        expect((await c.find(room))!.lastSeq).toBe(seqs.at(-1));
      } finally {
        await hub.close();
      }
    },
  );

  it(
    'a rename waits for a send that holds the counter, and the send never waits for the rename',
    { timeout: 120_000 },
    async () => {
      const { hub, user, store, now, storeUrl } = await hubOn('postgres');
      const db = pgDatabaseOf(store);
      let sending: Promise<void> | undefined;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let held!: () => void;
      const holding = new Promise<void>((resolve) => (held = resolve));
      try {
        const c = store.conversations;
        const owner = (await user('owner')).userId;
        const made = await c.createRoom(
          { kind: 'open', name: 'Пара', nameKey: key('Пара'), topic: '', ownerId: owner, invited: [] },
          now,
        );
        if (made.kind !== 'changed') throw new Error(made.reason);
        const room = made.conversationId;
        // A send as pgMessageStore makes it: the counter first, the conversation's row at the end.
        sending = db.tx(async (q) => {
          await takeWriteTurn(q);
          held();
          await gate;
          await q.run('UPDATE conversations SET last_ts = last_ts WHERE id = $1', [room]);
        });
        await holding;
        const name = { name: 'Пара 2', key: key('Пара 2') };
        const renaming = c.updateRoom(room, { actorId: owner, expectedOwnerId: owner, name }, now + 1);
        // The rename is waiting for a lock (the counter: it must not hold the room's row meanwhile).
        for (let tries = 0; ; tries++) {
          const row = await db.one<{ n: number }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (row!.n > 0) break;
          if (tries > 200) throw new Error('the rename never waited');
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        release();
        await sending;
        expect(await renaming).toMatchObject({ kind: 'changed', messages: [{ system: { event: 'renamed' } }] });
      } finally {
        release();
        await sending?.catch(() => {});
        await hub.close();
      }
      // Had the rename taken the room's row before the counter, the two would have deadlocked and
      // PostgreSQL broken it by failing one (a backend reports its count when it exits).
      expect(await deadlocks(storeUrl!)).toBe(0);
    },
  );

  it('both people opening their direct conversation at once get the same one', { timeout: 120_000 }, async () => {
    const { hub, user, store, now } = await hubOn('postgres');
    try {
      const c = store.conversations;
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) ids.push((await user(`d${i}`)).userId);
      const opened = await Promise.all(
        ids.flatMap((x) => ids.filter((y) => y !== x).map((y) => c.openDirect(x, y, now))),
      );
      const byPair = new Map<string, Set<number>>();
      for (const [n, o] of opened.entries()) {
        if (o.kind !== 'opened') throw new Error(o.reason);
        const x = ids[Math.floor(n / (ids.length - 1))]!;
        const others = ids.filter((y) => y !== x);
        const y = others[n % (ids.length - 1)]!;
        const pair = [Math.min(x, y), Math.max(x, y)].join('-');
        byPair.set(pair, (byPair.get(pair) ?? new Set()).add(o.conversationId));
      }
      expect(byPair.size).toBe((ids.length * (ids.length - 1)) / 2);
      expect([...byPair.values()].every((s) => s.size === 1)).toBe(true);
      expect(opened.filter((o) => o.kind === 'opened' && o.created)).toHaveLength(byPair.size);
    } finally {
      await hub.close();
    }
  });
});
