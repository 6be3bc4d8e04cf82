import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { attachFiles } from '../actions/attachments.ts';
import { dialog } from '../state/uiState.ts';

/**
 * A screenshot pasted while the focus is elsewhere in the conversation (the user clicked the
 * window, then pressed Ctrl+V) goes to its composer too, and the cursor moves to the message box.
 * Other fields keep their own pastes; text without files is left alone; no dialog may be open.
 */
export function useStrayPaste(conversation: Conversation, box: RefObject<HTMLTextAreaElement>): void {
  useEffect(() => {
    if (conversation.archived) return;
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (e.defaultPrevented || dialog.value || target?.closest('input, textarea, [contenteditable="true"]')) return;
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length === 0 || e.clipboardData?.getData('text/plain')) return;
      e.preventDefault();
      attachFiles(conversation.id, files, 'paste');
      box.current?.focus({ preventScroll: true });
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [conversation.id, conversation.archived]);
}
