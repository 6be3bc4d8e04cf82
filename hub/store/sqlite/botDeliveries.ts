import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Message } from '../../../common/protocol/model.ts';
import { statement } from './statement.ts';

interface Receiver {
  bot_id: number;
  login: string;
}

/**
 * Queues a `message` delivery for every bot with a callback URL that is a member of the
 * message's conversation, except its sender (docs/protocol.md, "Calls to bots"). Runs inside the
 * transaction that stored the message, so the message and its deliveries commit together: a hub
 * stopped right after the commit still sends them after its restart (at-least-once), and a
 * message refused or rolled back sends nothing. Membership is read here, at commit, so a bot
 * never hears a conversation it is not in.
 */
export function enqueueBotDeliveries(db: Database, message: Message, now: number): void {
  if (message.kind !== 'text' && message.kind !== 'announcement') return;
  const receivers = statement(
    db,
    `SELECT b.user_id AS bot_id, u.login AS login FROM members m
       JOIN bots b ON b.user_id = m.user_id
       JOIN users u ON u.id = b.user_id
     WHERE m.conversation_id = ? AND m.user_id != ? AND b.callback_url IS NOT NULL AND u.disabled = 0`,
  ).all(message.conversationId, message.senderId) as Receiver[];
  if (receivers.length === 0) return;
  const conversation = statement(db, 'SELECT id, kind, name FROM conversations WHERE id = ?').get(
    message.conversationId,
  ) as { id: number; kind: string; name: string };
  const sender = statement(db, 'SELECT id, login, name, external_id FROM users WHERE id = ?').get(message.senderId) as
    { id: number; login: string; name: string; external_id: string | null } | undefined;
  const insert = statement(
    db,
    'INSERT INTO bot_deliveries (delivery_id, bot_id, body, created_at, next_at) VALUES (?, ?, ?, ?, ?)',
  );
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
    insert.run(deliveryId, bot.bot_id, JSON.stringify(body), now, now);
  }
}
