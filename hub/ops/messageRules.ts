import type { Message } from '../../common/protocol/model.ts';
import {
  deleteRefusal,
  editRefusal,
  mayMentionAll as mayMentionAllFor,
  pinRefusal,
  reactRefusal,
  type Refusal,
} from '../../common/protocol/messagePermissions.ts';
import type { ConversationRecord } from '../store/ConversationStore.ts';
import type { Actor } from './Hub.ts';
import { HubError } from './HubError.ts';

/**
 * The hub's side of who may change which message: the rules themselves are
 * common/protocol/messagePermissions.ts (the UI offers only what they allow); here a refusal
 * becomes the request's error. Each is checked on what the store shows before the change, and the
 * store re-checks membership and the message's state when it commits. Membership itself is checked
 * by the caller first (`requireMessage`): every rule assumes the actor is a member.
 */

/** Throws the refusal, if any, as the hub's error. */
function enforce(refusal: Refusal | null): void {
  if (refusal) throw new HubError(refusal.code, refusal.reason);
}

const acting = (actor: Actor) => ({ userId: actor.userId, isAdmin: actor.isAdmin });

/** An edit: see `editRefusal`. */
export function checkEdit(actor: Actor, message: Message, editWindowMs: number, now: number): void {
  enforce(editRefusal(acting(actor), message, editWindowMs, now));
}

/** A deletion: see `deleteRefusal`. */
export function checkDelete(actor: Actor, message: Message, conversation: ConversationRecord): void {
  enforce(deleteRefusal(acting(actor), message, conversation));
}

/** A reaction: see `reactRefusal`. */
export function checkReact(message: Message): void {
  enforce(reactRefusal(message));
}

/** A pin or unpin: see `pinRefusal`. */
export function checkPin(actor: Actor, message: Message, conversation: ConversationRecord): void {
  enforce(pinRefusal(acting(actor), message, conversation));
}

/** Whether the actor's `@all` notifies the whole conversation (see `mayMentionAll`). */
export function mayMentionAll(actor: Actor, conversation: ConversationRecord): boolean {
  return mayMentionAllFor({ ...acting(actor), isBot: actor.isBot }, conversation);
}

/** What an edit, reaction or pin of a deleted message answers. */
export function deletedError(): HubError {
  return new HubError('not_found', 'the message was deleted');
}
