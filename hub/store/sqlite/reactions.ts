import type { Database } from 'better-sqlite3';
import type { Reaction } from '../../../common/protocol/model.ts';
import { statement } from './statement.ts';

/**
 * Fills in `reactions` of the messages that have some, in one query for the whole page: each
 * emoji in the order it was first put (it keeps its place while anyone still has it), its people
 * oldest first. Returns the same array.
 */
export function withReactions<T extends { seq: number; reactions?: Reaction[] }>(db: Database, messages: T[]): T[] {
  if (messages.length === 0) return messages;
  const rows = statement(
    db,
    // rowid grows with each insert, so within an emoji it is the order people reacted in.
    `SELECT seq, emoji, user_id FROM message_reactions
     WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq, emoji_rank, rowid`,
  ).all(JSON.stringify(messages.map((m) => m.seq))) as { seq: number; emoji: string; user_id: number }[];
  if (rows.length === 0) return messages;
  const bySeq = new Map<number, Map<string, number[]>>();
  for (const row of rows) {
    let byEmoji = bySeq.get(row.seq);
    if (!byEmoji) bySeq.set(row.seq, (byEmoji = new Map()));
    let userIds = byEmoji.get(row.emoji);
    if (!userIds) byEmoji.set(row.emoji, (userIds = []));
    userIds.push(row.user_id);
  }
  for (const message of messages) {
    const byEmoji = bySeq.get(message.seq);
    if (byEmoji) message.reactions = [...byEmoji].map(([emoji, userIds]) => ({ emoji, userIds }));
  }
  return messages;
}

/** Whether the user has put this emoji on the message. */
export function hasReaction(db: Database, seq: number, userId: number, emoji: string): boolean {
  return (
    statement(db, 'SELECT 1 FROM message_reactions WHERE seq = ? AND emoji = ? AND user_id = ?').get(
      seq,
      emoji,
      userId,
    ) !== undefined
  );
}

/** How many different emoji the message carries. */
export function distinctEmoji(db: Database, seq: number): number {
  return statement(db, 'SELECT count(DISTINCT emoji) FROM message_reactions WHERE seq = ?').pluck().get(seq) as number;
}

/**
 * Puts a reaction (the caller checked it is not there yet), at the emoji's place when others have
 * it, else after every emoji there; refused (false) when that new emoji would make more than
 * `maxEmoji` different ones.
 */
export function insertReaction(
  db: Database,
  r: { seq: number; userId: number; emoji: string; ts: number; maxEmoji: number },
): boolean {
  let rank = statement(db, 'SELECT emoji_rank FROM message_reactions WHERE seq = ? AND emoji = ? LIMIT 1')
    .pluck()
    .get(r.seq, r.emoji) as number | undefined;
  if (rank === undefined) {
    // Joining an emoji already there never passes the limit; only a new emoji counts.
    if (distinctEmoji(db, r.seq) >= r.maxEmoji) return false;
    rank = statement(db, 'SELECT coalesce(max(emoji_rank), 0) + 1 FROM message_reactions WHERE seq = ?')
      .pluck()
      .get(r.seq) as number;
  }
  statement(db, 'INSERT INTO message_reactions (seq, user_id, emoji, ts, emoji_rank) VALUES (?, ?, ?, ?, ?)').run(
    r.seq,
    r.userId,
    r.emoji,
    r.ts,
    rank,
  );
  return true;
}

/** Takes a reaction back; returns whether there was one. */
export function deleteReaction(db: Database, seq: number, userId: number, emoji: string): boolean {
  return (
    statement(db, 'DELETE FROM message_reactions WHERE seq = ? AND emoji = ? AND user_id = ?').run(seq, emoji, userId)
      .changes > 0
  );
}

/** Removes every reaction of a message (it was deleted). */
export function deleteAllReactions(db: Database, seq: number): void {
  statement(db, 'DELETE FROM message_reactions WHERE seq = ?').run(seq);
}
