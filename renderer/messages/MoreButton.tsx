import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { openMenu } from '../actions/messageMenu.ts';
import { openReactionPicker } from '../actions/reactions.ts';
import { ActionIcon } from '../components/ActionIcons.tsx';
import { client } from '../state/clientState.ts';
import { t } from '../i18n/t.ts';
import { openMessageMenu } from '../state/uiState.ts';
import { MenuIcon } from './MenuIcon.tsx';
import { rovingKey } from './rovingFocus.ts';

/**
 * The buttons shown while the pointer is over a message or it has the focus: a reaction button
 * (the picker, its default reactions first: one click from 👍) and «…», the message menu. Only the
 * row that holds the list's tab stop lets Tab reach «…» (the menu's «Реакция» is the keyboard's
 * way to react); pending, failed and system messages have neither (they keep their own retry and
 * discard), deleted ones and archived conversations take no reactions.
 */
export function MoreButton({ message, rowKey }: { message: MessageView; rowKey: string }): JSX.Element | null {
  if (message.status !== 'sent' || message.seq <= 0 || message.kind === 'system') return null;
  const open = openMessageMenu.value;
  const expanded = open !== null && open.conversationId === message.conversationId && open.seq === message.seq;
  const reactable = !message.deleted && !client.conversations.value[message.conversationId]?.archived;
  return (
    <>
      {reactable && (
        <button
          type="button"
          class="msg-react-quick"
          tabIndex={-1}
          aria-label={t('reactions.add')}
          title={t('reactions.add')}
          onClick={(e) => openReactionPicker(message.conversationId, message.seq, e.currentTarget)}
        >
          <ActionIcon name="smilePlus" size={16} />
        </button>
      )}
      <MoreMenuButton message={message} rowKey={rowKey} expanded={expanded} />
    </>
  );
}

function MoreMenuButton({
  message,
  rowKey,
  expanded,
}: {
  message: MessageView;
  rowKey: string;
  expanded: boolean;
}): JSX.Element {
  return (
    <button
      type="button"
      class={expanded ? 'msg-more open' : 'msg-more'}
      tabIndex={rovingKey.value === rowKey ? 0 : -1}
      aria-label={t('msgActions.more')}
      title={t('msgActions.more')}
      aria-haspopup="menu"
      aria-expanded={expanded}
      onClick={(e) => {
        const rect = e.currentTarget.getBoundingClientRect();
        openMenu(message, rect.left, rect.bottom + 2, e.detail === 0);
      }}
    >
      <MenuIcon name="more" />
    </button>
  );
}
