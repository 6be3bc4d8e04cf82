import type { PgQueryable } from './PgDatabase.ts';

/** A row of the `members` table. */
export interface MemberRow {
  conversation_id: number;
  user_id: number;
  joined_at: number;
  read_seq: number;
}

// `joined_order` (not in SQLite's table) stands for SQLite's rowid: people put in by one change
// share a millisecond, and insertion order decides who is longest-standing among them.
const memberColumns = 'conversation_id, user_id, joined_at, read_seq';

/** Adds a member (no-op if already one); returns whether the member was added. */
export async function addMember(
  q: PgQueryable,
  conversationId: number,
  userId: number,
  now: number,
  readSeq: number,
): Promise<boolean> {
  const added = await q.run(
    'INSERT INTO members (conversation_id, user_id, joined_at, read_seq) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [conversationId, userId, now, readSeq],
  );
  return added > 0;
}

/** Removes a member; returns whether there was one. */
export async function removeMember(q: PgQueryable, conversationId: number, userId: number): Promise<boolean> {
  return (await q.run('DELETE FROM members WHERE conversation_id = $1 AND user_id = $2', [conversationId, userId])) > 0;
}

/** The membership of a user in a conversation, if any. */
export async function findMember(
  q: PgQueryable,
  conversationId: number,
  userId: number,
): Promise<MemberRow | undefined> {
  return q.one<MemberRow>(`SELECT ${memberColumns} FROM members WHERE conversation_id = $1 AND user_id = $2`, [
    conversationId,
    userId,
  ]);
}

/** Ids of the members of a conversation. */
export async function memberIds(q: PgQueryable, conversationId: number): Promise<number[]> {
  const rows = await q.all<{ user_id: number }>(
    'SELECT user_id FROM members WHERE conversation_id = $1 ORDER BY user_id',
    [conversationId],
  );
  return rows.map((r) => r.user_id);
}

/** The members of a conversation, longest-standing first. */
export async function listMembers(q: PgQueryable, conversationId: number): Promise<MemberRow[]> {
  return q.all<MemberRow>(
    `SELECT ${memberColumns} FROM members WHERE conversation_id = $1 ORDER BY joined_at, joined_order`,
    [conversationId],
  );
}

/** The longest-standing member of a conversation (the next owner when the owner leaves). */
export async function longestStandingMember(q: PgQueryable, conversationId: number): Promise<number | undefined> {
  const row = await q.one<{ user_id: number }>(
    'SELECT user_id FROM members WHERE conversation_id = $1 ORDER BY joined_at, joined_order LIMIT 1',
    [conversationId],
  );
  return row?.user_id;
}
