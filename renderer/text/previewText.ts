import { messageText } from '../../common/client/messageText.ts';
import type { FileWords } from '../../common/client/messageText.ts';
import { client } from '../state/clientState.ts';
import { loginMap } from '../state/selectors.ts';
import { namesForLogins } from './mentions.ts';

/**
 * A message as one short line for previews (a banner's summary, a list of what else is waiting):
 * its words as {@link messageText} finds them (its text, or, for a message that is only an
 * integration's card, the card's plain-text `fallback` or its title; for files only, «📎 Скриншот»
 * or «📎 Счёт №17.pdf», with `words` in the UI language). Whitespace runs become one space, and
 * `@login`s of known people read as their names, as in the message itself.
 */
export function previewText(message: Parameters<typeof messageText>[0], words?: FileWords): string {
  return namesForLogins(messageText(message, words).replace(/\s+/g, ' '), loginMap(client.users.value));
}
