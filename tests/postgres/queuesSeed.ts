import type { Message } from '../../common/protocol/model.ts';
import type { PgQueryable } from '../../hub/store/postgres/PgDatabase.ts';

/** The people and bots {@link seedQueues} writes (ids fixed, so tests can name them). */
export const ids = {
  alice: 10,
  bob: 11,
  /** A bot with a callback URL, member of the room. */
  onec: 20,
  /** Another bot with a callback URL, member of the room. */
  crm: 21,
  /** A bot without a callback URL, member of the room. */
  quiet: 22,
  /** A disabled bot with a callback URL, member of the room. */
  gone: 23,
  /** A bot with a callback URL, NOT in the room. */
  outsider: 24,
  room: 100,
  /** alice ↔ onec. */
  direct: 101,
} as const;

/**
 * Writes the rows the queue tables point at, straight in SQL (this is a store-level test of the
 * queues area alone, so it does not lean on the accounts or conversations stores).
 */
export async function seedQueues(q: PgQueryable, now: number): Promise<void> {
  const user = (id: number, login: string, bot: boolean, disabled = false) =>
    q.run(
      `INSERT INTO users (id, login, name, search_key, password_hash, is_bot, disabled, created_at, external_id)
       VALUES ($1, $2, $3, $2, '', $4, $5, $6, $7)`,
      [id, login, login.toUpperCase(), bot ? 1 : 0, disabled ? 1 : 0, now, login === 'alice' ? 'EXT-1' : null],
    );
  await user(ids.alice, 'alice', false);
  await user(ids.bob, 'bob', false);
  for (const [login, id, url, disabled] of [
    ['onec', ids.onec, 'https://onec.local/hook', false],
    ['crm', ids.crm, 'https://crm.local/hook', false],
    ['quiet', ids.quiet, null, false],
    ['gone', ids.gone, 'https://gone.local/hook', true],
    ['outsider', ids.outsider, 'https://out.local/hook', false],
  ] as const) {
    await user(id, login, true, disabled);
    await q.run(
      'INSERT INTO bots (user_id, token_hash, created_at, callback_url, callback_secret) VALUES ($1, $2, $3, $4, $5)',
      [id, Buffer.from(login), now, url, url === null ? null : `secret-${login}`],
    );
  }
  await q.run(
    `INSERT INTO conversations (id, kind, name, name_key, created_at, last_ts) VALUES ($1, 'open', 'Склад', 'склад', $2, $2)`,
    [ids.room, now],
  );
  await q.run(
    `INSERT INTO conversations (id, kind, direct_low, direct_high, created_at, last_ts)
     VALUES ($1, 'direct', $2, $3, $4, $4)`,
    [ids.direct, ids.alice, ids.onec, now],
  );
  for (const u of [ids.alice, ids.bob, ids.onec, ids.crm, ids.quiet, ids.gone])
    await q.run('INSERT INTO members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)', [ids.room, u, now]);
  for (const u of [ids.alice, ids.onec])
    await q.run('INSERT INTO members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)', [ids.direct, u, now]);
}

/** A stored message row (action_clicks point at messages) and its protocol shape. */
export async function storeMessage(
  q: PgQueryable,
  m: { seq: number; conversationId: number; senderId: number; kind?: Message['kind']; mentions?: number[] },
): Promise<Message> {
  const message: Message = {
    seq: m.seq,
    conversationId: m.conversationId,
    senderId: m.senderId,
    clientId: `c${m.seq}`,
    kind: m.kind ?? 'text',
    text: `сообщение ${m.seq}`,
    ts: 1_000 + m.seq,
    mentions: m.mentions ?? [],
    mentionsAll: false,
  };
  await q.run(
    `INSERT INTO messages (seq, conversation_id, sender_id, client_id, kind, text, ts)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [message.seq, message.conversationId, message.senderId, message.clientId, message.kind, message.text, message.ts],
  );
  return message;
}
