import type { PgQueryable } from './PgDatabase.ts';
import { searchKey } from './searchKey.ts';

/** Updates what the directory sync owns of an account: name (and its search key), branch, e-mail. */
export async function updateUserProfile(
  q: PgQueryable,
  userId: number,
  p: { login: string; name: string; branch: string | null; email: string | null },
): Promise<void> {
  await q.run('UPDATE users SET name = $1, search_key = $2, branch = $3, email = $4 WHERE id = $5', [
    p.name,
    searchKey(`${p.login}\n${p.name}`),
    p.branch,
    p.email,
    userId,
  ]);
}

/** Sets job title and phone (directory sync); each only when given. */
export async function updateUserContacts(
  q: PgQueryable,
  userId: number,
  p: { position?: string | null; phone?: string | null },
): Promise<void> {
  if (p.position !== undefined) await q.run('UPDATE users SET position = $1 WHERE id = $2', [p.position, userId]);
  if (p.phone !== undefined) await q.run('UPDATE users SET phone = $1 WHERE id = $2', [p.phone, userId]);
}

/** Sets the user's own settings (read receipts, time zone); each only when given. */
export async function updateUserSettings(
  q: PgQueryable,
  userId: number,
  p: { readReceipts?: boolean; timeZone?: string },
): Promise<void> {
  if (p.readReceipts !== undefined)
    await q.run('UPDATE users SET read_receipts = $1 WHERE id = $2', [p.readReceipts ? 1 : 0, userId]);
  if (p.timeZone !== undefined) await q.run('UPDATE users SET time_zone = $1 WHERE id = $2', [p.timeZone, userId]);
}

/** Moves the user's received seq forward (never back); returns how many rows changed. */
export async function advanceReceivedSeq(q: PgQueryable, userId: number, seq: number): Promise<number> {
  return q.run('UPDATE users SET received_seq = $1 WHERE id = $2 AND received_seq < $1', [seq, userId]);
}

/** The user's direct conversations with a message after `afterSeq`, the other person, and whether both have receipts on. */
export async function directPeersAfter(
  q: PgQueryable,
  userId: number,
  afterSeq: number,
): Promise<{ conversationId: number; peerId: number; receiptsOn: boolean }[]> {
  return q.all<{ conversationId: number; peerId: number; receiptsOn: boolean }>(
    `SELECT c.id AS "conversationId", p.id AS "peerId", (p.read_receipts = 1 AND u.read_receipts = 1) AS "receiptsOn"
     FROM members m
     JOIN conversations c ON c.id = m.conversation_id AND c.kind = 'direct' AND c.last_seq > $1
     JOIN users u ON u.id = m.user_id
     JOIN users p ON p.id = (CASE WHEN c.direct_low = m.user_id THEN c.direct_high ELSE c.direct_low END)
     WHERE m.user_id = $2`,
    [afterSeq, userId],
  );
}

/** The first administrator still enabled: who the admin CLI's announcements come from. */
export async function firstActiveAdminId(q: PgQueryable): Promise<number | undefined> {
  const row = await q.one<{ id: number }>(
    'SELECT id FROM users WHERE is_admin = 1 AND disabled = 0 ORDER BY id LIMIT 1',
  );
  return row?.id;
}
