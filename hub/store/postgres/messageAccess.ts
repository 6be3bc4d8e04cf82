import type { StoredAudience } from '../MessageStore.ts';
import { findMember, memberIds } from './members.ts';
import type { PgQueryable } from './PgDatabase.ts';
import type { ConversationRow } from '../rows/conversationRow.ts';

/** Conversations anyone may know exist: open rooms that are not archived, and the general room. */
export function isPublic(conversation: ConversationRow): boolean {
  return (conversation.kind === 'open' && conversation.archived === 0) || conversation.kind === 'general';
}

/**
 * Whether the user may read and act on the conversation's messages now: a member, or (the general
 * room, which is everyone's) any enabled person.
 */
export async function mayUseConversation(
  q: PgQueryable,
  conversation: ConversationRow,
  userId: number,
): Promise<boolean> {
  if (await findMember(q, conversation.id, userId)) return true;
  if (conversation.kind !== 'general') return false;
  return (await q.one('SELECT 1 FROM users WHERE id = $1 AND is_bot = 0 AND disabled = 0', [userId])) !== undefined;
}

/** The refusal for someone who may not use the conversation: private ones are not admitted to exist. */
export function refusalFor(conversation: ConversationRow): 'not_member' | 'not_found' {
  return isPublic(conversation) ? 'not_member' : 'not_found';
}

/** Who hears about the conversation's messages and their changes: everyone for the general room, else its members. */
export async function audienceOf(q: PgQueryable, conversation: ConversationRow): Promise<StoredAudience> {
  return conversation.kind === 'general' ? 'everyone' : memberIds(q, conversation.id);
}
