import type { Attachment } from '../../common/protocol/model.ts';

/**
 * A message as one short line for previews (a banner's summary, a list of what else is waiting):
 * its text, or, for a message that is only an integration's card, the card's plain-text
 * `fallback` or its title. Whitespace runs become one space.
 */
export function previewText(message: { text: string; attachments?: readonly Attachment[] | undefined }): string {
  const first = message.attachments?.[0];
  const text = message.text.trim() || first?.fallback?.trim() || first?.title?.trim() || '';
  return text.replace(/\s+/g, ' ');
}
