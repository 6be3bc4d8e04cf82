import { signal } from '@preact/signals';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { ReplyQuote } from '../../common/protocol/model.ts';
import { backend } from '../backend/currentBackend.ts';
import { t } from '../i18n/t.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { deleteTarget, editTargetFor, replyTargetFor } from '../state/uiState.ts';
import { lastEditable } from './messageRules.ts';
import type { RuleContext } from './messageRules.ts';
import { attempt, notify } from './notify.ts';

/** How much of the original a reply's quote keeps (the hub cuts its quotes the same way). */
const quoteChars = 300;

/** A quote of a held message, as the hub would build it, for the composer's bar before sending. */
export function quoteOf(message: MessageView): ReplyQuote {
  const quote: ReplyQuote = { seq: message.seq, senderId: message.senderId, text: message.text.slice(0, quoteChars) };
  if (message.displayName) quote.displayName = message.displayName;
  const image = message.files?.find((f) => f.kind === 'image');
  if (image) quote.image = image;
  if (message.files && message.files.length > 0) quote.fileCount = message.files.length;
  if (message.deleted) quote.deleted = true;
  return quote;
}

/** Starts a reply to a message: the quote bar shows above the composer (an edit in progress ends). */
export function startReply(message: MessageView): void {
  editTargetFor(message.conversationId).value = null;
  replyTargetFor(message.conversationId).value = quoteOf(message);
  focusComposer();
}

/** Drops the reply being written (the text stays). */
export function cancelReply(conversationId: number): void {
  replyTargetFor(conversationId).value = null;
}

/** Puts the composer in edit mode with the message's text (a reply being written is kept for later). */
export function startEdit(message: MessageView): void {
  editTargetFor(message.conversationId).value = {
    seq: message.seq,
    original: message.text,
    text: signal(message.text),
  };
  focusComposer(true);
}

/** Leaves edit mode without saving; the draft that was there comes back. */
export function cancelEdit(conversationId: number): void {
  editTargetFor(conversationId).value = null;
}

/**
 * Saves the edit: the new text goes to the hub through the outbox (shown at once, the clock until
 * acknowledged). Unchanged text just closes edit mode; emptied text (a message must keep text or
 * files) is refused with a notice and edit mode stays.
 */
export function saveEdit(conversationId: number, hasFiles: boolean): void {
  const target = editTargetFor(conversationId).value;
  if (!target) return;
  const text = target.text.value.replace(/^\s*\n|\s+$/g, '');
  if (text === target.original.replace(/^\s*\n|\s+$/g, '')) {
    cancelEdit(conversationId);
    return;
  }
  if (!text.trim() && !hasFiles) {
    notify(t('msgActions.editEmpty'), 'error');
    return;
  }
  editTargetFor(conversationId).value = null;
  void attempt(() => backend().editMessage(conversationId, target.seq, text));
}

/** ↑ in an empty composer: edits the user's newest message here that may still be edited. */
export function editLast(conversationId: number, ctx: RuleContext): boolean {
  const items = clientSnapshot().messages[conversationId]?.items ?? [];
  const message = lastEditable(items, ctx);
  if (!message) return false;
  startEdit(message);
  return true;
}

/** Asks before deleting a message (the confirmation dialog). */
export function askDelete(message: MessageView): void {
  deleteTarget.value = { conversationId: message.conversationId, seq: message.seq };
}

/** Deletes the message the confirmation asked about. */
export function confirmDelete(): void {
  const target = deleteTarget.value;
  deleteTarget.value = null;
  if (!target) return;
  const reply = replyTargetFor(target.conversationId);
  if (reply.value?.seq === target.seq) reply.value = null;
  const edit = editTargetFor(target.conversationId);
  if (edit.value?.seq === target.seq) edit.value = null;
  void attempt(() => backend().deleteMessage(target.conversationId, target.seq));
}

/** The user saw why a change of theirs was refused: the notice under the message goes. */
export function dismissChangeError(message: MessageView): void {
  void attempt(() => backend().dismissChangeError(message.conversationId, message.seq));
}

/** Moves the cursor to the message box (after choosing Reply or Edit in a menu), at the end of its text. */
function focusComposer(toEnd = false): void {
  // After the render that shows the bar: the composer may be re-rendered in edit mode first.
  requestAnimationFrame(() => {
    const box = document.querySelector<HTMLTextAreaElement>('.composer textarea');
    if (!box) return;
    box.focus();
    if (toEnd) box.setSelectionRange(box.value.length, box.value.length);
  });
}
