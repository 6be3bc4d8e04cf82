import { findConversation } from '../store/conversations.ts';
import { addMember, memberIds, removeMember } from '../store/members.ts';
import { advanceReadSeq } from '../store/reads.ts';
import type { HubContext } from '../ops/HubContext.ts';
import type { Audience, HubEvent } from '../ops/HubEvent.ts';
import { conversationEvents, insertSystemMessage, messageEvent } from '../ops/systemMessages.ts';

/**
 * Adds a user to a room as a change the hub makes (a bot given a room, a person's branch room, a
 * hook posting to an open room): a `joined` system message and the events members expect. Call
 * inside a write transaction; publish the returned events after it commits. Nothing happens for
 * someone who is a member already.
 */
export function joinRoom(ctx: HubContext, conversationId: number, userId: number): HubEvent[] {
  const conversation = findConversation(ctx.db, conversationId);
  if (!conversation) return [];
  if (!addMember(ctx.db, conversationId, userId, ctx.clock(), conversation.last_seq)) return [];
  const message = insertSystemMessage(ctx, conversationId, { event: 'joined', actorId: userId });
  advanceReadSeq(ctx.db, conversationId, userId, message.seq);
  const audience: Audience =
    conversation.kind === 'general' ? { to: 'everyone' } : { to: 'users', userIds: memberIds(ctx.db, conversationId) };
  return [
    { audience, frame: { type: 'members', conversationId, added: [userId], removed: [] } },
    ...conversationEvents(ctx, conversationId, [userId]),
    messageEvent(message, audience),
  ];
}

/**
 * Takes a user out of a room as a change the hub makes (a person moved to another branch): a
 * `left` system message and the events. Call inside a write transaction.
 */
export function leaveRoom(ctx: HubContext, conversationId: number, userId: number): HubEvent[] {
  if (!removeMember(ctx.db, conversationId, userId)) return [];
  const message = insertSystemMessage(ctx, conversationId, { event: 'left', actorId: userId });
  const remaining = memberIds(ctx.db, conversationId);
  const audience: Audience = { to: 'users', userIds: remaining };
  return [
    {
      audience: { to: 'users', userIds: [userId] },
      frame: { type: 'conversation.removed', conversationId, reason: 'removed' },
    },
    { audience, frame: { type: 'members', conversationId, added: [], removed: [userId] } },
    messageEvent(message, audience),
  ];
}
