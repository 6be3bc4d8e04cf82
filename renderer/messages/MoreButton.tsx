import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { openMenu } from '../actions/messageMenu.ts';
import { t } from '../i18n/t.ts';
import { openMessageMenu } from '../state/uiState.ts';
import { MenuIcon } from './MenuIcon.tsx';
import { rovingKey } from './rovingFocus.ts';

/**
 * The «…» button of a message (shown while the pointer is over the message or it has the focus):
 * opens the message menu under it. Only the row that holds the list's tab stop lets Tab reach it;
 * pending, failed and system messages have none (they keep their own retry and discard).
 */
export function MoreButton({ message, rowKey }: { message: MessageView; rowKey: string }): JSX.Element | null {
  if (message.status !== 'sent' || message.seq <= 0 || message.kind === 'system') return null;
  const open = openMessageMenu.value;
  const expanded = open !== null && open.conversationId === message.conversationId && open.seq === message.seq;
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
