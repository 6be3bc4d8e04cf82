import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { jumpToNewest, jumpToNextMention } from '../actions/reading.ts';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';

/**
 * The buttons at the bottom right of the message list: «@ N» (the unread mentions of the user in
 * a room: each press jumps to the next one) and «↓ N новых» (to the newest message; shown when the
 * list is not at the bottom or the window ends before the newest).
 */
export function UnreadButtons({
  conversation,
  atBottom,
  hasNewer,
}: {
  conversation: Conversation;
  atBottom: boolean;
  hasNewer: boolean;
}): JSX.Element | null {
  const lastMention = useRef<{ conversationId: number; seq: number }>({ conversationId: 0, seq: 0 });
  const mentions = conversation.kind === 'direct' ? 0 : conversation.mentions;
  const showDown = !atBottom || hasNewer;
  if (!showDown && mentions === 0) return null;
  const unread = conversation.unread;

  const nextMention = async () => {
    const id = conversation.id;
    const last = lastMention.current.conversationId === id ? lastMention.current.seq : 0;
    const seq = await jumpToNextMention(id, last);
    if (seq !== null) lastMention.current = { conversationId: id, seq };
  };

  return (
    <div class="unread-buttons">
      {mentions > 0 && (
        <button
          type="button"
          class="jump-button jump-mention"
          aria-label={t('unread.mentionsLabel', { n: mentions })}
          title={t('unread.mentionsLabel', { n: mentions })}
          onClick={() => void nextMention()}
        >
          <span class="jump-at" aria-hidden="true">
            @
          </span>
          <span class="jump-count">{mentions}</span>
        </button>
      )}
      {showDown && (
        <button
          type="button"
          class="jump-button jump-bottom"
          aria-label={unread > 0 ? t('unread.newestLabel', { n: unread }) : t('conversation.jumpToBottom')}
          title={unread > 0 ? t('unread.newestLabel', { n: unread }) : t('conversation.jumpToBottom')}
          onClick={() => void jumpToNewest(conversation.id)}
        >
          <Icon name="arrowDown" />
          {unread > 0 && <span class="jump-count">{t('unread.newest', { n: unread })}</span>}
        </button>
      )}
    </div>
  );
}
