import type { Database } from 'better-sqlite3';
import { statement } from './statement.ts';

/** The room of a branch (by its folded name), if one was made. */
export function findBranchRoomId(db: Database, branchKey: string): number | undefined {
  return statement(db, 'SELECT conversation_id FROM branch_rooms WHERE branch_key = ?').pluck().get(branchKey) as
    number | undefined;
}

/** Records (or replaces) the room of a branch. */
export function setBranchRoom(db: Database, branchKey: string, conversationId: number): void {
  statement(
    db,
    `INSERT INTO branch_rooms (branch_key, conversation_id) VALUES (?, ?)
     ON CONFLICT (branch_key) DO UPDATE SET conversation_id = excluded.conversation_id`,
  ).run(branchKey, conversationId);
}

/**
 * Inserts a room the hub manages: open, with no owner, so only an administrator can rename it or
 * remove people from it, and nobody can be handed it. `nameKey` is the name's roomNameKey.
 */
export function insertManagedRoom(db: Database, r: { name: string; nameKey: string; now: number }): number {
  return Number(
    statement(
      db,
      `INSERT INTO conversations (kind, name, name_key, topic, owner_id, created_at, last_ts) VALUES ('open', ?, ?, '', NULL, ?, ?)`,
    ).run(r.name, r.nameKey, r.now, r.now).lastInsertRowid,
  );
}
