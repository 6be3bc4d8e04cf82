import type { JSX } from 'preact';
import { commandNotes, dismissCommandNote } from '../actions/botActions.ts';
import { t } from '../i18n/t.ts';
import { NoteDismiss } from '../messages/MessageActionsBar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import '../styles/bots.css';

/**
 * Slash commands' answers meant for the caller only, in the conversation just above the message
 * box, marked «Видно только вам»: they are this page's own, never messages (the others never see
 * them, a reload forgets them). Also a command on its way and a command that failed.
 */
export function CommandNotes({ conversationId }: { conversationId: number }): JSX.Element | null {
  const notes = commandNotes.value[conversationId] ?? [];
  if (notes.length === 0) return null;
  return (
    <div class="command-notes">
      {notes.map((n) => (
        <div
          key={n.id}
          class={`bot-note command-note ${n.tone === 'answer' ? 'ephemeral' : n.tone}`}
          role={n.tone === 'error' ? 'alert' : 'status'}
          aria-busy={n.tone === 'pending'}
        >
          {n.tone === 'error' ? (
            <Icon name="alert" size={14} />
          ) : (
            <span class="bot-note-label">
              {n.tone === 'pending' ? <span class="spinner small" aria-hidden="true" /> : <Icon name="eye" size={14} />}
              {t('bots.onlyYou')}
            </span>
          )}
          {n.tone === 'answer' && <UserText class="command-note-command" text={n.command} />}
          <UserText class="bot-note-text" text={n.text} />
          <NoteDismiss onClick={() => dismissCommandNote(conversationId, n.id)} />
        </div>
      ))}
    </div>
  );
}
