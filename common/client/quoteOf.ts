import type { Message, ReplyQuote } from '../protocol/model.ts';

/** How much of the original's text a quote carries (as the hub builds it). */
const quoteChars = 300;

/**
 * The quote of a message as a reply shows it, built the way the hub builds `Message.replyTo`:
 * its first 300 characters, its first image, how many files it has; a deleted message quotes no
 * text and says `deleted`. Used for a reply that is still pending, and to refresh held replies
 * when the original changes. `previous`: the quote held before (its names are kept).
 */
export function quoteOf(
  message: Pick<Message, 'seq' | 'senderId' | 'displayName' | 'text' | 'files' | 'deleted'>,
  previous?: ReplyQuote,
): ReplyQuote {
  const quote: ReplyQuote = { seq: message.seq, senderId: message.senderId, text: '' };
  const displayName = message.displayName ?? previous?.displayName;
  if (displayName !== undefined) quote.displayName = displayName;
  if (message.deleted) {
    quote.deleted = true;
    return quote;
  }
  quote.text = [...message.text].slice(0, quoteChars).join('');
  const files = message.files ?? [];
  const image = files.find((f) => f.kind === 'image');
  if (image) quote.image = image;
  if (files.length > 0) quote.fileCount = files.length;
  return quote;
}
