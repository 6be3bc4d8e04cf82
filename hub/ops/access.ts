import type { ConversationRow } from '../store/conversations.ts';
import { findConversation } from '../store/conversations.ts';
import type { MemberRow } from '../store/members.ts';
import { findMember } from '../store/members.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';

/** A conversation the user may know about, and their membership if any. */
export interface Visible {
  conversation: ConversationRow;
  member: MemberRow | undefined;
}

/**
 * The conversation if the user may know it exists: any conversation they are in, an open room
 * that is not archived, and the general room. Anything else — closed rooms and direct
 * conversations of others, archived rooms — answers `not_found` exactly like a missing id.
 */
export function requireVisible(ctx: HubContext, conversationId: number, userId: number): Visible {
  const conversation = findConversation(ctx.db, conversationId);
  const member = conversation && findMember(ctx.db, conversationId, userId);
  if (!conversation) throw notFound();
  if (member) return { conversation, member };
  const public_ = (conversation.kind === 'open' && conversation.archived === 0) || conversation.kind === 'general';
  if (!public_) throw notFound();
  return { conversation, member };
}

/** The conversation and membership, if the user is a member; `forbidden` for an open room they are not in. */
export function requireMember(
  ctx: HubContext,
  conversationId: number,
  userId: number,
): { conversation: ConversationRow; member: MemberRow } {
  const { conversation, member } = requireVisible(ctx, conversationId, userId);
  if (!member) throw new HubError('forbidden', 'join the room first');
  return { conversation, member };
}

/** The standard answer for a conversation that does not exist or that the caller may not know. */
export function notFound(): HubError {
  return new HubError('not_found', 'no such conversation');
}
