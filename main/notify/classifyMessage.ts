import type { ClientState } from '../../common/client/ClientState.ts';
import type { Conversation, Message } from '../../common/protocol/model.ts';
import type { RoomNotifyLevel } from '../settings/DesktopSettings.ts';

/** Why a message deserves the user's attention; null when it does not. */
export type AttentionReason = 'direct' | 'mention' | 'announcement' | 'room';

/** What the decisions need to know besides the message. */
export interface AttentionContext {
  state: Pick<ClientState, 'me' | 'conversations' | 'activeConversationId'>;
  /** The window is shown and focused (so the active conversation is really on screen). */
  windowFocused: boolean;
  /** The user's notification level for a conversation (see {@link roomNotifyLevel}). */
  level(conversation: Conversation): RoomNotifyLevel;
}

/** What {@link classifyMessage} found. */
export interface Attention {
  /** Notify for it (and flash under the `mentions` policy) for this reason; null = no notification. */
  notify: AttentionReason | null;
  /**
   * It is a new message from someone else that the user is not looking at, in a conversation not
   * set to `none`: enough to flash the taskbar under the `all` policy.
   */
  fresh: boolean;
}

/**
 * The per-room default: the general room (everyone, busy) only notifies for mentions, other rooms
 * and direct conversations for every message.
 */
export function roomNotifyLevel(
  conversation: Conversation,
  chosen: Readonly<Record<string, RoomNotifyLevel>>,
): RoomNotifyLevel {
  return chosen[String(conversation.id)] ?? (conversation.kind === 'general' ? 'mentions' : 'all');
}

/**
 * Decides whether a message arriving at the client deserves attention. Never for the user's own
 * messages (sent from another device), system messages, messages already read (catch-up of what was
 * read elsewhere), conversations the user has left, or the conversation on screen in a focused
 * window. Direct messages, mentions of the user or @all, and announcements notify unless the
 * conversation is set to `none` (announcements always, they need confirming); other room messages
 * follow the room's level.
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
  const level = ctx.level(conversation);
  if (level === 'none') return none;
  if (conversation.kind === 'direct') return { notify: 'direct', fresh: true };
  if (message.mentionsAll || message.mentions.includes(me.id)) return { notify: 'mention', fresh: true };
  return { notify: level === 'all' ? 'room' : null, fresh: true };
}

/**
 * Decides whether an edit that mentions the user for the first time (the hub's `newMentions`)
 * deserves a notification: like a mention in a new message, except that the message may be read
 * already (an edit is news even then). Never for the user's own message, system messages, deleted
 * messages, archived conversations or one left, the conversation on screen in a focused window,
 * or a conversation set to `none`. It never flashes for unread (`fresh` false): nothing new is unread.
 */
export function classifyEditMention(message: Message, ctx: AttentionContext): Attention {
  const none: Attention = { notify: null, fresh: false };
  const me = ctx.state.me;
  if (!me || message.senderId === me.id || message.kind !== 'text' || message.deleted) return none;
  const conversation = ctx.state.conversations[message.conversationId];
  if (!conversation || conversation.archived) return none;
  if (ctx.windowFocused && ctx.state.activeConversationId === conversation.id) return none;
  if (ctx.level(conversation) === 'none') return none;
  return { notify: conversation.kind === 'direct' ? 'direct' : 'mention', fresh: false };
}
