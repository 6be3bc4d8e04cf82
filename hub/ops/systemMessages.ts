import { randomUUID } from 'node:crypto';
import type { Message, SystemEvent } from '../../common/protocol/model.ts';
import { findMemberConversation, setLastMessage } from '../store/conversations.ts';
import { insertMessage } from '../store/messages.ts';
import type { HubContext } from './HubContext.ts';
import type { Audience, HubEvent } from './HubEvent.ts';
import { toConversation } from './views.ts';

/**
 * Stores a system message (membership or room change) in a conversation, sequenced like any other
 * message. Its client id has a `sys:` prefix that client ids cannot have, so it never collides.
 * Call inside the transaction that makes the change.
 */
export function insertSystemMessage(ctx: HubContext, conversationId: number, system: SystemEvent): Message {
  const ts = ctx.clock();
  const message = insertMessage(ctx.db, {
    conversationId,
    senderId: system.actorId,
    clientId: `sys:${randomUUID()}`,
    kind: 'system',
    text: '',
    ts,
    mentions: [],
    mentionsAll: false,
    system,
  });
  setLastMessage(ctx.db, conversationId, message.seq, ts);
  return message;
}

/** The event that delivers a message to an audience. */
export function messageEvent(message: Message, audience: Audience): HubEvent {
  return { audience, frame: { type: 'message', message } };
}

/** A `conversation` event carrying the conversation as this member sees it (nothing if not a member). */
export function conversationEvents(ctx: HubContext, conversationId: number, userIds: readonly number[]): HubEvent[] {
  const events: HubEvent[] = [];
  for (const userId of userIds) {
    const row = findMemberConversation(ctx.db, conversationId, userId);
    if (!row) continue;
    events.push({
      audience: { to: 'users', userIds: [userId] },
      frame: { type: 'conversation', conversation: toConversation(row) },
    });
  }
  return events;
}
