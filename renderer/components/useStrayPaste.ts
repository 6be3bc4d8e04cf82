import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { attachFiles } from '../actions/attachments.ts';
import { pasteHostImage } from '../actions/pasteHostImage.ts';
import { dialog } from '../state/uiState.ts';

/**
 * A screenshot pasted while the focus is elsewhere in the conversation (the user clicked the
 * window, then pressed Ctrl+V) goes to its composer too, and the cursor moves to the message box.
 * Other fields keep their own pastes; text without files is left alone; no dialog may be open. A
 * paste without files asks the desktop for the clipboard's image ({@link pasteHostImage}).
 */
export function useStrayPaste(conversation: Conversation, box: RefObject<HTMLTextAreaElement>): void {
  useEffect(() => {
    if (conversation.archived) return;
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (e.defaultPrevented || dialog.value || target?.closest('input, textarea, [contenteditable="true"]')) return;
      const files = [...(e.clipboardData?.files ?? [])];
      if (e.clipboardData?.getData('text/plain')) return;
      const focusBox = () => box.current?.focus({ preventScroll: true });
      e.preventDefault();
      // No file in the event: on the desktop the clipboard may still hold a bitmap the page cannot see.
      if (files.length === 0) {
        void pasteHostImage(conversation.id).then((attached) => attached && focusBox());
        return;
      }
      attachFiles(conversation.id, files, 'paste');
      focusBox();
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [conversation.id, conversation.archived]);
}
