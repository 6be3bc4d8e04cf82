import type { HubContext } from '../HubContext.ts';
import { publishAdded, publishRemoved } from '../systemMessages.ts';
import type { RoomMove } from '../../store/IntegrationStore.ts';

/**
 * Publishes the room joins and leaves an integration write made, in the order they happened,
 * once it has committed. A hub removal never archives the room and reads as `removed` to the person.
 */
export function publishMoves(ctx: HubContext, moves: readonly RoomMove[]): void {
  for (const move of moves) {
    if (move.direction === 'joined') publishAdded(ctx, move.conversationId, move.change);
    else publishRemoved(ctx, move.conversationId, { ...move.change, archived: false }, 'removed');
  }
}

/**
 * Puts someone in an open, active room they are not in (an administrator announcing there, a
 * hook posting there) with a `joined` message. The store re-checks all three at the write; when
 * one no longer holds nothing happens, and sending then answers as it would for anyone.
 */
export async function joinOpenRoom(ctx: HubContext, conversationId: number, userId: number): Promise<void> {
  const change = await ctx.store.conversations.addMembers(conversationId, [userId], { by: 'self' }, ctx.clock());
  if (change.kind === 'changed') publishAdded(ctx, conversationId, change);
}
