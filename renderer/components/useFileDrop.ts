import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { attachFiles } from '../actions/attachments.ts';
import { dragOverConversation } from '../state/composerFiles.ts';

function carriesFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false;
}

// A file dropped beside the drop zone must not make the browser leave the chat to show it.
function refuseStrayDrop(e: DragEvent): void {
  if (carriesFiles(e)) e.preventDefault();
}

/**
 * Drag and drop of files onto a conversation: the handlers for its element, which show the drop
 * zone while files are dragged over it and attach what is dropped to its composer. Null: the
 * conversation takes no files (archived).
 */
export function useFileDrop(conversationId: number | null): Partial<JSX.HTMLAttributes<HTMLElement>> {
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer left.
  const depth = useRef(0);
  useEffect(() => {
    window.addEventListener('dragover', refuseStrayDrop);
    window.addEventListener('drop', refuseStrayDrop);
    return () => {
      window.removeEventListener('dragover', refuseStrayDrop);
      window.removeEventListener('drop', refuseStrayDrop);
      dragOverConversation.value = false;
    };
  }, []);
  useEffect(() => {
    depth.current = 0;
    dragOverConversation.value = false;
  }, [conversationId]);
  if (conversationId === null) return {};
  return {
    onDragEnter: (e) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current += 1;
      dragOverConversation.value = true;
    },
    onDragOver: (e) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (e) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) dragOverConversation.value = false;
    },
    onDrop: (e) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      dragOverConversation.value = false;
      attachFiles(conversationId, [...(e.dataTransfer?.files ?? [])], 'drop');
    },
  };
}
