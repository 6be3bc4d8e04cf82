import type { Database } from 'better-sqlite3';
import { statement } from './statement.ts';

/** A row of the `members` table. */
export interface MemberRow {
  conversation_id: number;
  user_id: number;
  joined_at: number;
  read_seq: number;
}

/** Adds a member (no-op if already one); returns whether the member was added. */
export function addMember(db: Database, conversationId: number, userId: number, now: number, readSeq: number): boolean {
  return (
    statement(
      db,
      'INSERT INTO members (conversation_id, user_id, joined_at, read_seq) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ).run(conversationId, userId, now, readSeq).changes > 0
  );
}

/** Removes a member; returns whether there was one. */
export function removeMember(db: Database, conversationId: number, userId: number): boolean {
  return (
    statement(db, 'DELETE FROM members WHERE conversation_id = ? AND user_id = ?').run(conversationId, userId).changes >
    0
  );
}

/** The membership of a user in a conversation, if any. */
export function findMember(db: Database, conversationId: number, userId: number): MemberRow | undefined {
  return statement(db, 'SELECT * FROM members WHERE conversation_id = ? AND user_id = ?').get(
    conversationId,
    userId,
  ) as MemberRow | undefined;
}

/** Ids of the members of a conversation. */
export function memberIds(db: Database, conversationId: number): number[] {
  return statement(db, 'SELECT user_id FROM members WHERE conversation_id = ? ORDER BY user_id')
    .pluck()
    .all(conversationId) as number[];
}

/** The members of a conversation, longest-standing first. */
export function listMembers(db: Database, conversationId: number): MemberRow[] {
  return statement(db, 'SELECT * FROM members WHERE conversation_id = ? ORDER BY joined_at, rowid').all(
    conversationId,
  ) as MemberRow[];
}

/** The longest-standing member of a conversation (the next owner when the owner leaves). */
export function longestStandingMember(db: Database, conversationId: number): number | undefined {
  return statement(db, 'SELECT user_id FROM members WHERE conversation_id = ? ORDER BY joined_at, rowid LIMIT 1')
    .pluck()
    .get(conversationId) as number | undefined;
}
