// The queues and releases area of the PostgreSQL store, method by method, against a real
// PostgreSQL 15 (tests/helpers/postgres.ts): the bot delivery queue (and its claims when several
// hub nodes share it), button clicks and slash commands, desktop releases and installs. The
// hub-level tests that start a real hub process run on SQLite only until the server can open PG.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../hub/store/Store.ts';
import type { DeliveryRecord } from '../../hub/store/CallbackStore.ts';
import { enqueueBotDeliveries } from '../../hub/store/postgres/botDeliveries.ts';
import { openPostgresStore, pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import type { PgDatabase } from '../../hub/store/postgres/PgDatabase.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { ids, seedQueues, storeMessage } from './queuesSeed.ts';
import { releaseTests } from './queuesReleases.ts';
import { buttonTests } from './queuesButtons.ts';

const T0 = 1_700_000_000_000;
let cluster: TestPostgres;
const opened: Store[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterEach(async () => {
  for (const s of opened.splice(0)) await pgDatabaseOf(s).close();
});
afterAll(async () => {
  await cluster?.close();
});

/** A new seeded database and a store (one pool = one hub node) on it. */
async function fresh(): Promise<{ url: string; store: Store; db: PgDatabase }> {
  const url = await cluster.createDatabase();
  const store = await node(url);
  const db = pgDatabaseOf(store);
  await db.tx((q) => seedQueues(q, T0));
  return { url, store, db };
}

/** Another hub node: its own pool and store on the same database. */
async function node(url: string): Promise<Store> {
  const store = await openPostgresStore(url, { now: T0 });
  opened.push(store);
  return store;
}

/** Queues a delivery directly (the tests choose next_at); resolves to its row id. */
async function queue(db: PgDatabase, botId: number, nextAt: number, tag = `${botId}-${nextAt}`): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO bot_deliveries (delivery_id, bot_id, body, created_at, next_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [`d-${tag}-${Math.random()}`, botId, JSON.stringify({ tag }), T0, nextAt],
  );
  return row!.id;
}

describe('callbacks', () => {
  it('target, setCallback and callbackOf as the SQLite store answers them', async () => {
    const { store } = await fresh();
    const cb = store.callbacks;
    expect(await cb.target(ids.onec)).toEqual({
      botId: ids.onec,
      login: 'onec',
      url: 'https://onec.local/hook',
      secret: 'secret-onec',
    });
    expect(await cb.target(ids.quiet)).toBeUndefined(); // no URL
    expect(await cb.target(ids.gone)).toBeUndefined(); // disabled
    expect(await cb.target(ids.alice)).toBeUndefined(); // not a bot
    expect(await cb.setCallback('nobody', 'https://x.local/')).toBeUndefined();
    expect(await cb.callbackOf('nobody')).toBeUndefined();
    expect(await cb.callbackOf('quiet')).toEqual({ botId: ids.quiet, url: null, hasSecret: false });

    // A URL without a secret: stored, but not a target until it has one.
    expect(await cb.setCallback('quiet', 'https://quiet.local/a')).toBe(ids.quiet);
    expect(await cb.callbackOf('quiet')).toEqual({ botId: ids.quiet, url: 'https://quiet.local/a', hasSecret: false });
    expect(await cb.target(ids.quiet)).toBeUndefined();
    await cb.setCallback('quiet', 'https://quiet.local/a', 's1');
    expect((await cb.target(ids.quiet))?.secret).toBe('s1');
    // `secret` undefined keeps the stored one; a new URL with it.
    await cb.setCallback('quiet', 'https://quiet.local/b');
    expect(await cb.target(ids.quiet)).toMatchObject({ url: 'https://quiet.local/b', secret: 's1' });
    // null clears URL and secret.
    await cb.setCallback('quiet', null, 'ignored');
    expect(await cb.callbackOf('quiet')).toEqual({ botId: ids.quiet, url: null, hasSecret: false });
  });

  it('enqueueBotDeliveries: member bots with a URL, never the sender, committed or rolled back with the message', async () => {
    const { store, db } = await fresh();
    const cb = store.callbacks;
    // A room message mentioning crm: onec hears it as 'room', crm as 'mention'; quiet (no URL),
    // gone (disabled) and outsider (not a member) hear nothing.
    const roomMessage = await db.tx(async (q) => {
      const m = await storeMessage(q, { seq: 1, conversationId: ids.room, senderId: ids.alice, mentions: [ids.crm] });
      await enqueueBotDeliveries(q, m, T0 + 5);
      return m;
    });
    const due = await cb.dueDeliveries(T0 + 5, 10);
    expect(due.map((d) => d.botId).sort()).toEqual([ids.onec, ids.crm].sort());
    for (const d of due) {
      expect(d).toMatchObject({ attempts: 0, createdAt: T0 + 5, nextAt: T0 + 5 });
      const body = JSON.parse(d.body) as Record<string, unknown>;
      expect(body).toEqual({
        type: 'message',
        deliveryId: d.deliveryId,
        bot: { id: d.botId, login: d.botId === ids.onec ? 'onec' : 'crm' },
        reason: d.botId === ids.crm ? 'mention' : 'room',
        conversation: { id: ids.room, kind: 'open', name: 'Склад' },
        message: roomMessage,
        sender: { id: ids.alice, login: 'alice', name: 'ALICE', externalId: 'EXT-1' },
      });
    }
    expect(new Set(due.map((d) => d.deliveryId)).size).toBe(2);
    for (const d of due) await cb.removeDelivery(d.id);

    // A bot's own message is not sent back to it; a direct message is 'direct'.
    await db.tx(async (q) => {
      await enqueueBotDeliveries(
        q,
        await storeMessage(q, { seq: 2, conversationId: ids.room, senderId: ids.onec }),
        T0,
      );
      await enqueueBotDeliveries(
        q,
        await storeMessage(q, { seq: 3, conversationId: ids.direct, senderId: ids.alice }),
        T0,
      );
      // System messages are not delivered.
      await enqueueBotDeliveries(
        q,
        await storeMessage(q, { seq: 4, conversationId: ids.room, senderId: ids.alice, kind: 'system' }),
        T0,
      );
    });
    const next = await cb.dueDeliveries(T0, 10);
    const reasons = next.map((d) => [d.botId, (JSON.parse(d.body) as { reason: string }).reason]);
    expect(reasons.sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      [ids.onec, 'direct'],
      [ids.crm, 'room'],
    ]);
    for (const d of next) await cb.removeDelivery(d.id);

    // Rolled back with the message: nothing queued.
    await expect(
      db.tx(async (q) => {
        await enqueueBotDeliveries(
          q,
          await storeMessage(q, { seq: 5, conversationId: ids.room, senderId: ids.alice }),
          T0,
        );
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await cb.queueLength()).toBe(0);
  });

  it('dueDeliveries, retryDelivery, removeDelivery, queueLength and nextDue', async () => {
    const { store, db } = await fresh();
    const cb = store.callbacks;
    expect(await cb.queueLength()).toBe(0);
    expect(await cb.nextDue()).toBeNull();
    const late = await queue(db, ids.onec, T0 + 50);
    const early = await queue(db, ids.crm, T0 + 10);
    const tie = await queue(db, ids.onec, T0 + 10);
    const future = await queue(db, ids.crm, T0 + 1_000);
    expect(await cb.queueLength()).toBe(4);
    expect(await cb.nextDue()).toBe(T0 + 10);
    // Oldest due first (next_at, then id), only what is due, at most `limit`.
    expect((await cb.dueDeliveries(T0 + 100, 10)).map((d) => d.id)).toEqual([early, tie, late]);
    expect((await cb.dueDeliveries(T0 + 100, 2)).map((d) => d.id)).toEqual([early, tie]);
    expect(await cb.dueDeliveries(T0 + 9, 10)).toEqual([]);

    // A failed attempt: counted, not due until its time, the error kept (500 characters, no NUL).
    await cb.dueDeliveries(T0 + 100, 10);
    await cb.retryDelivery(early, T0 + 500, `\u0000${'x'.repeat(600)}`);
    const row = await db.one<{ attempts: number; next_at: number; last_error: string }>(
      'SELECT attempts, next_at, last_error FROM bot_deliveries WHERE id = $1',
      [early],
    );
    expect(row).toEqual({ attempts: 1, next_at: T0 + 500, last_error: 'x'.repeat(500) });
    expect((await cb.dueDeliveries(T0 + 100, 10)).map((d) => d.id)).toEqual([tie, late]);
    const again = await cb.dueDeliveries(T0 + 500, 10);
    expect(again.map((d) => d.id)).toEqual([tie, late, early]);
    expect(again[2]).toMatchObject({ attempts: 1, nextAt: T0 + 500, createdAt: T0 });

    await cb.removeDelivery(tie);
    await cb.removeDelivery(early);
    expect(await cb.queueLength()).toBe(2);
    expect(await cb.nextDue()).toBe(T0 + 50);
    await cb.removeDelivery(late);
    await cb.removeDelivery(future);
    expect(await cb.queueLength()).toBe(0);
    expect(await cb.nextDue()).toBeNull();
  });

  it('a bot one node holds is not handed to another until it finished, asked again, or the lease ran out', async () => {
    const { url, store: a, db } = await fresh();
    const b = await node(url);
    const x1 = await queue(db, ids.onec, T0);
    const x2 = await queue(db, ids.onec, T0 + 1);
    const y1 = await queue(db, ids.crm, T0 + 2);
    const ids_ = (list: DeliveryRecord[]) => list.map((d) => d.id);

    expect(ids_(await a.callbacks.dueDeliveries(T0 + 10, 2))).toEqual([x1, x2]);
    // B gets only the other bot, even for a delivery of onec queued after A's claim.
    const x3 = await queue(db, ids.onec, T0 + 3);
    expect(ids_(await b.callbacks.dueDeliveries(T0 + 10, 10))).toEqual([y1]);
    // One of A's two finished: still A's.
    await a.callbacks.removeDelivery(x1);
    await b.callbacks.retryDelivery(y1, T0 + 1_000, 'down');
    expect(await b.callbacks.dueDeliveries(T0 + 10, 10)).toEqual([]);
    // A's last one finished (a retry counts): onec is free.
    await a.callbacks.retryDelivery(x2, T0 + 1_000, 'down');
    expect(ids_(await b.callbacks.dueDeliveries(T0 + 10, 10))).toEqual([x3]);
    expect(await a.callbacks.dueDeliveries(T0 + 10, 10)).toEqual([]);

    // B crashes holding onec: A gets crm's retry but not onec's, until the lease ran out.
    expect(ids_(await a.callbacks.dueDeliveries(T0 + 2_000, 10))).toEqual([y1]);
    await db.run(`UPDATE bot_delivery_claims SET until = clock_timestamp() - interval '1 second'`);
    expect(ids_(await a.callbacks.dueDeliveries(T0 + 2_000, 10))).toEqual([x3, x2, y1]);
    // B, back, finishes what it had: A's claim on onec stays A's.
    await b.callbacks.removeDelivery(x3);
    expect(await db.one('SELECT count(*) AS n, count(DISTINCT holder) AS holders FROM bot_delivery_claims')).toEqual({
      n: 2,
      holders: 1,
    });
    expect(await b.callbacks.dueDeliveries(T0 + 2_000, 10)).toEqual([]);
    // A node asking again ends its own earlier claims (its worker asks only after a batch ended).
    expect(ids_(await a.callbacks.dueDeliveries(T0 + 2_000, 1))).toEqual([x2]);
    expect(ids_(await b.callbacks.dueDeliveries(T0 + 2_000, 10))).toEqual([y1]);
  });

  it('two nodes working one queue at once never both get a delivery, nor one bot at the same time', async () => {
    const { url, store: a, db } = await fresh();
    const b = await node(url);
    const bots = [ids.onec, ids.crm, ids.quiet, ids.gone, ids.outsider, ids.alice, ids.bob];
    let n = 0;
    for (let round = 0; round < 25; round++) for (const bot of bots) await queue(db, bot, T0 + n, `r${n++}`);
    const total = n;
    const sentBy: Record<string, string[]> = {};
    const busy = new Map<number, { node: string; left: number }>();
    const violations: string[] = [];
    const tick = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));

    // What BotDeliveries does: take a batch, send each bot's in order, finish each, ask again.
    const worker = async (name: string, store: Store) => {
      for (let idle = 0; idle < 200;) {
        const due = await store.callbacks.dueDeliveries(T0 + total, 6);
        if (due.length === 0) {
          if ((await store.callbacks.queueLength()) === 0) return;
          idle++;
          await tick();
          continue;
        }
        for (const d of due) {
          const held = busy.get(d.botId);
          if (held && held.node !== name) violations.push(`${name} got bot ${d.botId} while ${held.node} had it`);
          busy.set(d.botId, { node: name, left: (held?.node === name ? held.left : 0) + 1 });
          (sentBy[d.deliveryId] ??= []).push(name);
        }
        const byBot = new Map<number, DeliveryRecord[]>();
        for (const d of due) byBot.set(d.botId, [...(byBot.get(d.botId) ?? []), d]);
        await Promise.all(
          [...byBot.values()].map(async (list) => {
            for (const d of list) {
              await tick(); // the call to the bot
              const held = busy.get(d.botId)!;
              if (--held.left === 0) busy.delete(d.botId);
              await store.callbacks.removeDelivery(d.id);
            }
          }),
        );
      }
    };
    await Promise.all([worker('A', a), worker('B', b)]);

    expect(violations).toEqual([]);
    expect(Object.keys(sentBy)).toHaveLength(total);
    expect(Object.values(sentBy).filter((by) => by.length !== 1)).toEqual([]);
    // Both nodes did part of the work (the race was real).
    const counts = Object.values(sentBy).reduce<Record<string, number>>(
      (c, [by]) => ({ ...c, [by!]: (c[by!] ?? 0) + 1 }),
      {},
    );
    expect(counts.A).toBeGreaterThan(0);
    expect(counts.B).toBeGreaterThan(0);
    expect(await a.callbacks.queueLength()).toBe(0);
    expect(await db.one('SELECT count(*) AS n FROM bot_delivery_claims')).toEqual({ n: 0 });
  }, 60_000);
});

buttonTests(fresh);
releaseTests(fresh);
