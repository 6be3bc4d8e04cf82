import { signal } from '@preact/signals';
import type { Signal } from '@preact/signals';

/** A file attached in the composer and not sent yet (pasted, dropped or picked). */
export interface ComposerFile {
  /** Unique in the page (the strip's key, what its remove button names). */
  key: number;
  /** The bytes, read only when the message is sent. */
  blob: Blob;
  name: string;
  size: number;
  /** The media type the system reported ('' when unknown). */
  type: string;
  /** An object URL of an image for its thumbnail (revoked when the file leaves the strip); null otherwise. */
  previewUrl: string | null;
}

const attached = new Map<number, Signal<readonly ComposerFile[]>>();

/** The files attached in one conversation's composer; kept while switching conversations, like the draft. */
export function composerFilesFor(conversationId: number): Signal<readonly ComposerFile[]> {
  let files = attached.get(conversationId);
  if (!files) attached.set(conversationId, (files = signal<readonly ComposerFile[]>([])));
  return files;
}

/** Every conversation's attached files (to let go of them all at sign-out). */
export function allComposerFiles(): ComposerFile[] {
  return [...attached.values()].flatMap((files) => files.value);
}

/** Forgets every attached file (sign-out: the next user must not see them). */
export function clearComposerFiles(): void {
  attached.clear();
}

/** Whether files are being dragged over the open conversation (its drop zone shows). */
export const dragOverConversation = signal(false);
