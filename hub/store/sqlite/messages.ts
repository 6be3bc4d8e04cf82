import type { Database } from 'better-sqlite3';
import type { Forwarded, Message } from '../../../common/protocol/model.ts';
import type { NewMessage } from '../MessageStore.ts';
import { indexMessage } from './messageIndex.ts';
import { currentMessages } from './messageRows.ts';
import { statement } from './statement.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/** A new message as stored: the protocol's fields plus its reply target and where a forward came from. */
export type StoredNewMessage = NewMessage & { replyTo?: number; forwarded?: Forwarded };

/**
 * Inserts a message and returns it with its seq (no reply quote: the caller joins it). The seq
 * comes from an AUTOINCREMENT key, so it grows across the whole hub and is never reused, even
 * after the newest row is lost to a rollback; updates take theirs from the same counter.
 */
export function insertMessage(db: Database, m: StoredNewMessage): Message {
  const seq = Number(
    statement(
      db,
      `INSERT INTO messages (conversation_id, sender_id, client_id, kind, text, ts, mentions, mentions_all, system, display_name, attachments, blocks, reply_to, forwarded, actions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
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
    ).lastInsertRowid,
  );
  // The search index changes in the same transaction as the message (forwarded copies included).
  indexMessage(db, { seq, kind: m.kind, conversationId: m.conversationId, senderId: m.senderId }, m.text);
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

/** The message a sender stored under this client id, as it is now, if any. */
export function findByClientId(db: Database, senderId: number, clientId: string): Message | undefined {
  const row = statement(db, 'SELECT * FROM messages WHERE sender_id = ? AND client_id = ?').get(senderId, clientId) as
    MessageRow | undefined;
  return row && currentMessages(db, [row])[0];
}

/** Up to `limit` + 1 newest messages of a conversation with seq < `before`, newest first, as they are now. */
export function messagesBefore(db: Database, conversationId: number, before: number, limit: number): Message[] {
  const rows = statement(
    db,
    'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  ).all(conversationId, before, limit + 1) as MessageRow[];
  return currentMessages(db, rows);
}

/** Up to `limit` + 1 oldest messages of a conversation with seq > `after`, oldest first, as they are now. */
export function messagesAfter(db: Database, conversationId: number, after: number, limit: number): Message[] {
  const rows = statement(db, 'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(
    conversationId,
    after,
    limit + 1,
  ) as MessageRow[];
  return currentMessages(db, rows);
}

/**
 * Up to `limit` + 1 messages with seq > `since` in every conversation the user is a member of now,
 * oldest first, as they are now.
 *
 * One index range per conversation (messages_conversation_seq), each stopping after `limit` + 1
 * rows and, once that many are in hand, at the highest seq still wanted. The one walk of the whole
 * hub's seq order it replaces probed every newer message for membership: after a restart each
 * client that missed 20 messages of 2,500 made 2,500 probes, and 5,000 such catch-ups were the
 * hub's largest cost in the reconnect storm (bench). A person is in tens of conversations, not
 * thousands, so the ranges are few; none collects or sorts everything newer.
 */
export function messagesSince(db: Database, userId: number, since: number, limit: number): Message[] {
  const conversations = statement(db, 'SELECT conversation_id FROM members WHERE user_id = ?')
    .pluck()
    .all(userId) as number[];
  const range = statement(
    db,
    'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
  );
  const wanted = limit + 1;
  let rows: MessageRow[] = [];
  let highest = Number.MAX_SAFE_INTEGER;
  for (const conversationId of conversations) {
    const found = range.all(conversationId, since, highest, wanted) as MessageRow[];
    if (found.length === 0) continue;
    rows = rows.concat(found);
    if (rows.length >= wanted) {
      rows.sort((a, b) => a.seq - b.seq);
      rows.length = wanted;
      highest = rows[wanted - 1]!.seq;
    }
  }
  rows.sort((a, b) => a.seq - b.seq);
  return currentMessages(db, rows);
}

/** The pinned messages of a conversation, newest pin first, as they are now. */
export function pinnedMessages(db: Database, conversationId: number): Message[] {
  const rows = statement(
    db,
    'SELECT * FROM messages WHERE conversation_id = ? AND pinned_at IS NOT NULL ORDER BY pinned_at DESC, seq DESC',
  ).all(conversationId) as MessageRow[];
  return currentMessages(db, rows);
}

/** The newest seq on the hub, of a message or an update (0 when there are none). */
export function lastSeq(db: Database): number {
  return statement(
    db,
    'SELECT max(coalesce((SELECT max(seq) FROM messages), 0), coalesce((SELECT max(seq) FROM message_updates), 0))',
  )
    .pluck()
    .get() as number;
}
