import type { HubContext } from '../ops/HubContext.ts';
import type { HubEvent } from '../ops/HubEvent.ts';
import { addedEvents, publishAdded, publishRemoved, removedEvents } from '../ops/systemMessages.ts';
import { addMembers, removeOne } from '../store/sqlite/roomChanges.ts';

/**
 * Puts people in a conversation as a change the hub makes (a bot given a room, a person's branch
 * room, a hook or an administrator posting to an open room): one `joined` message each and the
 * events members expect, published once stored. Members already in are skipped. Returns who was added.
 */
export async function addToRoomAsHub(
  ctx: HubContext,
  conversationId: number,
  userIds: readonly number[],
): Promise<number[]> {
  const change = await ctx.store.conversations.addMembers(conversationId, userIds, { by: 'hub' }, ctx.clock());
  if (change.kind === 'refused') return [];
  publishAdded(ctx, conversationId, change);
  return change.userIds;
}

/**
 * Takes someone out of a conversation as a change the hub makes (a person moved to another
 * branch): a `left` message and the events. Returns whether they were a member.
 */
export async function removeFromRoomAsHub(ctx: HubContext, conversationId: number, userId: number): Promise<boolean> {
  const change = await ctx.store.conversations.removeMember(conversationId, userId, { by: 'hub' }, ctx.clock());
  if (change.kind === 'refused' || change.userIds.length === 0) return false;
  publishRemoved(ctx, conversationId, change, 'removed');
  return true;
}

// TRANSITIONAL: the two functions below run inside a caller's own transaction on ctx.db (the same
// store code, without a transaction of its own). They go once hub/integrations calls the store.

/**
 * @deprecated Use {@link addToRoomAsHub} (or `addMembers(db, ..., { by: 'hub' })` inside a store).
 * Call inside a write transaction; publish the returned events after it commits.
 */
export function joinRoom(ctx: HubContext, conversationId: number, userId: number): HubEvent[] {
  const change = addMembers(ctx.db, conversationId, [userId], { by: 'hub' }, ctx.clock());
  return change.kind === 'refused' ? [] : addedEvents(conversationId, change);
}

/**
 * @deprecated Use {@link removeFromRoomAsHub} (or `removeOne(db, ..., { by: 'hub' })` inside a store).
 * Call inside a write transaction.
 */
export function leaveRoom(ctx: HubContext, conversationId: number, userId: number): HubEvent[] {
  const change = removeOne(ctx.db, conversationId, userId, { by: 'hub' }, ctx.clock());
  return change.kind === 'refused' ? [] : removedEvents(conversationId, change, 'removed');
}
