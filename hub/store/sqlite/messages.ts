import type { Database } from 'better-sqlite3';
import type { Message, SystemEvent } from '../../../common/protocol/model.ts';
import type { NewMessage } from '../MessageStore.ts';
import { withFiles } from './files.ts';
import { statement } from './statement.ts';

/** A row of the `messages` table. */
export interface MessageRow {
  seq: number;
  conversation_id: number;
  sender_id: number;
  client_id: string;
  kind: Message['kind'];
  text: string;
  ts: number;
  mentions: string | null;
  mentions_all: number;
  system: string | null;
  display_name: string | null;
  attachments: string | null;
}

/** Turns a stored row into the protocol's message (optional fields only when present). */
export function toMessage(row: MessageRow): Message {
  const message: Message = {
    seq: row.seq,
    conversationId: row.conversation_id,
    senderId: row.sender_id,
    clientId: row.client_id,
    kind: row.kind,
    text: row.text,
    ts: row.ts,
    mentions: row.mentions === null ? [] : (JSON.parse(row.mentions) as number[]),
    mentionsAll: row.mentions_all === 1,
  };
  if (row.system !== null) message.system = JSON.parse(row.system) as SystemEvent;
  if (row.display_name !== null) message.displayName = row.display_name;
  if (row.attachments !== null) message.attachments = JSON.parse(row.attachments) as Message['attachments'];
  return message;
}

/**
 * Inserts a message and returns it with its seq. The seq comes from an AUTOINCREMENT key, so it
 * grows across the whole hub and is never reused, even after the newest row is lost to a rollback.
 */
export function insertMessage(db: Database, m: NewMessage): Message {
  const seq = Number(
    statement(
      db,
      `INSERT INTO messages (conversation_id, sender_id, client_id, kind, text, ts, mentions, mentions_all, system, display_name, attachments)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    ).lastInsertRowid,
  );
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
  return message;
}

/** The message a sender stored under this client id, if any. */
export function findByClientId(db: Database, senderId: number, clientId: string): Message | undefined {
  const row = statement(db, 'SELECT * FROM messages WHERE sender_id = ? AND client_id = ?').get(senderId, clientId) as
    MessageRow | undefined;
  return row && withFiles(db, [toMessage(row)])[0];
}

/** Up to `limit` + 1 newest messages of a conversation with seq < `before`, newest first. */
export function messagesBefore(db: Database, conversationId: number, before: number, limit: number): Message[] {
  const rows = statement(
    db,
    'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  ).all(conversationId, before, limit + 1) as MessageRow[];
  return withFiles(db, rows.map(toMessage));
}

/**
 * Up to `limit` + 1 messages with seq > `since` in every conversation the user is a member of now,
 * oldest first.
 */
export function messagesSince(db: Database, userId: number, since: number, limit: number): Message[] {
  const rows = statement(
    db,
    // Walks the seq order from `since` and stops after `limit` + 1 hits, instead of collecting and
    // sorting everything newer (the plan an IN list over the conversation index would pick).
    `SELECT g.* FROM messages g
     WHERE g.seq > ? AND EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = +g.conversation_id AND m.user_id = ?)
     ORDER BY g.seq LIMIT ?`,
  ).all(since, userId, limit + 1) as MessageRow[];
  return withFiles(db, rows.map(toMessage));
}

/** The newest seq on the hub (0 when there are no messages). */
export function lastSeq(db: Database): number {
  return (statement(db, 'SELECT coalesce(max(seq), 0) FROM messages').pluck().get() as number) ?? 0;
}
