import type { Database } from 'better-sqlite3';
import type { CallbackStore, CallbackTarget, DeliveryRecord } from '../CallbackStore.ts';
import { statement } from './statement.ts';

interface DeliveryRow {
  id: number;
  delivery_id: string;
  bot_id: number;
  body: string;
  created_at: number;
  attempts: number;
  next_at: number;
}

/** The SQLite {@link CallbackStore}: bots.callback_url / callback_secret and table bot_deliveries. */
export function sqliteCallbackStore(db: Database): CallbackStore {
  const botByLogin = (login: string) =>
    statement(
      db,
      `SELECT b.user_id AS id, b.callback_url AS url, b.callback_secret AS secret
       FROM bots b JOIN users u ON u.id = b.user_id WHERE u.login = ?`,
    ).get(login) as { id: number; url: string | null; secret: string | null } | undefined;
  return {
    target: async (botId) => {
      const row = statement(
        db,
        `SELECT b.user_id AS botId, u.login, b.callback_url AS url, b.callback_secret AS secret
         FROM bots b JOIN users u ON u.id = b.user_id
         WHERE b.user_id = ? AND u.disabled = 0 AND b.callback_url IS NOT NULL AND b.callback_secret IS NOT NULL`,
      ).get(botId) as CallbackTarget | undefined;
      return row;
    },
    setCallback: async (login, url, secret) => {
      const bot = botByLogin(login);
      if (!bot) return undefined;
      const nextSecret = url === null ? null : secret === undefined ? bot.secret : secret;
      statement(db, 'UPDATE bots SET callback_url = ?, callback_secret = ? WHERE user_id = ?').run(
        url,
        nextSecret,
        bot.id,
      );
      return bot.id;
    },
    callbackOf: async (login) => {
      const bot = botByLogin(login);
      return bot && { botId: bot.id, url: bot.url, hasSecret: bot.secret !== null };
    },
    dueDeliveries: async (now, limit) =>
      (
        statement(
          db,
          `SELECT id, delivery_id, bot_id, body, created_at, attempts, next_at FROM bot_deliveries
           WHERE next_at <= ? ORDER BY next_at, id LIMIT ?`,
        ).all(now, limit) as DeliveryRow[]
      ).map((r): DeliveryRecord => ({
        id: r.id,
        deliveryId: r.delivery_id,
        botId: r.bot_id,
        body: r.body,
        createdAt: r.created_at,
        attempts: r.attempts,
        nextAt: r.next_at,
      })),
    removeDelivery: async (id) => {
      statement(db, 'DELETE FROM bot_deliveries WHERE id = ?').run(id);
    },
    retryDelivery: async (id, nextAt, error) => {
      statement(db, 'UPDATE bot_deliveries SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?').run(
        nextAt,
        error.slice(0, 500),
        id,
      );
    },
    queueLength: async () => (statement(db, 'SELECT count(*) AS n FROM bot_deliveries').get() as { n: number }).n,
    nextDue: async () =>
      (statement(db, 'SELECT min(next_at) AS t FROM bot_deliveries').get() as { t: number | null }).t,
  };
}
