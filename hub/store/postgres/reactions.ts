import type { Reaction } from '../../../common/protocol/model.ts';
import type { PgQueryable } from './PgDatabase.ts';

/**
 * Fills in `reactions` of the messages that have some, in one query for the whole page: each
 * emoji in the order it was first put (it keeps its place while anyone still has it), its people
 * oldest first. Returns the same array.
 */
export async function withReactions<T extends { seq: number; reactions?: Reaction[] }>(
  q: PgQueryable,
  messages: T[],
): Promise<T[]> {
  if (messages.length === 0) return messages;
  const rows = await q.all<{ seq: number; emoji: string; user_id: number }>(
    // id grows with each insert (SQLite used its rowid), so within an emoji it is the order people reacted in.
    `SELECT seq, emoji, user_id FROM message_reactions
     WHERE seq = ANY($1::bigint[]) ORDER BY seq, emoji_rank, id`,
    [messages.map((m) => m.seq)],
  );
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
export async function hasReaction(q: PgQueryable, seq: number, userId: number, emoji: string): Promise<boolean> {
  return (
    (await q.one('SELECT 1 FROM message_reactions WHERE seq = $1 AND emoji = $2 AND user_id = $3', [
      seq,
      emoji,
      userId,
    ])) !== undefined
  );
}

/** How many different emoji the message carries. */
export async function distinctEmoji(q: PgQueryable, seq: number): Promise<number> {
  const row = await q.one<{ n: number }>('SELECT count(DISTINCT emoji) AS n FROM message_reactions WHERE seq = $1', [
    seq,
  ]);
  return row!.n;
}

/**
 * Puts a reaction (the caller checked it is not there yet), at the emoji's place when others have
 * it, else after every emoji there; refused (false) when that new emoji would make more than
 * `maxEmoji` different ones.
 */
export async function insertReaction(
  q: PgQueryable,
  r: { seq: number; userId: number; emoji: string; ts: number; maxEmoji: number },
): Promise<boolean> {
  let rank = (
    await q.one<{ emoji_rank: number }>(
      'SELECT emoji_rank FROM message_reactions WHERE seq = $1 AND emoji = $2 LIMIT 1',
      [r.seq, r.emoji],
    )
  )?.emoji_rank;
  if (rank === undefined) {
    // Joining an emoji already there never passes the limit; only a new emoji counts.
    if ((await distinctEmoji(q, r.seq)) >= r.maxEmoji) return false;
    const next = await q.one<{ rank: number }>(
      'SELECT coalesce(max(emoji_rank), 0) + 1 AS rank FROM message_reactions WHERE seq = $1',
      [r.seq],
    );
    rank = next!.rank;
  }
  await q.run('INSERT INTO message_reactions (seq, user_id, emoji, ts, emoji_rank) VALUES ($1, $2, $3, $4, $5)', [
    r.seq,
    r.userId,
    r.emoji,
    r.ts,
    rank,
  ]);
  return true;
}

/** Takes a reaction back; returns whether there was one. */
export async function deleteReaction(q: PgQueryable, seq: number, userId: number, emoji: string): Promise<boolean> {
  return (
    (await q.run('DELETE FROM message_reactions WHERE seq = $1 AND emoji = $2 AND user_id = $3', [
      seq,
      emoji,
      userId,
    ])) > 0
  );
}

/** Removes every reaction of a message (it was deleted). */
export async function deleteAllReactions(q: PgQueryable, seq: number): Promise<void> {
  await q.run('DELETE FROM message_reactions WHERE seq = $1', [seq]);
}
