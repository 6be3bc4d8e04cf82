import type { Conversation, Message } from './model.ts';

/**
 * Who may change which message (docs/protocol.md, "Message actions"): the one statement of the
 * rules. The hub enforces them (hub/ops/messageRules.ts turns a refusal into its error); the UI
 * asks the same functions to offer only what the hub would allow. Each answers null when allowed,
 * else why not, in words a log or an error message can carry.
 */

/** The person acting. */
export interface Acting {
  userId: number;
  isAdmin: boolean;
}

/** What the rules read of a conversation. */
export type ConversationFacts = Pick<Conversation, 'kind' | 'ownerId'> & { pinRule?: Conversation['pinRule'] };

/** What the rules read of a message. */
export type MessageFacts = Pick<Message, 'kind' | 'senderId' | 'ts'> & Partial<Pick<Message, 'deleted' | 'forwarded'>>;

/** Why an action is refused: the protocol error code and a sentence. */
export interface Refusal {
  code: 'forbidden' | 'not_found' | 'edit_expired';
  reason: string;
}

/** The rule for pins that applies: the general room's administrators, both people of a direct conversation, a room's setting. */
export function pinRuleOf(conversation: ConversationFacts): 'members' | 'owners' {
  if (conversation.kind === 'general') return 'owners';
  if (conversation.kind === 'direct') return 'members';
  return conversation.pinRule ?? 'members';
}

/** Whether the person owns this open or closed room. */
function ownsRoom(who: Acting, conversation: ConversationFacts): boolean {
  const isRoom = conversation.kind === 'open' || conversation.kind === 'closed';
  return isRoom && conversation.ownerId !== null && conversation.ownerId === who.userId;
}

/**
 * An edit: the author only, of an ordinary text message that was not forwarded or deleted, within
 * the hub's edit window (`editWindowMs` after it was sent; 0 means no limit).
 */
export function editRefusal(who: Acting, message: MessageFacts, editWindowMs: number, now: number): Refusal | null {
  if (message.deleted) return deleted();
  if (message.kind !== 'text')
    return forbidden(`${message.kind === 'system' ? 'system messages' : 'announcements'} cannot be edited`);
  if (message.senderId !== who.userId) return forbidden('only the author can edit a message');
  if (message.forwarded) return forbidden('a forwarded message cannot be edited');
  if (editWindowMs > 0 && now - message.ts > editWindowMs)
    return {
      code: 'edit_expired',
      reason: `a message can be edited for ${describeDuration(editWindowMs)} after it was sent; this one was sent ${describeDuration(now - message.ts)} ago`,
    };
  return null;
}

/**
 * A deletion: the author; in an open or closed room its owner (a room the hub manages has no
 * owner: administrators only); an administrator anywhere but others' direct conversations. System
 * messages never; announcements only by their sender or an administrator. Deleting a deleted
 * message is allowed (it changes nothing).
 */
export function deleteRefusal(who: Acting, message: MessageFacts, conversation: ConversationFacts): Refusal | null {
  if (message.kind === 'system') return forbidden('system messages cannot be deleted');
  if (message.senderId === who.userId) return null;
  if (conversation.kind === 'direct') return forbidden('only the author can delete a message of a direct conversation');
  if (who.isAdmin) return null;
  if (message.kind === 'announcement')
    return forbidden('only its sender or an administrator can delete an announcement');
  if (ownsRoom(who, conversation)) return null;
  return forbidden(
    conversation.kind === 'general'
      ? 'only the author or an administrator can delete a message of the general room'
      : "only the author, the room's owner or an administrator can delete a message",
  );
}

/** A reaction: any member, on a message that is neither a system message nor deleted. */
export function reactRefusal(message: Pick<MessageFacts, 'kind' | 'deleted'>): Refusal | null {
  if (message.deleted) return deleted();
  if (message.kind === 'system') return forbidden('system messages take no reactions');
  return null;
}

/**
 * A pin or unpin: in a direct conversation both people; in the general room administrators; in a
 * room any member (`pinRule` `members`) or its owner and administrators (`owners`).
 */
export function pinRefusal(
  who: Acting,
  message: Pick<MessageFacts, 'kind' | 'deleted'>,
  conversation: ConversationFacts,
): Refusal | null {
  if (message.deleted) return deleted();
  if (message.kind === 'system') return forbidden('system messages cannot be pinned');
  if (pinRuleOf(conversation) === 'members' || who.isAdmin) return null;
  if (conversation.kind !== 'general' && ownsRoom(who, conversation)) return null;
  return forbidden(
    conversation.kind === 'general'
      ? 'only administrators pin messages in the general room'
      : "only the room's owner or an administrator pins messages in this room",
  );
}

/**
 * Whether the person's `@all` notifies the whole conversation: a bot (IT set it up for its rooms),
 * a room's owner, an administrator in the general room.
 */
export function mayMentionAll(who: Acting & { isBot: boolean }, conversation: ConversationFacts): boolean {
  if (who.isBot) return true;
  if (conversation.kind === 'general') return who.isAdmin;
  return ownsRoom(who, conversation);
}

/** A duration as people say it: "30 minutes", "24 hours", "7 days" (the largest whole unit). */
export function describeDuration(ms: number): string {
  const units: [number, string][] = [
    [24 * 60 * 60 * 1000, 'day'],
    [60 * 60 * 1000, 'hour'],
    [60 * 1000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size) {
      const n = Math.floor(ms / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.max(0, Math.round(ms))} ms`;
}

function forbidden(reason: string): Refusal {
  return { code: 'forbidden', reason };
}

function deleted(): Refusal {
  return { code: 'not_found', reason: 'the message was deleted' };
}
