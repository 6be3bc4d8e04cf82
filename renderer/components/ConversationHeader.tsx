import { Fragment } from 'preact';
import type { JSX } from 'preact';
import type { Conversation } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { conversationName } from '../state/selectors.ts';
import { compactLayout, dialog, membersPanelOpen, sidebarOpen } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { openSearch } from '../actions/search.ts';
import { searchOpen, searchQuery } from '../state/search.ts';
import { UserText, personLabel } from '../ui/UserText.tsx';
import { ConversationIcon } from './ConversationIcon.tsx';
import { PinsButton } from './PinsButton.tsx';
import { NotifyMenu } from '../notify/NotifyMenu.tsx';
import { presenceText } from './presenceText.ts';

/**
 * The top of a conversation: its mark, name, topic (or the person's login, presence and
 * department), member count and actions. Names and the topic are isolated user text.
 */
export function ConversationHeader({ conversation }: { conversation: Conversation }): JSX.Element {
  const users = client.users.value;
  const name = conversationName(conversation, users);
  const peer = conversation.peerId !== null ? users[conversation.peerId] : undefined;
  const isRoom = conversation.kind === 'open' || conversation.kind === 'closed';
  // Who a direct conversation is with, beyond a name someone else may share: their login.
  const about =
    conversation.kind === 'direct'
      ? peer
        ? [peer.login, presenceText(peer, now.value, language.value), peer.branch ?? ''].filter(Boolean)
        : [t('conversation.direct')]
      : [conversation.topic].filter(Boolean);
  const subtitle = neutraliseBidi(about.join(' · '));

  return (
    <header class="conv-header">
      {compactLayout.value && !sidebarOpen.value && (
        <button
          type="button"
          class="icon-button"
          aria-label={t('sidebar.expand')}
          title={t('sidebar.expand')}
          onClick={() => (sidebarOpen.value = true)}
        >
          <Icon name="menu" />
          {client.totalUnread.value > 0 && <span class="dot-badge" aria-hidden="true" />}
        </button>
      )}
      <ConversationIcon conversation={conversation} size="md" />
      <div class="conv-title">
        <h1 title={peer ? personLabel(peer) : undefined}>
          <UserText text={name} />
          {peer?.isBot && <span class="tag tag-bot">{t('message.bot')}</span>}
          {conversation.archived && <span class="tag">{t('conversation.archived')}</span>}
        </h1>
        {subtitle && (
          <p class="conv-topic" title={subtitle}>
            {about.map((part, i) => (
              <Fragment key={i}>
                {i > 0 && ' · '}
                <UserText text={part} />
              </Fragment>
            ))}
          </p>
        )}
      </div>
      <div class="conv-actions">
        {/* message search (S2) */}
        <button
          type="button"
          class="header-search"
          aria-label={t('search.openHint')}
          title={t('search.openHint')}
          onClick={() => openSearch('here')}
        >
          <Icon name="search" size={16} />
          <span class="header-search-text">{neutraliseBidi(searchQuery.value) || t('search.open')}</span>
          <kbd aria-hidden="true">Ctrl+F</kbd>
        </button>
        <PinsButton conversation={conversation} />
        {/* notification settings (S5) */}
        {!conversation.archived && <NotifyMenu conversation={conversation} />}
        {conversation.kind !== 'direct' && (
          <button
            type="button"
            class={membersPanelOpen.value ? 'header-button active' : 'header-button'}
            aria-pressed={membersPanelOpen.value}
            aria-label={`${t('conversation.showMembers')}: ${t('conversation.members', { n: conversation.memberCount })}`}
            title={t('conversation.showMembers')}
            onClick={() => {
              membersPanelOpen.value = !membersPanelOpen.value;
              searchOpen.value = false;
            }}
          >
            <Icon name="users" />
            <span class="member-count">{conversation.memberCount}</span>
          </button>
        )}
        {isRoom && (
          <button
            type="button"
            class="icon-button"
            aria-label={t('conversation.settings')}
            title={t('conversation.settings')}
            onClick={() => (dialog.value = { kind: 'roomSettings', conversationId: conversation.id })}
          >
            <Icon name="gear" />
          </button>
        )}
      </div>
    </header>
  );
}
