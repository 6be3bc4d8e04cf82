import type { JSX } from 'preact';
import type { Conversation } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { openConversation } from '../actions/conversations.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName, matchesFilter, sortedConversations } from '../state/selectors.ts';
import { compactLayout, dialog, sidebarFilter, sidebarOpen } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { UserText, personLabel } from '../ui/UserText.tsx';
import type { IconName } from '../ui/Icon.tsx';
import { ConversationIcon } from './ConversationIcon.tsx';
import { DraftMark, draftLine } from './DraftMark.tsx';
import { Logo } from './Logo.tsx';
import { StatusMenu } from './StatusMenu.tsx';
import { MutedMark, isQuiet } from '../notify/MutedMark.tsx';

function ConversationItem({ conversation, active }: { conversation: Conversation; active: boolean }): JSX.Element {
  const users = client.users.value;
  const name = conversationName(conversation, users);
  const isBot = conversation.kind === 'direct' && conversation.peerId !== null && !!users[conversation.peerId]?.isBot;
  const { unread, mentions } = conversation;
  // Muted or set to nothing (S5): unread still counts, quietly.
  const quiet = isQuiet(conversation);
  const peer = conversation.kind === 'direct' && conversation.peerId !== null ? users[conversation.peerId] : undefined;
  // A direct conversation's hint carries the login: two people may share a name.
  const hint = peer ? personLabel(peer) : undefined;
  const label = [
    hint ?? neutraliseBidi(name),
    isBot ? t('message.bot') : '',
    unread > 0 ? t('sidebar.unreadBadge', { n: unread }) : '',
    mentions > 0 && conversation.kind !== 'direct' ? t('sidebar.mentionBadge', { n: mentions }) : '',
    quiet ? t('notify.muted') : '',
    !active && draftLine(conversation.id) ? t('drafts.label', { text: draftLine(conversation.id)! }) : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <li>
      <button
        type="button"
        class={`conv-item${active ? ' active' : ''}${unread > 0 ? ' unread' : ''}${conversation.archived ? ' archived' : ''}`}
        aria-current={active ? 'page' : undefined}
        aria-label={label}
        data-conversation-id={conversation.id}
        onClick={() => openConversation(conversation.id)}
      >
        <ConversationIcon conversation={conversation} />
        {isBot ? (
          <span class="conv-label">
            <UserText class="conv-name" text={name} title={hint} />
            <span class="tag tag-bot" aria-hidden="true">
              {t('message.bot')}
            </span>
          </span>
        ) : (
          <UserText class="conv-name" text={name} title={hint} />
        )}
        <MutedMark conversation={conversation} />
        {unread > 0 && (
          <span
            class={`${mentions > 0 ? 'badge badge-mention' : 'badge'}${quiet ? ' badge-quiet' : ''}`}
            data-unread={unread}
            aria-hidden="true"
          >
            {mentions > 0 && conversation.kind !== 'direct' && <Icon name="at" size={12} />}
            {unread > 99 ? '99+' : unread}
          </span>
        )}
        <DraftMark conversationId={conversation.id} active={active} />
      </button>
    </li>
  );
}

function SectionHeader({
  title,
  actions,
}: {
  title: string;
  actions: { icon: IconName; label: string; onClick: () => void }[];
}): JSX.Element {
  return (
    <div class="section-header">
      <h2>{title}</h2>
      {actions.map((a) => (
        <button
          key={a.label}
          type="button"
          class="icon-button small"
          aria-label={a.label}
          title={a.label}
          onClick={a.onClick}
        >
          <Icon name={a.icon} size={16} />
        </button>
      ))}
    </div>
  );
}

/**
 * The conversation list: the general room first, then rooms and direct conversations with their
 * unread badges, a filter box, the total unread count and my status menu.
 */
export function Sidebar(): JSX.Element {
  const users = client.users.value;
  const activeId = client.activeConversationId.value;
  const filter = sidebarFilter.value;
  const all = sortedConversations(client.conversations.value, users);
  const list = all.filter((c) => matchesFilter(c, users, filter));
  const general = list.filter((c) => c.kind === 'general');
  const rooms = list.filter((c) => c.kind === 'open' || c.kind === 'closed');
  const directs = list.filter((c) => c.kind === 'direct');
  const total = client.totalUnread.value;
  const item = (c: Conversation) => <ConversationItem key={c.id} conversation={c} active={c.id === activeId} />;

  return (
    <nav class="sidebar" aria-label={t('sidebar.label')}>
      <div class="sidebar-top">
        <Logo />
        <span class="app-name">{t('appName')}</span>
        {total > 0 && (
          <span class="total-unread" data-total-unread={total} title={t('sidebar.totalUnread', { n: total })}>
            {t('sidebar.totalUnread', { n: total })}
          </span>
        )}
        {compactLayout.value && (
          <button
            type="button"
            class="icon-button"
            aria-label={t('sidebar.collapse')}
            title={t('sidebar.collapse')}
            onClick={() => (sidebarOpen.value = false)}
          >
            <Icon name="close" />
          </button>
        )}
      </div>
      <div class="sidebar-filter">
        <label class="search-field">
          <Icon name="search" size={16} />
          <input
            type="search"
            value={filter}
            placeholder={t('sidebar.filter')}
            aria-label={t('sidebar.filter')}
            onInput={(e) => (sidebarFilter.value = e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && list[0]) {
                openConversation(list[0].id);
                sidebarFilter.value = '';
              } else if (e.key === 'Escape' && filter) {
                e.stopPropagation();
                sidebarFilter.value = '';
              }
            }}
          />
        </label>
      </div>
      <div class="sidebar-scroll">
        {general.length > 0 && <ul class="conv-list">{general.map(item)}</ul>}
        <SectionHeader
          title={t('sidebar.rooms')}
          actions={[
            {
              icon: 'compass',
              label: t('sidebar.browseRooms'),
              onClick: () => (dialog.value = { kind: 'browseRooms' }),
            },
            { icon: 'plus', label: t('sidebar.createRoom'), onClick: () => (dialog.value = { kind: 'createRoom' }) },
          ]}
        />
        <ul class="conv-list">{rooms.map(item)}</ul>
        <SectionHeader
          title={t('sidebar.directs')}
          actions={[
            { icon: 'plus', label: t('sidebar.newDirect'), onClick: () => (dialog.value = { kind: 'newDirect' }) },
          ]}
        />
        <ul class="conv-list">{directs.map(item)}</ul>
        {filter && list.length === 0 && <p class="empty">{t('sidebar.noMatches')}</p>}
      </div>
      <StatusMenu />
    </nav>
  );
}
