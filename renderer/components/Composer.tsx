import type { Signal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { attachFiles } from '../actions/attachments.ts';
import { noteTyping, sendMessage } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { composerFilesFor } from '../state/composerFiles.ts';
import { conversationName } from '../state/selectors.ts';
import { bottomRequest, dialog, draftFor } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { AttachButton } from './AttachButton.tsx';
import { ComposerFiles } from './ComposerFiles.tsx';
import { MentionList } from './MentionList.tsx';
import { useMentionPicker } from './useMentionPicker.ts';
import { useStrayPaste } from './useStrayPaste.ts';

const maxHeight = 200;

function autosize(el: HTMLTextAreaElement): void {
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight, maxHeight)}px`;
}

/**
 * Pasting: only plain text gets in (no formatting or HTML from the clipboard). An image with no
 * text beside it (Print Screen, Snipping Tool, 1C's screenshot) is attached as a file; copied Excel
 * cells carry a picture of themselves too, but they mean their text.
 */
function pasteInto(
  e: JSX.TargetedClipboardEvent<HTMLTextAreaElement>,
  conversationId: number,
  draft: Signal<string>,
): void {
  e.preventDefault();
  const text = e.clipboardData?.getData('text/plain') ?? '';
  const pasted = [...(e.clipboardData?.files ?? [])];
  if (!text && pasted.length > 0) {
    attachFiles(conversationId, pasted, 'paste');
    return;
  }
  if (!text) return;
  const el = e.currentTarget;
  el.setRangeText(text, el.selectionStart, el.selectionEnd, 'end');
  draft.value = el.value;
  noteTyping(conversationId);
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, "@" suggests people to mention,
 * the draft is kept per conversation, and typing is reported to the others. Files come in by
 * pasting (an image on the clipboard without text: a screenshot), by the paperclip's picker or by
 * dropping them on the conversation; they wait in a strip above the text, which becomes their
 * optional caption. Pasted text is inserted as plain text only.
 */
export function Composer({ conversation }: { conversation: Conversation }): JSX.Element {
  const draft = draftFor(conversation.id);
  const ref = useRef<HTMLTextAreaElement>(null);
  const files = composerFilesFor(conversation.id).value;
  const name = neutraliseBidi(conversationName(conversation, client.users.value));
  const mentions = useMentionPicker(conversation, ref, draft);
  const { open, suggestions, chosen } = mentions;

  useLayoutEffect(() => {
    if (ref.current) autosize(ref.current);
  }, [draft.value]);

  // Opening a conversation puts the cursor in its message box (unless a dialog has the focus).
  useEffect(() => {
    mentions.close();
    if (!dialog.value) ref.current?.focus({ preventScroll: true });
  }, [conversation.id]);

  useStrayPaste(conversation, ref);

  if (conversation.archived) {
    return <div class="composer composer-disabled">{t('composer.archived')}</div>;
  }

  const send = () => {
    mentions.close();
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
      {open && <MentionList suggestions={suggestions} chosen={chosen} onChoose={mentions.choose} />}
      <ComposerFiles conversationId={conversation.id} />
      <AttachButton conversationId={conversation.id} onPicked={() => ref.current?.focus()} />
      <textarea
        ref={ref}
        rows={1}
        value={draft.value}
        aria-label={t('composer.label')}
        placeholder={files.length > 0 ? t('files.captionPlaceholder') : t('composer.placeholder', { name })}
        aria-describedby="composer-hint"
        aria-autocomplete="list"
        aria-controls={open ? 'mention-list' : undefined}
        aria-activedescendant={open ? `mention-${suggestions[chosen]!.login}` : undefined}
        maxLength={65536}
        onInput={(e) => {
          draft.value = e.currentTarget.value;
          mentions.followCaret(e.currentTarget);
          if (e.currentTarget.value.trim()) noteTyping(conversation.id);
        }}
        onClick={(e) => mentions.followCaret(e.currentTarget)}
        onBlur={() => mentions.close()}
        onKeyDown={(e) => {
          if (mentions.handleKey(e)) return;
          if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
        onKeyUp={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
            mentions.followCaret(e.currentTarget);
          }
        }}
        onPaste={(e) => pasteInto(e, conversation.id, draft)}
      />
      <button
        type="submit"
        class="send-button"
        aria-label={t('composer.send')}
        title={t('composer.send')}
        disabled={!draft.value.trim() && files.length === 0}
      >
        <Icon name="send" />
      </button>
      <span id="composer-hint" class="visually-hidden">
        {t('composer.hint')}
      </span>
    </form>
  );
}
