import type { ClientState } from './ClientState.ts';
import type { Conversation, Message, NotifyLevel } from '../protocol/model.ts';

/** Why a message deserves the user's attention; null when it does not. */
export type AttentionReason = 'direct' | 'mention' | 'announcement' | 'room';

/** What the decisions need to know besides the message. */
export interface AttentionContext {
  state: Pick<ClientState, 'me' | 'conversations' | 'activeConversationId'>;
  /** The window (desktop) or page (web) is shown and focused, so the active conversation is really on screen. */
  windowFocused: boolean;
  /** Now (ms): a conversation's timed mute counts only until its time. */
  now: number;
}

/** What {@link classifyMessage} found. */
export interface Attention {
  /** Notify for it (and flash under the `mentions` policy) for this reason; null = no notification. */
  notify: AttentionReason | null;
  /**
   * It is a new message from someone else that the user is not looking at, in a conversation
   * neither set to `none` nor muted: enough to flash the taskbar under the `all` policy.
   */
  fresh: boolean;
}

/**
 * The user's notification level of a conversation, as stored on the hub (`Conversation.notify`,
 * the same on every device); when they chose none, the default: the general room (everyone,
 * busy) only notifies for mentions, other rooms and direct conversations for every message.
 */
export function notifyLevel(conversation: Conversation): NotifyLevel {
  return conversation.notify ?? (conversation.kind === 'general' ? 'mentions' : 'all');
}

/**
 * Whether the conversation is muted now: `mutedUntil` null is until unmuted, a time is until
 * then (a mute past its time is over even before the hub says so), absent is not muted.
 */
export function isMuted(conversation: Pick<Conversation, 'mutedUntil'>, now: number): boolean {
  if (conversation.mutedUntil === undefined) return false;
  return conversation.mutedUntil === null || conversation.mutedUntil > now;
}

/**
 * Decides whether a message arriving at the client deserves attention — the one rule of the
 * desktop app and the web client. Never for the user's own messages (sent from another device),
 * system messages, messages already read (catch-up of what was read elsewhere), conversations the
 * user has left, or the conversation on screen in a focused window. Announcements always notify
 * (they need confirming, whatever the level or mute). A muted conversation notifies nothing else
 * and is not `fresh` (it still counts unread, quietly). Direct messages and mentions of the user
 * or @all notify unless the conversation is set to `none`; other room messages follow its level.
 */
export function classifyMessage(message: Message, ctx: AttentionContext): Attention {
  const none: Attention = { notify: null, fresh: false };
  const me = ctx.state.me;
  if (!me || message.senderId === me.id || message.kind === 'system') return none;
  const conversation = ctx.state.conversations[message.conversationId];
  if (!conversation || conversation.archived) return none;
  if (message.seq <= conversation.readSeq) return none;
  if (ctx.windowFocused && ctx.state.activeConversationId === conversation.id) return none;

  if (message.kind === 'announcement') return { notify: 'announcement', fresh: true };
  const level = notifyLevel(conversation);
  if (level === 'none' || isMuted(conversation, ctx.now)) return none;
  if (conversation.kind === 'direct') return { notify: 'direct', fresh: true };
  if (message.mentionsAll || message.mentions.includes(me.id)) return { notify: 'mention', fresh: true };
  return { notify: level === 'all' ? 'room' : null, fresh: true };
}

/**
 * Decides whether an edit that mentions the user for the first time (the hub's `newMentions`)
 * deserves a notification: like a mention in a new message, except that the message may be read
 * already (an edit is news even then). Never for the user's own message, system messages, deleted
 * messages, archived conversations or one left, the conversation on screen in a focused window,
 * or a conversation set to `none` or muted. It never flashes for unread (`fresh` false): nothing
 * new is unread.
 */
export function classifyEditMention(message: Message, ctx: AttentionContext): Attention {
  const none: Attention = { notify: null, fresh: false };
  const me = ctx.state.me;
  if (!me || message.senderId === me.id || message.kind !== 'text' || message.deleted) return none;
  const conversation = ctx.state.conversations[message.conversationId];
  if (!conversation || conversation.archived) return none;
  if (ctx.windowFocused && ctx.state.activeConversationId === conversation.id) return none;
  if (notifyLevel(conversation) === 'none' || isMuted(conversation, ctx.now)) return none;
  return { notify: conversation.kind === 'direct' ? 'direct' : 'mention', fresh: false };
}
