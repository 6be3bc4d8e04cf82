import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { buttonStates, buttonsKey, clickAction, dismissButtonNote } from '../actions/botActions.ts';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import '../styles/bots.css';

/**
 * A bot message's buttons (issue 18) under it, with what came of a click: pending while the bot
 * answers, then the message updates itself (message.updated: new text, buttons changed or gone),
 * or an answer for this person only shows under it («Видно только вам»), or a refusal or failure
 * is said inline. A button clicked and counted stays disabled for this session (unless the bot
 * allows more clicks). Plain buttons: Tab reaches them, Enter and Space press them.
 */
export function MessageActionsBar({ message }: { message: MessageView }): JSX.Element | null {
  const state = buttonStates.value[buttonsKey(message.conversationId, message.seq)];
  const actions = message.status === 'sent' && !message.deleted ? (message.actions ?? []) : [];
  if (actions.length === 0 && !state?.ephemeral && !state?.error) return null;
  const pending = state?.pending ?? null;
  return (
    <div class="msg-buttons-area">
      {actions.length > 0 && (
        <div class="msg-buttons" role="group" aria-label={t('bots.actions')} aria-busy={pending !== null}>
          {actions.map((a) => {
            const clicked = !a.multi && (state?.clicked.includes(a.id) ?? false);
            const busy = pending === a.id;
            return (
              <button
                key={a.id}
                type="button"
                class={`msg-button ${a.style ?? 'default'}${busy ? ' busy' : ''}${clicked ? ' clicked' : ''}`}
                data-action-id={a.id}
                disabled={pending !== null || clicked}
                aria-pressed={a.multi ? undefined : clicked}
                onClick={() => void clickAction(message.conversationId, message.seq, a.id, !!a.multi)}
              >
                {busy && <span class="spinner small" aria-hidden="true" />}
                {clicked && <Icon name="check" size={14} />}
                <UserText text={a.label} />
              </button>
            );
          })}
          {pending !== null && (
            <span class="visually-hidden" role="status">
              {t('bots.pending')}
            </span>
          )}
        </div>
      )}
      {state?.ephemeral && (
        <div class="bot-note ephemeral" role="status">
          <span class="bot-note-label">
            <Icon name="eye" size={14} />
            {t('bots.onlyYou')}
          </span>
          <UserText class="bot-note-text" text={state.ephemeral} />
          <NoteDismiss onClick={() => dismissButtonNote(message.conversationId, message.seq)} />
        </div>
      )}
      {state?.error && (
        <div class="bot-note error" role="alert">
          <Icon name="alert" size={14} />
          <UserText class="bot-note-text" text={state.error} />
          <NoteDismiss onClick={() => dismissButtonNote(message.conversationId, message.seq)} />
        </div>
      )}
    </div>
  );
}

/** The × that hides a note. */
export function NoteDismiss({ onClick }: { onClick: () => void }): JSX.Element {
  return (
    <button
      type="button"
      class="bot-note-close"
      aria-label={t('bots.dismiss')}
      title={t('bots.dismiss')}
      onClick={onClick}
    >
      <Icon name="close" size={12} />
    </button>
  );
}
