import type { Forwarded, Message } from '../../../common/protocol/model.ts';
import type { NewMessage } from '../MessageStore.ts';
import { indexMessage } from './messageIndex.ts';
import { currentMessages } from './messageRows.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { giveBackSeq, nextSeq } from './streamPosition.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/** A new message as stored: the protocol's fields plus its reply target and where a forward came from. */
export type StoredNewMessage = NewMessage & { replyTo?: number; forwarded?: Forwarded };

/**
 * Inserts a message and returns it with its seq (no reply quote: the caller joins it), or
 * undefined when the sender's client id is stored already (a racing writer that did not take the
 * writers' turn first; the UNIQUE constraint decides, and the seq taken is given back). The seq
 * comes from the one counter (streamPosition.ts), taken here inside the caller's transaction.
 */
export async function tryInsertMessage(q: PgQueryable, m: StoredNewMessage): Promise<Message | undefined> {
  const seq = await nextSeq(q);
  const inserted = await q.run(
    `INSERT INTO messages (seq, conversation_id, sender_id, client_id, kind, text, ts, mentions, mentions_all, system, display_name, attachments, blocks, reply_to, forwarded, actions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (sender_id, client_id) DO NOTHING`,
    [
      seq,
      m.conversationId,
      m.senderId,
      m.clientId,
      m.kind,
      m.text,
      m.ts,
      m.mentions.length > 0 ? JSON.stringify(m.mentions) : null,
      m.mentionsAll ? 1 : 0,
      m.system ? JSON.stringify(m.system) : null,
      m.displayName ?? null,
      m.attachments ? JSON.stringify(m.attachments) : null,
      m.blocks && m.blocks.length > 0 ? JSON.stringify(m.blocks) : null,
      m.replyTo ?? null,
      m.forwarded ? JSON.stringify(m.forwarded) : null,
      m.actions && m.actions.length > 0 ? JSON.stringify(m.actions) : null,
    ],
  );
  if (inserted === 0) {
    await giveBackSeq(q, seq);
    return undefined;
  }
  // The search index changes in the same transaction as the message (forwarded copies included).
  await indexMessage(q, { seq, kind: m.kind, conversationId: m.conversationId, senderId: m.senderId }, m.text);
  const message: Message = {
    seq,
    conversationId: m.conversationId,
    senderId: m.senderId,
    clientId: m.clientId,
    kind: m.kind,
    text: m.text,
    ts: m.ts,
    mentions: [...m.mentions],
    mentionsAll: m.mentionsAll,
  };
  if (m.system) message.system = m.system;
  if (m.displayName !== undefined) message.displayName = m.displayName;
  if (m.attachments) message.attachments = m.attachments;
  if (m.blocks && m.blocks.length > 0) message.blocks = m.blocks;
  if (m.forwarded) message.forwarded = m.forwarded;
  if (m.actions && m.actions.length > 0) message.actions = m.actions;
  return message;
}

/**
 * Inserts a message whose client id cannot be taken yet (system messages: a fresh `sys:` id) and
 * returns it with its seq; see {@link tryInsertMessage}.
 */
export async function insertMessage(q: PgQueryable, m: StoredNewMessage): Promise<Message> {
  const message = await tryInsertMessage(q, m);
  if (!message) throw new Error(`client id ${m.clientId} of user ${m.senderId} is stored already`);
  return message;
}

/** The message a sender stored under this client id, as it is now, if any. */
export async function findByClientId(q: PgQueryable, senderId: number, clientId: string): Promise<Message | undefined> {
  const row = await q.one<MessageRow>('SELECT * FROM messages WHERE sender_id = $1 AND client_id = $2', [
    senderId,
    clientId,
  ]);
  return row && (await currentMessages(q, [row]))[0];
}

/** Up to `limit` + 1 newest messages of a conversation with seq < `before`, newest first, as they are now. */
export async function messagesBefore(
  q: PgQueryable,
  conversationId: number,
  before: number,
  limit: number,
): Promise<Message[]> {
  const rows = await q.all<MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
    [conversationId, before, limit + 1],
  );
  return currentMessages(q, rows);
}

/** Up to `limit` + 1 oldest messages of a conversation with seq > `after`, oldest first, as they are now. */
export async function messagesAfter(
  q: PgQueryable,
  conversationId: number,
  after: number,
  limit: number,
): Promise<Message[]> {
  const rows = await q.all<MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [conversationId, after, limit + 1],
  );
  return currentMessages(q, rows);
}

/**
 * Up to `limit` + 1 messages with seq > `since` in every conversation the user is a member of now,
 * oldest first, as they are now.
 */
export async function messagesSince(q: PgQueryable, userId: number, since: number, limit: number): Promise<Message[]> {
  const rows = await q.all<MessageRow>(
    `SELECT g.* FROM messages g
     WHERE g.seq > $1 AND EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = g.conversation_id AND m.user_id = $2)
     ORDER BY g.seq LIMIT $3`,
    [since, userId, limit + 1],
  );
  return currentMessages(q, rows);
}

/** The pinned messages of a conversation, newest pin first, as they are now. */
export async function pinnedMessages(q: PgQueryable, conversationId: number): Promise<Message[]> {
  const rows = await q.all<MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = $1 AND pinned_at IS NOT NULL ORDER BY pinned_at DESC, seq DESC',
    [conversationId],
  );
  return currentMessages(q, rows);
}

/** The newest seq on the hub, of a message or an update (0 when there are none). */
export async function lastSeq(q: PgQueryable): Promise<number> {
  const row = await q.one<{ seq: number }>(
    `SELECT GREATEST(coalesce((SELECT max(seq) FROM messages), 0), coalesce((SELECT max(seq) FROM message_updates), 0)) AS seq`,
  );
  return row!.seq;
}
