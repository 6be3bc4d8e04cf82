import type { Attachment } from '../protocol/model.ts';

/**
 * A message's words for a preview or a notification: its text, or, for a message that is only an
 * integration's card, the first card's plain-text `fallback` or else its title. Trimmed; empty when
 * there is nothing to show.
 */
export function messageText(message: { text: string; attachments?: readonly Attachment[] | undefined }): string {
  const first = message.attachments?.[0];
  return message.text.trim() || first?.fallback?.trim() || first?.title?.trim() || '';
}
