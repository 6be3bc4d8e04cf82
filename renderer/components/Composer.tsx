import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { noteTyping, sendMessage } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName } from '../state/selectors.ts';
import { bottomRequest, dialog, draftFor } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';

const maxHeight = 200;

function autosize(el: HTMLTextAreaElement): void {
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight, maxHeight)}px`;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, pasting inserts plain text only,
 * the draft is kept per conversation, and typing is reported to the others.
 */
export function Composer({ conversation }: { conversation: Conversation }): JSX.Element {
  const draft = draftFor(conversation.id);
  const ref = useRef<HTMLTextAreaElement>(null);
  const name = conversationName(conversation, client.users.value);

  useLayoutEffect(() => {
    if (ref.current) autosize(ref.current);
  }, [draft.value]);

  // Opening a conversation puts the cursor in its message box (unless a dialog has the focus).
  useEffect(() => {
    if (!dialog.value) ref.current?.focus({ preventScroll: true });
  }, [conversation.id]);

  if (conversation.archived) {
    return <div class="composer composer-disabled">{t('composer.archived')}</div>;
  }

  const send = () => {
    if (sendMessage(conversation.id, draft.value)) bottomRequest.value += 1;
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
        ref.current?.focus();
      }}
    >
      <textarea
        ref={ref}
        rows={1}
        value={draft.value}
        aria-label={t('composer.label')}
        placeholder={t('composer.placeholder', { name })}
        aria-describedby="composer-hint"
        maxLength={65536}
        onInput={(e) => {
          draft.value = e.currentTarget.value;
          if (e.currentTarget.value.trim()) noteTyping(conversation.id);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
        onPaste={(e) => {
          // Only plain text gets in: no formatting, images or HTML from the clipboard.
          e.preventDefault();
          const text = e.clipboardData?.getData('text/plain') ?? '';
          if (!text) return;
          const el = e.currentTarget;
          el.setRangeText(text, el.selectionStart, el.selectionEnd, 'end');
          draft.value = el.value;
          noteTyping(conversation.id);
        }}
      />
      <button
        type="submit"
        class="send-button"
        aria-label={t('composer.send')}
        title={t('composer.send')}
        disabled={!draft.value.trim()}
      >
        <Icon name="send" />
      </button>
      <span id="composer-hint" class="visually-hidden">
        {t('composer.hint')}
      </span>
    </form>
  );
}
