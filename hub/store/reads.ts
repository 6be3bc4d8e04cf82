import type { Database } from 'better-sqlite3';
import { statement } from './statement.ts';

/** Moves a member's read marker forward to `seq` (never back); returns whether it moved. */
export function advanceReadSeq(db: Database, conversationId: number, userId: number, seq: number): boolean {
  return (
    statement(db, 'UPDATE members SET read_seq = ? WHERE conversation_id = ? AND user_id = ? AND read_seq < ?').run(
      seq,
      conversationId,
      userId,
      seq,
    ).changes > 0
  );
}

/**
 * A member's unread counters: messages after `readSeq` from others (system messages excluded), and
 * of those the ones that mention the member or everyone (every one of them in a direct conversation).
 */
export function unreadCounts(
  db: Database,
  conversationId: number,
  userId: number,
  readSeq: number,
  isDirect: boolean,
): { unread: number; mentions: number } {
  const row = statement(
    db,
    `SELECT count(*) AS unread,
       coalesce(sum(? OR mentions_all = 1
         OR (mentions IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(mentions) j WHERE j.value = ?))), 0) AS mentions
     FROM messages WHERE conversation_id = ? AND seq > ? AND sender_id <> ? AND kind <> 'system'`,
  ).get(isDirect ? 1 : 0, userId, conversationId, readSeq, userId) as { unread: number; mentions: number };
  return row;
}
