import type { JSX } from 'preact';
import { openConversation } from '../actions/conversations.ts';
import { t } from '../i18n/t.ts';
import { UserText } from '../ui/UserText.tsx';
import { dismissMessageToast, messageToasts } from './webNotifications.ts';
import '../styles/notify.css';

/**
 * New messages shown inside the page when the browser shows no notifications (not allowed, or a
 * 1C form's browser without the API): who and where, the words, a click opens the conversation.
 * Announced politely; each goes after a few seconds.
 */
export function MessageToasts(): JSX.Element {
  return (
    <div class="message-toasts" aria-live="polite">
      {messageToasts.value.map((toast) => (
        <div key={toast.id} class="message-toast" role="status" data-conversation-id={toast.conversationId}>
          <button
            type="button"
            class="message-toast-open"
            title={t('notify.open')}
            onClick={() => {
              dismissMessageToast(toast.id);
              openConversation(toast.conversationId);
            }}
          >
            <span class="message-toast-icon" aria-hidden="true">
              ✉
            </span>
            <span class="message-toast-text">
              <UserText class="message-toast-title" text={toast.title} />
              {toast.body && <UserText class="message-toast-body" text={toast.body} />}
            </span>
          </button>
          <button
            type="button"
            class="icon-button small"
            aria-label={t('app.close')}
            onClick={() => dismissMessageToast(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
