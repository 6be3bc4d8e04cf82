import { randomUUID } from 'node:crypto';
import type { Message } from '../../../common/protocol/model.ts';
import type { PgQueryable } from './PgDatabase.ts';

interface Receiver {
  bot_id: number;
  login: string;
}

/**
 * Queues a `message` delivery for every bot with a callback URL that is a member of the
 * message's conversation, except its sender (docs/protocol.md, "Calls to bots"). Runs on `q`, the
 * transaction that stores the message, so the message and its deliveries commit together: a hub
 * stopped right after the commit still sends them after its restart (at-least-once), and a
 * message refused or rolled back sends nothing. Membership is read here, at commit, so a bot
 * never hears a conversation it is not in. The PostgreSQL twin of sqlite/botDeliveries.ts.
 */
export async function enqueueBotDeliveries(q: PgQueryable, message: Message, now: number): Promise<void> {
  if (message.kind !== 'text' && message.kind !== 'announcement') return;
  const receivers = await q.all<Receiver>(
    `SELECT b.user_id AS bot_id, u.login AS login FROM members m
       JOIN bots b ON b.user_id = m.user_id
       JOIN users u ON u.id = b.user_id
     WHERE m.conversation_id = $1 AND m.user_id <> $2 AND b.callback_url IS NOT NULL AND u.disabled = 0
     ORDER BY b.user_id`,
    [message.conversationId, message.senderId],
  );
  if (receivers.length === 0) return;
  const conversation = (await q.one<{ id: number; kind: string; name: string }>(
    'SELECT id, kind, name FROM conversations WHERE id = $1',
    [message.conversationId],
  ))!;
  const sender = await q.one<{ id: number; login: string; name: string; external_id: string | null }>(
    'SELECT id, login, name, external_id FROM users WHERE id = $1',
    [message.senderId],
  );
  const rows: unknown[][] = [];
  for (const bot of receivers) {
    const deliveryId = randomUUID();
    const reason =
      conversation.kind === 'direct' ? 'direct' : message.mentions.includes(bot.bot_id) ? 'mention' : 'room';
    const body = {
      type: 'message',
      deliveryId,
      bot: { id: bot.bot_id, login: bot.login },
      reason,
      conversation: { id: conversation.id, kind: conversation.kind, name: conversation.name },
      message,
      sender: sender
        ? { id: sender.id, login: sender.login, name: sender.name, externalId: sender.external_id }
        : { id: message.senderId, login: '', name: '', externalId: null },
    };
    rows.push([deliveryId, bot.bot_id, JSON.stringify(body)]);
  }
  // One statement for every receiver: a round trip per bot would hold the message's transaction
  // (and with it the stream counter every writer waits for) that much longer.
  await q.run(
    `INSERT INTO bot_deliveries (delivery_id, bot_id, body, created_at, next_at)
     SELECT d, b, j, $4, $4 FROM unnest($1::text[], $2::bigint[], $3::text[]) AS t(d, b, j)`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), now],
  );
}
