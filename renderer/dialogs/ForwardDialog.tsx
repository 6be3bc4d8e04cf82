import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { fileWords } from '../../common/client/messageText.ts';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { forwardMessage } from '../actions/forward.ts';
import { heldMessage } from '../actions/reactions.ts';
import { ConversationIcon } from '../components/ConversationIcon.tsx';
import { timeLabel } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName, matchesFilter, sortedConversations } from '../state/selectors.ts';
import { dialog } from '../state/uiState.ts';
import { previewText } from '../text/previewText.ts';
import { UserText } from '../ui/UserText.tsx';
import { Dialog } from './Dialog.tsx';

/** The conversations a message can be forwarded to: the user's, in the sidebar's order, archived rooms left out. */
export function forwardTargets(
  conversations: Record<number, Conversation>,
  users: Parameters<typeof sortedConversations>[1],
  query: string,
): Conversation[] {
  return sortedConversations(conversations, users).filter((c) => !c.archived && matchesFilter(c, users, query));
}

function Preview({ message }: { message: MessageView }): JSX.Element {
  const users = client.users.value;
  const lang = language.value;
  const author = message.displayName ?? users[message.senderId]?.name ?? t('user.unknown', { id: message.senderId });
  return (
    <figure class="forward-preview" aria-label={t('forward.title')}>
      <figcaption>
        <UserText class="forward-preview-author" text={author} />
        <span class="forward-preview-time">{timeLabel(message.ts, lang)}</span>
      </figcaption>
      <UserText class="forward-preview-text" text={previewText(message, fileWords[lang])} />
    </figure>
  );
}

/**
 * «Переслать сообщение»: a preview of the message and the user's conversations with a filter;
 * type to narrow, arrows to move, Enter (or a click) forwards there, a notice says where it went
 * and the dialog closes.
 */
export function ForwardDialog({ conversationId, seq }: { conversationId: number; seq: number }): JSX.Element {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const users = client.users.value;
  // Read so the preview follows edits (and the dialog notices a deletion).
  void client.messages.value;
  const message = heldMessage(conversationId, seq);
  const list = forwardTargets(client.conversations.value, users, query);
  const active = Math.min(index, Math.max(0, list.length - 1));
  const close = () => (dialog.value = null);
  const choose = async (to: number) => {
    if (busy || !message) return;
    setBusy(true);
    const ok = await forwardMessage(conversationId, seq, to);
    setBusy(false);
    if (ok) close();
  };

  return (
    <Dialog title={t('forward.title')} onClose={close} size="sm">
      {message && !message.deleted ? <Preview message={message} /> : <p class="hint">{t('forward.gone')}</p>}
      <input
        class="switch-input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="forward-list"
        aria-activedescendant={list[active] ? `forward-${list[active].id}` : undefined}
        aria-label={t('forward.filter')}
        placeholder={t('forward.filter')}
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
            void choose(list[active].id);
          }
        }}
      />
      <ul
        id="forward-list"
        class="switch-list forward-list"
        role="listbox"
        aria-label={t('forward.to')}
        aria-busy={busy}
      >
        {list.map((c, i) => (
          <li
            key={c.id}
            id={`forward-${c.id}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'switch-item active' : 'switch-item'}
            onMouseDown={(e) => {
              e.preventDefault();
              void choose(c.id);
            }}
          >
            <ConversationIcon conversation={c} />
            <UserText class="switch-name" text={conversationName(c, users)} />
          </li>
        ))}
        {list.length === 0 && <li class="empty">{t('forward.none')}</li>}
      </ul>
    </Dialog>
  );
}
