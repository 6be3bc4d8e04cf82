import type { Database } from 'better-sqlite3';
import type { Conversation } from '../../../common/protocol/model.ts';
import type { NotifyChange } from '../ConversationStore.ts';
import { findMemberConversation } from './conversations.ts';
import { statement } from './statement.ts';
import { toConversation } from '../rows/conversationRow.ts';

/**
 * Writes one member's notification level and/or mute (see {@link NotifyChange}) and answers the
 * conversation as they see it afterwards; undefined when they are not a member (left meanwhile).
 * Runs in one transaction so the answer is what was written.
 */
export function setMemberNotify(
  db: Database,
  conversationId: number,
  userId: number,
  change: NotifyChange,
  now: number,
): Conversation | undefined {
  const exists = statement(db, 'SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?').get(
    conversationId,
    userId,
  );
  if (!exists) return undefined;
  if (change.notify !== undefined)
    statement(db, 'UPDATE members SET notify = ? WHERE conversation_id = ? AND user_id = ?').run(
      change.notify,
      conversationId,
      userId,
    );
  if (change.mutedUntil !== undefined) {
    // 0 (or a time already past) unmutes; null mutes until unmuted.
    const off = change.mutedUntil !== null && change.mutedUntil <= now;
    statement(db, 'UPDATE members SET muted = ?, muted_until = ? WHERE conversation_id = ? AND user_id = ?').run(
      off ? 0 : 1,
      off ? null : change.mutedUntil,
      conversationId,
      userId,
    );
  }
  const row = findMemberConversation(db, conversationId, userId);
  return row && toConversation(row, now);
}
