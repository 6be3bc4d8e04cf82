import type { Database } from 'better-sqlite3';
import type { Message, MessageUpdate } from '../../../common/protocol/model.ts';
import { currentMessages, messageRowsBySeq } from './messageRows.ts';
import { statement } from './statement.ts';

/** A row of the `message_updates` table. */
export interface UpdateRow {
  seq: number;
  conversation_id: number;
  target_seq: number;
  actor_id: number;
  client_id: string;
  kind: MessageUpdate['kind'];
  ts: number;
  new_mentions: string | null;
}

/**
 * The next seq of the one sequence, for an update: bumps the AUTOINCREMENT counter of `messages`
 * (sqlite_sequence), so the next message gets a higher seq and no message ever gets this one.
 * Must run inside the write transaction that stores the update.
 */
export function takeSeq(db: Database): number {
  const bumped = statement(db, `UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'messages' RETURNING seq`)
    .pluck()
    .get() as number | undefined;
  if (bumped !== undefined) return bumped;
  // No message was ever stored (SQLite makes the row with the first insert): start the counter
  // above any update there may be.
  const next = lastUpdateSeq(db) + 1;
  statement(db, `INSERT INTO sqlite_sequence (name, seq) VALUES ('messages', ?)`).run(next);
  return next;
}

/** The newest update's seq (0 when none). */
export function lastUpdateSeq(db: Database): number {
  return statement(db, 'SELECT coalesce(max(seq), 0) FROM message_updates').pluck().get() as number;
}

/** Records an update (its seq from {@link takeSeq}). */
export function insertUpdate(db: Database, row: UpdateRow): void {
  statement(
    db,
    `INSERT INTO message_updates (seq, conversation_id, target_seq, actor_id, client_id, kind, ts, new_mentions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(row.seq, row.conversation_id, row.target_seq, row.actor_id, row.client_id, row.kind, row.ts, row.new_mentions);
}

/** The update an actor stored under this client id, if any. */
export function findUpdateByClientId(db: Database, actorId: number, clientId: string): UpdateRow | undefined {
  return statement(db, 'SELECT * FROM message_updates WHERE actor_id = ? AND client_id = ?').get(actorId, clientId) as
    UpdateRow | undefined;
}

/** The protocol's update: the row plus its message as it is now. */
export function toUpdate(row: UpdateRow, message: Message): MessageUpdate {
  const update: MessageUpdate = {
    seq: row.seq,
    kind: row.kind,
    conversationId: row.conversation_id,
    actorId: row.actor_id,
    ts: row.ts,
    message,
  };
  if (row.kind === 'edit')
    update.newMentions = row.new_mentions === null ? [] : (JSON.parse(row.new_mentions) as number[]);
  return update;
}

/**
 * Up to `limit` + 1 updates with seq > `since` in every conversation the user is a member of now,
 * oldest first, each carrying its message as it is now (the messages read in one go).
 */
export function updatesSince(db: Database, userId: number, since: number, limit: number): MessageUpdate[] {
  const rows = statement(
    db,
    // The same plan as messagesSince: walk the seq order from `since`, stop after limit + 1 hits.
    `SELECT u.* FROM message_updates u
     WHERE u.seq > ? AND EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = +u.conversation_id AND m.user_id = ?)
     ORDER BY u.seq LIMIT ?`,
  ).all(since, userId, limit + 1) as UpdateRow[];
  return withTargets(db, rows);
}

/** Updates with their messages as they are now; one read of the messages for all of them. */
export function withTargets(db: Database, rows: readonly UpdateRow[]): MessageUpdate[] {
  if (rows.length === 0) return [];
  const targets = [...messageRowsBySeq(db, [...new Set(rows.map((r) => r.target_seq))]).values()];
  const messages = new Map(currentMessages(db, targets).map((m) => [m.seq, m]));
  // Two updates of one message carry equal but separate copies.
  return rows.map((row) => toUpdate(row, structuredClone(messages.get(row.target_seq)!)));
}
