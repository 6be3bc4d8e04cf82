import { randomUUID } from 'node:crypto';
import type { CallbackStore, CallbackTarget, DeliveryRecord } from '../CallbackStore.ts';
import type { PgDatabase } from './PgDatabase.ts';

interface DeliveryRow {
  id: number;
  delivery_id: string;
  bot_id: number;
  body: string;
  created_at: number;
  attempts: number;
  next_at: number;
}

/**
 * How long a node's claim on a bot's deliveries lasts without progress. Every finished attempt
 * (removeDelivery, retryDelivery) renews it, so it only has to outlast ONE attempt: a call is cut
 * at `callbackTimeoutMs` (at most 120 s). It is also how long a crashed node's bots wait — and,
 * as the interface has no "release" call, a stopped node's: deliveries it had claimed but not yet
 * tried when it stopped go out when the lease ends (SQLite: at once after the restart).
 */
export const deliveryLeaseSeconds = 180;

/** pg_advisory_xact_lock(class, 1) serializes the claims of all nodes ("bese" as an int4). */
const claimLockClass = 1650815845;

const toRecord = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  deliveryId: r.delivery_id,
  botId: r.bot_id,
  body: r.body,
  createdAt: r.created_at,
  attempts: r.attempts,
  nextAt: r.next_at,
});

/**
 * The PostgreSQL {@link CallbackStore}: bots.callback_url / callback_secret and table bot_deliveries.
 *
 * Several hub nodes run the delivery worker (hub/ops/callbacks/BotDeliveries.ts) on one queue.
 * The worker sends one bot's deliveries in order, one at a time (docs/protocol.md), and the
 * interface has no "claim" or "release" call, so `dueDeliveries` claims by BOT, not by row: it
 * returns only deliveries of bots no other node holds, and records in bot_delivery_claims that this
 * node holds them. Why not `FOR UPDATE SKIP LOCKED` alone: a row lock lasts only as long as its
 * transaction, and no transaction may stay open across an HTTP call. Why not a per-row lease (push
 * next_at forward): two nodes could then send one bot's deliveries at once, out of order, and the
 * lease would have to outlast a whole batch (100 calls × the callback timeout) instead of one call.
 * The claim ends when this node finished every delivery it got (remove or retry), when this node
 * asks again (the worker asks only after its batch ended), or when the lease runs out (a crashed
 * node). Leases use the database server's clock, one clock for all nodes, independent of the
 * hub's `now` (tests move that by hand).
 */
export function pgCallbackStore(db: PgDatabase): CallbackStore {
  const holder = randomUUID();
  /** This node's claimed deliveries not finished yet: row id → bot id. */
  const open = new Map<number, number>();

  const botByLogin = (login: string) =>
    db.one<{ id: number; url: string | null; secret: string | null }>(
      `SELECT b.user_id AS id, b.callback_url AS url, b.callback_secret AS secret
       FROM bots b JOIN users u ON u.id = b.user_id WHERE u.login = $1`,
      [login],
    );

  /** One claimed delivery is done: renew the bot's claim, or end it after its last delivery. */
  const finished = async (id: number) => {
    const botId = open.get(id);
    if (botId === undefined) return;
    open.delete(id);
    if ([...open.values()].includes(botId))
      await db.run(
        `UPDATE bot_delivery_claims SET until = clock_timestamp() + make_interval(secs => $3)
         WHERE bot_id = $1 AND holder = $2`,
        [botId, holder, deliveryLeaseSeconds],
      );
    else await db.run('DELETE FROM bot_delivery_claims WHERE bot_id = $1 AND holder = $2', [botId, holder]);
  };

  return {
    target: (botId) =>
      db.one<CallbackTarget>(
        `SELECT b.user_id AS "botId", u.login, b.callback_url AS url, b.callback_secret AS secret
         FROM bots b JOIN users u ON u.id = b.user_id
         WHERE b.user_id = $1 AND u.disabled = 0 AND b.callback_url IS NOT NULL AND b.callback_secret IS NOT NULL`,
        [botId],
      ),
    setCallback: async (login, url, secret) => {
      const bot = await botByLogin(login);
      if (!bot) return undefined;
      const nextSecret = url === null ? null : secret === undefined ? bot.secret : secret;
      await db.run('UPDATE bots SET callback_url = $1, callback_secret = $2 WHERE user_id = $3', [
        url,
        nextSecret,
        bot.id,
      ]);
      return bot.id;
    },
    callbackOf: async (login) => {
      const bot = await botByLogin(login);
      return bot && { botId: bot.id, url: bot.url, hasSecret: bot.secret !== null };
    },
    dueDeliveries: async (now, limit) => {
      const rows = await db.tx(async (q) => {
        // Claims are taken one node at a time (a few milliseconds each): two nodes reading "bot
        // 7 is free" at once would otherwise both take it.
        await q.run('SELECT pg_advisory_xact_lock($1, 1)', [claimLockClass]);
        await q.run('DELETE FROM bot_delivery_claims WHERE holder = $1', [holder]);
        const due = await q.all<DeliveryRow>(
          `SELECT d.id, d.delivery_id, d.bot_id, d.body, d.created_at, d.attempts, d.next_at
           FROM bot_deliveries d
           WHERE d.next_at <= $1 AND NOT EXISTS (
             SELECT 1 FROM bot_delivery_claims c WHERE c.bot_id = d.bot_id AND c.until > clock_timestamp())
           ORDER BY d.next_at, d.id LIMIT $2`,
          [now, limit],
        );
        const bots = [...new Set(due.map((r) => r.bot_id))];
        if (bots.length > 0)
          await q.run(
            `INSERT INTO bot_delivery_claims (bot_id, holder, until)
             SELECT b, $2, clock_timestamp() + make_interval(secs => $3) FROM unnest($1::bigint[]) AS b
             ON CONFLICT (bot_id) DO UPDATE SET holder = excluded.holder, until = excluded.until`,
            [bots, holder, deliveryLeaseSeconds],
          );
        return due;
      });
      open.clear();
      for (const r of rows) open.set(r.id, r.bot_id);
      return rows.map(toRecord);
    },
    removeDelivery: async (id) => {
      await db.run('DELETE FROM bot_deliveries WHERE id = $1', [id]);
      await finished(id);
    },
    retryDelivery: async (id, nextAt, error) => {
      await db.run('UPDATE bot_deliveries SET attempts = attempts + 1, next_at = $1, last_error = $2 WHERE id = $3', [
        nextAt,
        // PostgreSQL text cannot hold NUL, and an error may quote what a bot answered.
        error.replaceAll('\u0000', '').slice(0, 500),
        id,
      ]);
      await finished(id);
    },
    queueLength: async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM bot_deliveries'))!.n,
    nextDue: async () => (await db.one<{ t: number | null }>('SELECT min(next_at) AS t FROM bot_deliveries'))!.t,
  };
}
