import type { JSX } from 'preact';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { MessageList } from '../messages/MessageList.tsx';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName } from '../state/selectors.ts';
import { compactLayout, sidebarOpen } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { AnnouncementBanner } from './AnnouncementBanner.tsx';
import { CommandNotes } from './CommandNotes.tsx';
import { Composer } from './Composer.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { ConversationHeader } from './ConversationHeader.tsx';
import { DropZone } from './DropZone.tsx';
import { Logo } from './Logo.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';
import { useFileDrop } from './useFileDrop.ts';

/**
 * The open conversation: header, connection banner, the pinned announcement, messages, typing line
 * and composer; files dropped on it go to its composer (a drop zone shows while they are dragged).
 */
export function ConversationPane(): JSX.Element {
  const id = client.activeConversationId.value;
  const conversation = id === null ? undefined : client.conversations.value[id];
  const drop = useFileDrop(conversation && !conversation.archived ? conversation.id : null);
  if (!conversation) {
    return (
      <main class="conversation">
        <ConnectionBanner />
        <AnnouncementBanner />
        <div class="empty-state">
          {compactLayout.value && !sidebarOpen.value && (
            <button type="button" class="button" onClick={() => (sidebarOpen.value = true)}>
              <Icon name="menu" />
              {t('sidebar.expand')}
            </button>
          )}
          <Logo size={64} />
          <p class="empty-title">{t('conversation.none')}</p>
          <p class="hint">{t('conversation.noneHint')}</p>
        </div>
      </main>
    );
  }
  return (
    <main class="conversation" aria-label={neutraliseBidi(conversation.name)} {...drop}>
      <DropZone name={conversationName(conversation, client.users.value)} />
      <ConversationHeader conversation={conversation} />
      <ConnectionBanner />
      <AnnouncementBanner />
      <MessageList conversation={conversation} />
      <TypingIndicator conversationId={conversation.id} />
      <CommandNotes conversationId={conversation.id} />
      <Composer conversation={conversation} />
    </main>
  );
}
