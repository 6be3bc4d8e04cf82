import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { openConversation } from '../actions/conversations.ts';
import { ConversationIcon } from '../components/ConversationIcon.tsx';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName, matchesFilter, sortedConversations } from '../state/selectors.ts';
import { dialog } from '../state/uiState.ts';
import { Dialog } from './Dialog.tsx';
import { UserText } from '../ui/UserText.tsx';

/** Ctrl+K: type a few letters, pick a conversation with the arrows, Enter opens it. */
export function QuickSwitchDialog(): JSX.Element {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const users = client.users.value;
  const list = sortedConversations(client.conversations.value, users).filter((c) => matchesFilter(c, users, query));
  const active = Math.min(index, Math.max(0, list.length - 1));
  const close = () => (dialog.value = null);
  const choose = (id: number) => {
    close();
    openConversation(id);
  };

  return (
    <Dialog title={t('dialog.switch.title')} onClose={close} size="sm">
      <input
        class="switch-input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="switch-list"
        aria-activedescendant={list[active] ? `switch-${list[active].id}` : undefined}
        aria-label={t('dialog.switch.search')}
        placeholder={t('dialog.switch.search')}
        data-autofocus
        value={query}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setIndex((active + step + list.length) % Math.max(1, list.length));
          } else if (e.key === 'Enter' && list[active]) {
            e.preventDefault();
            choose(list[active].id);
          }
        }}
      />
      <ul id="switch-list" class="switch-list" role="listbox" aria-label={t('sidebar.label')}>
        {list.map((c, i) => (
          <li
            key={c.id}
            id={`switch-${c.id}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'switch-item active' : 'switch-item'}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(c.id);
            }}
          >
            <ConversationIcon conversation={c} />
            <UserText class="switch-name" text={conversationName(c, users)} />
            {c.unread > 0 && <span class={c.mentions > 0 ? 'badge badge-mention' : 'badge'}>{c.unread}</span>}
          </li>
        ))}
        {list.length === 0 && <li class="empty">{t('sidebar.noMatches')}</li>}
      </ul>
      <p class="hint">{t('dialog.switch.hint')}</p>
    </Dialog>
  );
}
