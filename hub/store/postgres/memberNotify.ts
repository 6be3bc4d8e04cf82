import type { Conversation } from '../../../common/protocol/model.ts';
import type { NotifyChange } from '../ConversationStore.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { findMemberConversation } from './conversations.ts';
import { toConversation } from '../rows/conversationRow.ts';

/**
 * Writes one member's notification level and/or mute (see {@link NotifyChange}) and answers the
 * conversation as they see it afterwards; undefined when they are not a member (left meanwhile).
 * Runs in one transaction so the answer is what was written.
 */
export async function setMemberNotify(
  q: PgQueryable,
  conversationId: number,
  userId: number,
  change: NotifyChange,
  now: number,
): Promise<Conversation | undefined> {
  // FOR UPDATE: a concurrent leave waits for this change or is seen by it, never half of each.
  const exists = await q.one('SELECT 1 FROM members WHERE conversation_id = $1 AND user_id = $2 FOR UPDATE', [
    conversationId,
    userId,
  ]);
  if (!exists) return undefined;
  if (change.notify !== undefined)
    await q.run('UPDATE members SET notify = $1 WHERE conversation_id = $2 AND user_id = $3', [
      change.notify,
      conversationId,
      userId,
    ]);
  if (change.mutedUntil !== undefined) {
    // 0 (or a time already past) unmutes; null mutes until unmuted.
    const off = change.mutedUntil !== null && change.mutedUntil <= now;
    await q.run('UPDATE members SET muted = $1, muted_until = $2 WHERE conversation_id = $3 AND user_id = $4', [
      off ? 0 : 1,
      off ? null : change.mutedUntil,
      conversationId,
      userId,
    ]);
  }
  const row = await findMemberConversation(q, conversationId, userId);
  return row && toConversation(row, now);
}
