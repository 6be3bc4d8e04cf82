import type { FileRef, ReplyQuote } from '../../../common/protocol/model.ts';
import { withFiles } from './files.ts';
import type { PgQueryable } from './PgDatabase.ts';

/** How much of the original's text a quote carries, in characters (code points). */
export const quoteTextLength = 300;

/** The columns of a reply target a quote needs. */
interface TargetRow {
  seq: number;
  sender_id: number;
  display_name: string | null;
  text: string;
  deleted_at: number | null;
}

/**
 * Fills in `replyTo` of the messages that answer another, built from the target as it is NOW (an
 * edit shows, a deletion leaves `deleted` and no text): one query for the targets and one for
 * their files, for the whole page. `replyTo[i]` is the seq `messages[i]` answers, or null.
 * Returns the same array.
 */
export async function withReplyQuotes<T extends { replyTo?: ReplyQuote }>(
  q: PgQueryable,
  messages: T[],
  replyTo: readonly (number | null | undefined)[],
): Promise<T[]> {
  const seqs = [...new Set(replyTo.filter((s): s is number => typeof s === 'number'))];
  if (seqs.length === 0) return messages;
  const targets = await q.all<TargetRow>(
    'SELECT seq, sender_id, display_name, text, deleted_at FROM messages WHERE seq = ANY($1::bigint[])',
    [seqs],
  );
  const files = await withFiles(
    q,
    targets.map((t) => ({ seq: t.seq }) as { seq: number; files?: FileRef[] }),
  );
  const quotes = new Map<number, ReplyQuote>();
  targets.forEach((target, i) => quotes.set(target.seq, quoteOf(target, files[i]!.files ?? [])));
  messages.forEach((message, i) => {
    const seq = replyTo[i];
    const quote = typeof seq === 'number' ? quotes.get(seq) : undefined;
    // Each message gets its own copy: callers may change one message without touching another.
    if (quote) message.replyTo = { ...quote };
  });
  return messages;
}

/** The quote of one target: its text cut, its first image, how many files it carries. */
function quoteOf(target: TargetRow, files: readonly FileRef[]): ReplyQuote {
  const quote: ReplyQuote = { seq: target.seq, senderId: target.sender_id, text: '' };
  if (target.display_name !== null) quote.displayName = target.display_name;
  if (target.deleted_at !== null) {
    quote.deleted = true;
    return quote;
  }
  quote.text = cutText(target.text, quoteTextLength);
  const image = files.find((f) => f.kind === 'image');
  if (image) quote.image = image;
  if (files.length > 0) quote.fileCount = files.length;
  return quote;
}

/**
 * The first `max` code points of `text` (a surrogate pair is never split). The same as the SQLite
 * store's: the store folders may not import each other, and this is its only shared helper.
 */
export function cutText(text: string, max: number): string {
  // Strings up to `max` UTF-16 units hold at most `max` code points: nothing to cut.
  if (text.length <= max) return text;
  let units = 0;
  let points = 0;
  while (units < text.length && points < max) {
    const code = text.codePointAt(units)!;
    units += code > 0xffff ? 2 : 1;
    points += 1;
  }
  return text.slice(0, units);
}
