import type { Message } from '../../../common/protocol/model.ts';
import type { AnnouncementRecord } from '../IntegrationStore.ts';
import { currentMessages } from './messageRows.ts';
import type { PgQueryable } from './PgDatabase.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/** An announcement as stored. */
export function findAnnouncement(q: PgQueryable, seq: number): Promise<MessageRow | undefined> {
  return q.one<MessageRow>(`SELECT * FROM messages WHERE seq = $1 AND kind = 'announcement'`, [seq]);
}

/** Records a confirmation (once; a repeat keeps the first time). Returns whether it was new. */
export async function insertConfirmation(q: PgQueryable, seq: number, userId: number, now: number): Promise<boolean> {
  const inserted = await q.run(
    'INSERT INTO announcement_confirmations (seq, user_id, confirmed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [seq, userId, now],
  );
  return inserted > 0;
}

/** One recipient of an announcement as the confirmation report shows them. */
export interface RecipientRow {
  user_id: number;
  login: string;
  name: string;
  confirmed_at: number | null;
}

/**
 * Everyone who must confirm an announcement — the people (not bots, not disabled) who were
 * members of its conversation when it was posted, except its sender — and when each confirmed.
 * Anyone who confirmed is listed too, even if they left or were disabled since.
 */
export function announcementRecipients(q: PgQueryable, announcement: AnnouncementRecord): Promise<RecipientRow[]> {
  // COLLATE "C": SQLite orders names by their bytes, whatever the database's locale.
  return q.all<RecipientRow>(
    `SELECT u.id AS user_id, u.login, u.name, a.confirmed_at
     FROM users u
     LEFT JOIN announcement_confirmations a ON a.seq = $1 AND a.user_id = u.id
     WHERE u.id <> $2 AND (a.confirmed_at IS NOT NULL OR (u.is_bot = 0 AND u.disabled = 0 AND EXISTS (
       SELECT 1 FROM members m WHERE m.conversation_id = $3 AND m.user_id = u.id AND m.joined_at <= $4)))
     ORDER BY u.name COLLATE "C", u.id`,
    [announcement.seq, announcement.senderId, announcement.conversationId, announcement.ts],
  );
}

/**
 * Announcements the user still has to confirm, oldest first, as they are now: in conversations
 * they are in, posted since they joined, by someone else, not deleted, not confirmed yet.
 */
export async function pendingAnnouncements(q: PgQueryable, userId: number, limit: number): Promise<Message[]> {
  const rows = await q.all<MessageRow>(
    `SELECT g.* FROM members m
     JOIN messages g ON g.conversation_id = m.conversation_id AND g.kind = 'announcement'
     WHERE m.user_id = $1 AND g.sender_id <> m.user_id AND g.ts >= m.joined_at AND g.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM announcement_confirmations a WHERE a.seq = g.seq AND a.user_id = m.user_id)
     ORDER BY g.seq LIMIT $2`,
    [userId, limit],
  );
  return currentMessages(q, rows);
}
