import type { PgQueryable } from './PgDatabase.ts';

/** Moves a member's read marker forward to `seq` (never back); returns whether it moved. */
export async function advanceReadSeq(
  q: PgQueryable,
  conversationId: number,
  userId: number,
  seq: number,
): Promise<boolean> {
  return (
    (await q.run('UPDATE members SET read_seq = $1 WHERE conversation_id = $2 AND user_id = $3 AND read_seq < $1', [
      seq,
      conversationId,
      userId,
    ])) > 0
  );
}

/** Unread counts stop at this many (clients show "999+"). */
export const unreadCountCap = 1000;

/**
 * A member's unread counters: messages after `readSeq` from others (system messages excluded), and
 * of those the ones that mention the member or everyone (every one of them in a direct conversation).
 */
export async function unreadCounts(
  q: PgQueryable,
  conversationId: number,
  userId: number,
  readSeq: number,
  isDirect: boolean,
): Promise<{ unread: number; mentions: number }> {
  // Counting stops at the cap: every hello counts every conversation of the user, and someone back
  // from a fortnight away must not cost a scan of the whole general room (clients show "999+").
  const unread = (await q.one<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM messages
       WHERE conversation_id = $1 AND seq > $2 AND sender_id <> $3 AND kind <> 'system' LIMIT ${unreadCountCap}) AS capped`,
    [conversationId, readSeq, userId],
  ))!.n;
  if (isDirect || unread === 0) return { unread, mentions: unread };
  // The repeated condition lets PostgreSQL use the partial index messages_mentioning; mentions is
  // a JSON array of ids as text (the SQLite layout), so containment is asked of it as jsonb.
  const mentions = (await q.one<{ n: number }>(
    `SELECT count(*) AS n FROM messages
     WHERE conversation_id = $1 AND seq > $2 AND sender_id <> $3 AND kind <> 'system'
       AND (mentions IS NOT NULL OR mentions_all = 1)
       AND (mentions_all = 1 OR mentions::jsonb @> jsonb_build_array($3::bigint))`,
    [conversationId, readSeq, userId],
  ))!.n;
  return { unread, mentions: Math.min(mentions, unread) };
}
