import type { Message } from '../../common/protocol/model.ts';
import type { ConversationRecord, MemberRecord } from '../store/ConversationStore.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';

/** A conversation the user may know about, and their membership if any. */
export interface Visible {
  conversation: ConversationRecord;
  member: MemberRecord | undefined;
}

/**
 * The conversation if the user may know it exists: any conversation they are in, an open room
 * that is not archived, and the general room. Anything else — closed rooms and direct
 * conversations of others, archived rooms — answers `not_found` exactly like a missing id.
 */
export async function requireVisible(ctx: HubContext, conversationId: number, userId: number): Promise<Visible> {
  const found = await ctx.store.conversations.membership(conversationId, userId);
  if (!found) throw notFound();
  const { conversation, member } = found;
  if (member) return { conversation, member };
  const public_ = (conversation.kind === 'open' && !conversation.archived) || conversation.kind === 'general';
  if (!public_) throw notFound();
  return { conversation, member };
}

/** The conversation and membership, if the user is a member; `forbidden` for an open room they are not in. */
export async function requireMember(
  ctx: HubContext,
  conversationId: number,
  userId: number,
): Promise<{ conversation: ConversationRecord; member: MemberRecord }> {
  const { conversation, member } = await requireVisible(ctx, conversationId, userId);
  if (!member) throw notMember();
  return { conversation, member };
}

/** The standard answer for a conversation that does not exist or that the caller may not know. */
export function notFound(): HubError {
  return new HubError('not_found', 'no such conversation');
}

/** The standard answer for a visible conversation the caller is not in. */
export function notMember(): HubError {
  return new HubError('forbidden', 'join the room first');
}

/** A message the user may act on, its conversation and the user's membership of it. */
export interface MessageAccess {
  message: Message;
  conversation: ConversationRecord;
  member: MemberRecord;
}

/**
 * The message with this seq if the user is a member of its conversation (the general room:
 * everyone). A missing seq, and a message of a closed room or a direct conversation the user is
 * not in, answer `not_found` alike; a message of an open room they have not joined `forbidden`.
 */
export async function requireMessage(ctx: HubContext, seq: number, userId: number): Promise<MessageAccess> {
  const message = await ctx.store.messages.get(seq);
  if (!message) throw noSuchMessage();
  let visible: Visible;
  try {
    visible = await requireVisible(ctx, message.conversationId, userId);
  } catch (err) {
    if (err instanceof HubError && err.code === 'not_found') throw noSuchMessage();
    throw err;
  }
  if (!visible.member) throw notMember();
  return { message, conversation: visible.conversation, member: visible.member };
}

/** The answer for a message that does not exist or that the caller may not know. */
export function noSuchMessage(): HubError {
  return new HubError('not_found', 'no such message');
}
