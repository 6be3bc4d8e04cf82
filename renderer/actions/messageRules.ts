import type { MessageView } from '../../common/client/ClientState.ts';
import type { Conversation, Limits, User } from '../../common/protocol/model.ts';
import { deleteRefusal, editRefusal, type Acting } from '../../common/protocol/messagePermissions.ts';

/** What the message menu can offer, in the order it lists them. */
export type MessageAction =
  'reply' | 'react' | 'edit' | 'delete' | 'pin' | 'unpin' | 'forward' | 'copyText' | 'copyLink';

/** What the rules look at besides the message. */
export interface RuleContext {
  me: User | null;
  conversation: Conversation | undefined;
  limits: Limits | null;
  /** The time now (ms), for the edit window. */
  now: number;
  /** Whether the user may pin or unpin the message (the pins feature's own rule). */
  mayPin: (message: MessageView) => boolean;
}

/** Written by the user themselves (not an integration posting under its own name). */
export function isMine(message: MessageView, me: User | null): boolean {
  return me !== null && message.senderId === me.id && !message.displayName;
}

/** A stored message that still has its content (not pending, failed, deleted or a system line). */
function isLive(message: MessageView): boolean {
  return message.status === 'sent' && message.seq > 0 && !message.deleted && message.kind !== 'system';
}

/**
 * Whether the user may change the text: their own text message (not forwarded), stored, not
 * deleted, in a conversation that is not archived, and within the hub's edit window (0: no limit).
 * The hub checks the same (edit_expired, forbidden); this only hides what it would refuse.
 */
export function mayEdit(message: MessageView, ctx: RuleContext): boolean {
  if (!isLive(message) || !isMine(message, ctx.me) || ctx.conversation?.archived) return false;
  return editRefusal(acting(ctx.me!), message, ctx.limits?.editWindowMs ?? 0, ctx.now) === null;
}

/**
 * Whether the user may delete the message: their own; any in a room they own; any as an
 * administrator except others' direct messages; announcements only their sender's or an
 * administrator's; never system messages.
 */
export function mayDelete(message: MessageView, ctx: RuleContext): boolean {
  const { me, conversation } = ctx;
  if (!isLive(message) || !me || !conversation) return false;
  return deleteRefusal(acting(me), message, conversation) === null;
}

/** The signed-in user as the shared rules see them. */
function acting(me: User): Acting {
  return { userId: me.id, isAdmin: me.isAdmin };
}

/**
 * The menu's items for a message, only those the user may do: none for pending or failed messages
 * (they keep their own retry/discard) and system lines; only the link for a deleted message.
 */
export function messageActions(message: MessageView, ctx: RuleContext): MessageAction[] {
  if (message.status !== 'sent' || message.seq <= 0 || message.kind === 'system') return [];
  if (message.deleted) return ['copyLink'];
  const writable = !ctx.conversation?.archived;
  const out: MessageAction[] = [];
  if (writable) out.push('reply', 'react');
  if (mayEdit(message, ctx)) out.push('edit');
  if (mayDelete(message, ctx)) out.push('delete');
  if (ctx.mayPin(message)) out.push(message.pinned ? 'unpin' : 'pin');
  out.push('forward');
  if (message.text) out.push('copyText');
  out.push('copyLink');
  return out;
}

/**
 * The user's newest message in the window that they may still edit (↑ in an empty composer), or
 * undefined.
 */
export function lastEditable(items: readonly MessageView[], ctx: RuleContext): MessageView | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i]!;
    if (mayEdit(m, ctx)) return m;
  }
  return undefined;
}
