import type { MessageView } from '../../common/client/ClientState.ts';
import { discardMessage } from '../actions/messaging.ts';
import { draftFor } from '../state/uiState.ts';

/**
 * «Вернуть в поле ввода» of a message that failed (too long, refused): its text goes back into
 * the conversation's message box (before what is being typed there), so it can be shortened or
 * split, and the failed entry is dropped — «Повторить» would only fail again. Its `@login`s show
 * as names again in the box.
 */
export function putBack(message: MessageView): void {
  const draft = draftFor(message.conversationId);
  draft.value = draft.value.trim() ? `${message.text}\n${draft.value}` : message.text;
  discardMessage(message.clientId);
  // After the render that shows the text: the cursor at its end, ready to cut.
  requestAnimationFrame(() => {
    const box = document.querySelector<HTMLTextAreaElement>('.composer textarea');
    if (!box) return;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
}
