import type { JSX } from 'preact';
import { openConversation } from '../actions/conversations.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { matchesFilter, sortedConversations } from '../state/selectors.ts';
import { dialog } from '../state/uiState.ts';
import { ConversationPicker } from './ConversationPicker.tsx';
import { Dialog } from './Dialog.tsx';

/** Ctrl+K: type a few letters, pick a conversation with the arrows, Enter opens it. */
export function QuickSwitchDialog(): JSX.Element {
  const users = client.users.value;
  const close = () => (dialog.value = null);
  const choose = (id: number) => {
    close();
    openConversation(id);
  };

  return (
    <Dialog title={t('dialog.switch.title')} onClose={close} size="sm">
      <ConversationPicker
        targets={(query) =>
          sortedConversations(client.conversations.value, users).filter((c) => matchesFilter(c, users, query))
        }
        idPrefix="switch"
        filterLabel={t('dialog.switch.search')}
        listLabel={t('sidebar.label')}
        emptyText={t('sidebar.noMatches')}
        onChoose={choose}
        after={(c) => c.unread > 0 && <span class={c.mentions > 0 ? 'badge badge-mention' : 'badge'}>{c.unread}</span>}
      />
      <p class="hint">{t('dialog.switch.hint')}</p>
    </Dialog>
  );
}
