import { isMuted, notifyLevel } from '../../common/client/classifyMessage.ts';
import type { ClientState } from '../../common/client/ClientState.ts';
import { messageText } from '../../common/client/messageText.ts';
import type { ReactionNews } from '../../common/client/StateIntake.ts';
import type { DesktopStrings } from '../i18n/DesktopStrings.ts';
import type { NotificationSpec } from './Notifier.ts';
import { notificationText } from './notificationText.ts';

/** How much of the message a reaction's notification quotes. */
const quoteChars = 80;

/** What {@link reactionNotice} decides by. */
export interface ReactionContext {
  state: Pick<ClientState, 'conversations' | 'users' | 'activeConversationId'>;
  windowFocused: boolean;
  now: number;
  /** Show message text (off: only that someone reacted). */
  preview: boolean;
  strings: DesktopStrings;
  platform: NodeJS.Platform;
}

/**
 * The notification for a reaction on the user's message, or null: only in a direct conversation
 * (in rooms reactions are many and nobody wants each), only a reaction put on (the actor has some
 * emoji on the message now — a removal leaves none), never on a deleted message, in a
 * conversation set to `none` or muted, or the one on screen in a focused window. Whether the user
 * wants these at all (the tray's setting, off by default) and do-not-disturb are the caller's.
 */
export function reactionNotice(news: ReactionNews, ctx: ReactionContext): NotificationSpec | null {
  const { message, actorId } = news;
  const conversation = ctx.state.conversations[message.conversationId];
  if (!conversation || conversation.kind !== 'direct' || conversation.archived || message.deleted) return null;
  if (notifyLevel(conversation) === 'none' || isMuted(conversation, ctx.now)) return null;
  if (ctx.windowFocused && ctx.state.activeConversationId === conversation.id) return null;
  const emoji = (message.reactions ?? []).filter((r) => r.userIds.includes(actorId)).map((r) => r.emoji);
  if (emoji.length === 0) return null;
  const clean = (s: string) => notificationText(s, ctx.platform);
  const n = ctx.strings.notify;
  // The quoted text is shortened first, so that the closing quote survives the line's own cap.
  const chars = [...clean(messageText(message, n.files))];
  const quoted =
    chars.length > quoteChars
      ? `${chars
          .slice(0, quoteChars - 1)
          .join('')
          .trimEnd()}…`
      : chars.join('');
  return {
    title: clean(ctx.state.users[actorId]?.name ?? conversation.name),
    body: ctx.preview ? clean(n.reaction(emoji.join(' '), quoted)) : n.reactionHidden,
    conversationId: conversation.id,
  };
}
