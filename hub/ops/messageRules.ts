import type { Conversation, Message } from '../../common/protocol/model.ts';
import type { ConversationRecord } from '../store/ConversationStore.ts';
import type { Actor } from './Hub.ts';
import { HubError } from './HubError.ts';

/**
 * Who may change which message (docs/protocol.md, "Message actions"). Each rule is checked here
 * on what the store shows before the change, and the store re-checks membership and the
 * message's state when it commits. Membership itself is checked by the caller first
 * (`requireMessage`): every rule below assumes the actor is a member of the message's conversation.
 * Whether the message is deleted is left to the store (refused `deleted`): it answers a repeated
 * client id first, so a retry of a change made before the deletion gets the message, not an error.
 */

/** A conversation's rule for pins: `members` unless a room's owner chose `owners`. */
export type PinRule = NonNullable<Conversation['pinRule']>;

/** The rule that applies in a conversation: the general room is administrators only, direct ones both members. */
export function pinRuleOf(conversation: ConversationRecord): PinRule {
  if (conversation.kind === 'general') return 'owners';
  if (conversation.kind === 'direct') return 'members';
  return conversation.pinRule;
}

/**
 * An edit: the author only, of an ordinary text message that was not forwarded or deleted, within
 * the hub's edit window (`editWindowMs` after it was sent; 0 means no limit).
 */
export function checkEdit(actor: Actor, message: Message, editWindowMs: number, now: number): void {
  if (message.kind !== 'text')
    throw new HubError(
      'forbidden',
      `${message.kind === 'system' ? 'system messages' : 'announcements'} cannot be edited`,
    );
  if (message.senderId !== actor.userId) throw new HubError('forbidden', 'only the author can edit a message');
  if (message.forwarded) throw new HubError('forbidden', 'a forwarded message cannot be edited');
  if (editWindowMs > 0 && now - message.ts > editWindowMs)
    throw new HubError(
      'edit_expired',
      `a message can be edited for ${describeDuration(editWindowMs)} after it was sent; this one was sent ${describeDuration(now - message.ts)} ago`,
    );
}

/**
 * A deletion: the author; in an open or closed room its owner (in a room the hub manages, which
 * has no owner, nobody but administrators); an administrator anywhere but others' direct
 * conversations. System messages never; announcements only by their sender or an administrator.
 * Deleting a deleted message is allowed (it changes nothing).
 */
export function checkDelete(actor: Actor, message: Message, conversation: ConversationRecord): void {
  if (message.kind === 'system') throw new HubError('forbidden', 'system messages cannot be deleted');
  if (message.senderId === actor.userId) return;
  if (conversation.kind === 'direct')
    throw new HubError('forbidden', 'only the author can delete a message of a direct conversation');
  if (actor.isAdmin) return;
  if (message.kind === 'announcement')
    throw new HubError('forbidden', 'only its sender or an administrator can delete an announcement');
  const isRoom = conversation.kind === 'open' || conversation.kind === 'closed';
  if (isRoom && conversation.ownerId !== null && conversation.ownerId === actor.userId) return;
  throw new HubError(
    'forbidden',
    conversation.kind === 'general'
      ? 'only the author or an administrator can delete a message of the general room'
      : "only the author, the room's owner or an administrator can delete a message",
  );
}

/**
 * Whether the actor's `@all` notifies the whole conversation: a bot (IT set it up for its rooms),
 * a room's owner, an administrator in the general room.
 */
export function mayMentionAll(actor: Actor, conversation: ConversationRecord): boolean {
  if (actor.isBot) return true;
  if (conversation.kind === 'general') return actor.isAdmin;
  return (conversation.kind === 'open' || conversation.kind === 'closed') && conversation.ownerId === actor.userId;
}

/** A reaction: any member, on a message that is neither a system message nor deleted. */
export function checkReact(message: Message): void {
  if (message.kind === 'system') throw new HubError('forbidden', 'system messages take no reactions');
}

/**
 * A pin or unpin: in a direct conversation both people; in the general room administrators; in a
 * room any member (`pinRule` `members`) or its owner and administrators (`owners`).
 */
export function checkPin(actor: Actor, message: Message, conversation: ConversationRecord): void {
  if (message.kind === 'system') throw new HubError('forbidden', 'system messages cannot be pinned');
  if (pinRuleOf(conversation) === 'members' || actor.isAdmin) return;
  if (conversation.kind !== 'general' && conversation.ownerId !== null && conversation.ownerId === actor.userId) return;
  throw new HubError(
    'forbidden',
    conversation.kind === 'general'
      ? 'only administrators pin messages in the general room'
      : "only the room's owner or an administrator pins messages in this room",
  );
}

/** What an edit, reaction or pin of a deleted message answers (the store's `deleted` refusal). */
export function deletedError(): HubError {
  return new HubError('not_found', 'the message was deleted');
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
