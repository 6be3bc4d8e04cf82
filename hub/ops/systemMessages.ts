import type { Message } from '../../common/protocol/model.ts';
import type { MemberView, RoomChange } from '../store/ConversationStore.ts';
import type { StoredAudience } from '../store/MessageStore.ts';
import type { HubContext } from './HubContext.ts';
import type { Audience, HubEvent } from './HubEvent.ts';

// A room change is stored with its system messages in one store call; these publish what it
// returned, only after it committed, in the order clients expect (membership, then the
// conversation as each person sees it, then the messages).

/** The event that delivers a message to an audience. */
export function messageEvent(message: Message, audience: Audience): HubEvent {
  return { audience, frame: { type: 'message', message } };
}

/** The events audience of a stored audience. */
export function toAudience(audience: StoredAudience): Audience {
  return audience === 'everyone' ? { to: 'everyone' } : { to: 'users', userIds: audience };
}

/** A `conversation` event per member view: the conversation as that member sees it now. */
export function conversationEvents(views: readonly MemberView[]): HubEvent[] {
  return views.map((view) => ({
    audience: { to: 'users', userIds: [view.userId] },
    frame: { type: 'conversation', conversation: view.conversation },
  }));
}

/** Publishes a change that added people: `members`, their view of the conversation, the messages. */
export function publishAdded(ctx: HubContext, conversationId: number, change: RoomChange): void {
  publish(ctx, addedEvents(conversationId, change));
}

/** The events of a change that added people (none when nobody was added). */
export function addedEvents(conversationId: number, change: RoomChange): HubEvent[] {
  if (change.userIds.length === 0) return [];
  const audience = toAudience(change.audience);
  return [
    { audience, frame: { type: 'members', conversationId, added: change.userIds, removed: [] } },
    ...conversationEvents(change.views),
    ...change.messages.map((m) => messageEvent(m, audience)),
  ];
}

/**
 * Publishes a change that took someone out: `conversation.removed` to them and, unless the room
 * was archived with them, `members` and the messages to the rest (a new owner's view between the
 * `left` message and the `owner` one).
 */
export function publishRemoved(
  ctx: HubContext,
  conversationId: number,
  change: RoomChange & { archived: boolean },
  reason: 'left' | 'removed',
): void {
  publish(ctx, removedEvents(conversationId, change, reason));
}

/** The events of a change that took someone out (none when nobody was). */
export function removedEvents(
  conversationId: number,
  change: RoomChange & { archived: boolean },
  reason: 'left' | 'removed',
): HubEvent[] {
  const [userId] = change.userIds;
  if (userId === undefined) return [];
  const events: HubEvent[] = [
    { audience: { to: 'users', userIds: [userId] }, frame: { type: 'conversation.removed', conversationId, reason } },
  ];
  if (!change.archived) {
    const audience = toAudience(change.audience);
    const [first, ...rest] = change.messages.map((m) => messageEvent(m, audience));
    events.push({
      audience: { to: 'users', userIds: change.memberIds },
      frame: { type: 'members', conversationId, added: [], removed: [userId] },
    });
    if (first) events.push(first);
    events.push(...conversationEvents(change.views), ...rest);
  }
  return events;
}

/** Publishes any other change: the conversation as each member sees it, then the messages. */
export function publishChanged(ctx: HubContext, change: RoomChange): void {
  const audience = toAudience(change.audience);
  publish(ctx, [...conversationEvents(change.views), ...change.messages.map((m) => messageEvent(m, audience))]);
}

function publish(ctx: HubContext, events: readonly HubEvent[]): void {
  for (const event of events) ctx.events.publish(event);
}
