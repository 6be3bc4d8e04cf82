import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { fileWords } from '../../common/client/messageText.ts';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { forwardMessage } from '../actions/forward.ts';
import { heldMessage } from '../actions/reactions.ts';
import { timeLabel } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { matchesFilter, sortedConversations } from '../state/selectors.ts';
import { dialog } from '../state/uiState.ts';
import { previewText } from '../text/previewText.ts';
import { UserText } from '../ui/UserText.tsx';
import { ConversationPicker } from './ConversationPicker.tsx';
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
  const [busy, setBusy] = useState(false);
  const users = client.users.value;
  // Read so the preview follows edits (and the dialog notices a deletion).
  void client.messages.value;
  const message = heldMessage(conversationId, seq);
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
      <ConversationPicker
        targets={(query) => forwardTargets(client.conversations.value, users, query)}
        idPrefix="forward"
        filterLabel={t('forward.filter')}
        listLabel={t('forward.to')}
        emptyText={t('forward.none')}
        listClass="forward-list"
        busy={busy}
        onChoose={(id) => void choose(id)}
      />
    </Dialog>
  );
}
