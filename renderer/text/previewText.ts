import { messageText } from '../../common/client/messageText.ts';
import type { FileWords } from '../../common/client/messageText.ts';

/**
 * A message as one short line for previews (a banner's summary, a list of what else is waiting):
 * its words as {@link messageText} finds them (its text, or, for a message that is only an
 * integration's card, the card's plain-text `fallback` or its title; for files only, «📎 Скриншот»
 * or «📎 Счёт №17.pdf», with `words` in the UI language). Whitespace runs become one space.
 */
export function previewText(message: Parameters<typeof messageText>[0], words?: FileWords): string {
  return messageText(message, words).replace(/\s+/g, ' ');
}
