import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { attachFiles } from '../actions/attachments.ts';
import { pasteHostImage } from '../actions/pasteHostImage.ts';
import { cancelEdit, cancelReply, editLast, saveEdit } from '../actions/editing.ts';
import { ruleContext } from '../actions/messageMenu.ts';
import { noteTyping, sendMessage } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { composerFilesFor } from '../state/composerFiles.ts';
import { conversationName } from '../state/selectors.ts';
import { bottomRequest, dialog, draftFor, editTargetFor, replyTargetFor } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { AttachButton } from './AttachButton.tsx';
import { ComposerEditBar } from './ComposerEditBar.tsx';
import { ComposerFiles } from './ComposerFiles.tsx';
import { ComposerReplyBar } from './ComposerReplyBar.tsx';
import { ComposerByteCounter } from './ComposerByteCounter.tsx';
import { MentionList } from './MentionList.tsx';
import { MentionOverlay } from './MentionOverlay.tsx';
import { useMentionPicker } from './useMentionPicker.ts';
import { useMentionText } from './useMentionText.ts';
import { loadSlashCommands, matchCommand, runSlashCommand, slashCommandsAsked } from '../actions/botActions.ts';
import { SlashCommandList, commandOptionId } from './SlashCommandList.tsx';
import { useSlashCommands } from './useSlashCommands.ts';
import type { MentionText } from './useMentionText.ts';
import { useSendGuard } from './useSendGuard.tsx';
import { useStrayPaste } from './useStrayPaste.ts';

const maxHeight = 200;

function autosize(el: HTMLTextAreaElement): void {
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight, maxHeight)}px`;
}

/**
 * Pasting: only plain text gets in (no formatting or HTML from the clipboard). An image with no
 * text beside it (Print Screen, Snipping Tool, 1C's screenshot) is attached as a file — on the
 * desktop also one the event does not carry ({@link pasteHostImage}); copied Excel cells carry a
 * picture of themselves too, but they mean their text.
 */
function pasteInto(
  e: JSX.TargetedClipboardEvent<HTMLTextAreaElement>,
  conversationId: number,
  mentionText: MentionText,
  editing: boolean,
): void {
  e.preventDefault();
  const text = e.clipboardData?.getData('text/plain') ?? '';
  const pasted = [...(e.clipboardData?.files ?? [])];
  // An edit changes only the text: a pasted screenshot waits for the next message.
  if (!text && pasted.length > 0 && !editing) {
    attachFiles(conversationId, pasted, 'paste');
    return;
  }
  // Neither text nor a file the page can read: the desktop reads the clipboard's bitmap itself.
  if (!text && pasted.length === 0 && !editing) {
    void pasteHostImage(conversationId);
    return;
  }
  if (!text) return;
  const el = e.currentTarget;
  el.setRangeText(text, el.selectionStart, el.selectionEnd, 'end');
  mentionText.input(el);
  noteTyping(conversationId);
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, "@" suggests people to mention,
 * the draft is kept per conversation, and typing is reported to the others. Files come in by
 * pasting (an image on the clipboard without text: a screenshot), by the paperclip's picker or by
 * dropping them on the conversation; they wait in a strip above the text, which becomes their
 * optional caption. Pasted text is inserted as plain text only.
 *
 * A reply shows its quote bar above the box (Esc or × drops it). In edit mode (the message menu's
 * «Изменить», or ↑ in an empty box: the user's last message that may still be edited) the box
 * holds the message's text and a bar says so; Enter saves, Esc leaves without saving, and the
 * draft that was there comes back.
 */
export function Composer({ conversation }: { conversation: Conversation }): JSX.Element {
  const edit = editTargetFor(conversation.id).value;
  const draft = edit ? edit.text : draftFor(conversation.id);
  const replying = replyTargetFor(conversation.id).value !== null;
  const ref = useRef<HTMLTextAreaElement>(null);
  const files = composerFilesFor(conversation.id).value;
  const name = neutraliseBidi(conversationName(conversation, client.users.value));
  // The box shows names where the draft has @login (mentions by name, see useMentionText).
  const mentionText = useMentionText(draft);
  const mentions = useMentionPicker(conversation, ref, mentionText);
  const { open, suggestions, chosen } = mentions;
  // Issue 18: «/» at the start lists the registered commands; a known one is run, not sent.
  const slash = useSlashCommands(ref, mentionText);
  const sendGuard = useSendGuard(conversation, draft, mentions.isMember);

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
    const asCommand = !edit && files.length === 0;
    // A command pasted and sent at once: the list is asked for first, then the text is judged.
    if (asCommand && /^\s*\//.test(draft.value) && !slashCommandsAsked()) {
      const text = draft.value;
      void loadSlashCommands().then(() => draft.value === text && send());
      return;
    }
    const command = asCommand ? matchCommand(draft.value) : null;
    if (command) {
      slash.close();
      draft.value = '';
      void runSlashCommand(conversation.id, command.command.name, command.args);
      return;
    }
    // Over the size limit or mentioning outsiders: said or asked first (useSendGuard).
    sendGuard.guard(() => {
      if (edit) {
        const held = client.messages.value[conversation.id]?.items.find((m) => m.seq === edit.seq);
        saveEdit(conversation.id, (held?.files?.length ?? 0) > 0);
      } else if (sendMessage(conversation.id, draft.value)) bottomRequest.value += 1;
    });
  };
  const refocus = () => ref.current?.focus();

  /** Esc leaves edit mode or drops the reply; ↑ in an empty box edits the last message. */
  const actionKey = (e: JSX.TargetedKeyboardEvent<HTMLTextAreaElement>): boolean => {
    const plain = !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing;
    if (e.key === 'Escape' && plain && (edit || replying)) {
      if (edit) cancelEdit(conversation.id);
      else cancelReply(conversation.id);
      return true;
    }
    if (e.key === 'ArrowUp' && plain && !edit && e.currentTarget.value === '' && files.length === 0) {
      return editLast(conversation.id, ruleContext(conversation.id));
    }
    return false;
  };

  return (
    <form
      class={edit ? 'composer editing' : 'composer'}
      onSubmit={(e) => {
        e.preventDefault();
        send();
        ref.current?.focus();
      }}
    >
      {open && <MentionList suggestions={suggestions} chosen={chosen} onChoose={mentions.choose} />}
      {slash.open && !open && (
        <SlashCommandList matches={slash.matches} chosen={slash.chosen} onChoose={slash.choose} />
      )}
      {edit ? (
        <ComposerEditBar conversationId={conversation.id} target={edit} onCancel={refocus} />
      ) : (
        <ComposerReplyBar conversationId={conversation.id} onCancel={refocus} />
      )}
      {!edit && <ComposerFiles conversationId={conversation.id} />}
      {!edit && <AttachButton conversationId={conversation.id} onPicked={refocus} />}
      <MentionOverlay text={mentionText.text} box={ref} />
      <textarea
        ref={ref}
        rows={1}
        value={mentionText.text.display}
        aria-label={edit ? t('msgActions.editing') : t('composer.label')}
        placeholder={files.length > 0 && !edit ? t('files.captionPlaceholder') : t('composer.placeholder', { name })}
        aria-describedby="composer-hint"
        aria-autocomplete="list"
        aria-controls={open ? 'mention-list' : slash.open ? 'command-list' : undefined}
        aria-activedescendant={
          open
            ? `mention-${suggestions[chosen]!.login}`
            : slash.open
              ? commandOptionId(slash.matches[slash.chosen]!)
              : undefined
        }
        maxLength={65536}
        onInput={(e) => {
          mentionText.input(e.currentTarget);
          mentions.followCaret(e.currentTarget);
          if (e.currentTarget.value.trim() && !edit) noteTyping(conversation.id);
        }}
        onClick={(e) => mentions.followCaret(e.currentTarget)}
        onBlur={() => mentions.close()}
        onKeyDown={(e) => {
          if (mentions.handleKey(e)) return;
          if (slash.handleKey(e)) return;
          if (actionKey(e)) {
            e.preventDefault();
            e.stopPropagation();
            return;
          }
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
        onPaste={(e) => pasteInto(e, conversation.id, mentionText, !!edit)}
      />
      <ComposerByteCounter wire={draft.value} />
      {sendGuard.prompt}
      <button
        type="submit"
        class="send-button"
        aria-label={edit ? t('app.save') : t('composer.send')}
        title={edit ? t('app.save') : t('composer.send')}
        disabled={!edit && !draft.value.trim() && files.length === 0}
      >
        <Icon name={edit ? 'check' : 'send'} />
      </button>
      <span id="composer-hint" class="visually-hidden">
        {edit ? t('msgActions.editHint') : t('composer.hint')}
      </span>
    </form>
  );
}
