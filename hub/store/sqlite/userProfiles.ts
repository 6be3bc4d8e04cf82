import type { Database } from 'better-sqlite3';
import { searchKey } from './searchKey.ts';
import { statement } from './statement.ts';

/** Updates what the directory sync owns of an account: name (and its search key), branch, e-mail. */
export function updateUserProfile(
  db: Database,
  userId: number,
  p: { login: string; name: string; branch: string | null; email: string | null },
): void {
  statement(db, 'UPDATE users SET name = ?, search_key = ?, branch = ?, email = ? WHERE id = ?').run(
    p.name,
    searchKey(`${p.login}\n${p.name}`),
    p.branch,
    p.email,
    userId,
  );
}

/** Sets job title and phone (directory sync); each only when given. */
export function updateUserContacts(
  db: Database,
  userId: number,
  p: { position?: string | null; phone?: string | null },
): void {
  if (p.position !== undefined) statement(db, 'UPDATE users SET position = ? WHERE id = ?').run(p.position, userId);
  if (p.phone !== undefined) statement(db, 'UPDATE users SET phone = ? WHERE id = ?').run(p.phone, userId);
}

/** Sets the user's own settings (read receipts, time zone); each only when given. */
export function updateUserSettings(
  db: Database,
  userId: number,
  p: { readReceipts?: boolean; timeZone?: string },
): void {
  if (p.readReceipts !== undefined)
    statement(db, 'UPDATE users SET read_receipts = ? WHERE id = ?').run(p.readReceipts ? 1 : 0, userId);
  if (p.timeZone !== undefined) statement(db, 'UPDATE users SET time_zone = ? WHERE id = ?').run(p.timeZone, userId);
}

/** Moves the user's received seq forward (never back); returns how many rows changed. */
export function advanceReceivedSeq(db: Database, userId: number, seq: number): number {
  return statement(db, 'UPDATE users SET received_seq = ? WHERE id = ? AND received_seq < ?').run(seq, userId, seq)
    .changes;
}

/** The user's direct conversations with a message after `afterSeq`, the other person, and whether both have receipts on. */
export function directPeersAfter(
  db: Database,
  userId: number,
  afterSeq: number,
): { conversationId: number; peerId: number; receiptsOn: boolean }[] {
  const rows = statement(
    db,
    `SELECT c.id AS conversationId, p.id AS peerId, (p.read_receipts = 1 AND u.read_receipts = 1) AS receiptsOn
     FROM members m
     JOIN conversations c ON c.id = m.conversation_id AND c.kind = 'direct' AND c.last_seq > ?
     JOIN users u ON u.id = m.user_id
     JOIN users p ON p.id = (CASE WHEN c.direct_low = m.user_id THEN c.direct_high ELSE c.direct_low END)
     WHERE m.user_id = ?`,
  ).all(afterSeq, userId) as { conversationId: number; peerId: number; receiptsOn: number }[];
  return rows.map((r) => ({ ...r, receiptsOn: r.receiptsOn === 1 }));
}

/** The first administrator still enabled: who the admin CLI's announcements come from. */
export function firstActiveAdminId(db: Database): number | undefined {
  return statement(db, 'SELECT id FROM users WHERE is_admin = 1 AND disabled = 0 ORDER BY id LIMIT 1').pluck().get() as
    number | undefined;
}
