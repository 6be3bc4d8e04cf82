import type { Database } from 'better-sqlite3';
import type { Message } from '../../../common/protocol/model.ts';
import type { AnnouncementRecord } from '../IntegrationStore.ts';
import { currentMessages } from './messageRows.ts';
import { statement } from './statement.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/** An announcement as stored. */
export function findAnnouncement(db: Database, seq: number): MessageRow | undefined {
  return statement(db, `SELECT * FROM messages WHERE seq = ? AND kind = 'announcement'`).get(seq) as
    MessageRow | undefined;
}

/** Records a confirmation (once; a repeat keeps the first time). Returns whether it was new. */
export function insertConfirmation(db: Database, seq: number, userId: number, now: number): boolean {
  return (
    statement(
      db,
      'INSERT INTO announcement_confirmations (seq, user_id, confirmed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ).run(seq, userId, now).changes > 0
  );
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
export function announcementRecipients(db: Database, announcement: AnnouncementRecord): RecipientRow[] {
  return statement(
    db,
    `SELECT u.id AS user_id, u.login, u.name, a.confirmed_at
     FROM users u
     LEFT JOIN announcement_confirmations a ON a.seq = ? AND a.user_id = u.id
     WHERE u.id <> ? AND (a.confirmed_at IS NOT NULL OR (u.is_bot = 0 AND u.disabled = 0 AND EXISTS (
       SELECT 1 FROM members m WHERE m.conversation_id = ? AND m.user_id = u.id AND m.joined_at <= ?)))
     ORDER BY u.name, u.id`,
  ).all(announcement.seq, announcement.senderId, announcement.conversationId, announcement.ts) as RecipientRow[];
}

/**
 * Announcements the user still has to confirm, oldest first, as they are now: in conversations
 * they are in, posted since they joined, by someone else, not deleted, not confirmed yet.
 */
export function pendingAnnouncements(db: Database, userId: number, limit: number): Message[] {
  const rows = statement(
    db,
    `SELECT g.* FROM members m
     JOIN messages g ON g.conversation_id = m.conversation_id AND g.kind = 'announcement'
     WHERE m.user_id = ? AND g.sender_id <> m.user_id AND g.ts >= m.joined_at AND g.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM announcement_confirmations a WHERE a.seq = g.seq AND a.user_id = m.user_id)
     ORDER BY g.seq LIMIT ?`,
  ).all(userId, limit) as MessageRow[];
  return currentMessages(db, rows);
}
