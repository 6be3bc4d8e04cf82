import type { Database } from 'better-sqlite3';
import { indexTerms } from '../search/searchTerms.ts';
import { statement } from './statement.ts';

/**
 * The full-text index of messages (`message_search`, schema step 10): a contentless FTS5 table
 * whose rowid is the message's seq and whose one column holds the message's terms
 * (searchTerms.ts). Contentless keeps only the index, not a second copy of the text; FTS5's
 * secure-delete is on, so removing a row takes its terms out of the index pages themselves.
 * Everything here runs inside the caller's transaction: the index changes with the message.
 */

/** Whether a message of this kind and text is in the index: people's and integrations' words, never system events. */
function indexable(kind: string, text: string): boolean {
  return kind !== 'system' && text !== '';
}

/** Adds a new message's terms (nothing for a system message or one with no words). */
export function indexMessage(db: Database, seq: number, kind: string, text: string): void {
  if (!indexable(kind, text)) return;
  const terms = indexTerms(text);
  if (terms === '') return;
  statement(db, 'INSERT INTO message_search (rowid, terms) VALUES (?, ?)').run(seq, terms);
}

/**
 * Removes a message's terms, given the text it was indexed with (a contentless index cannot look
 * them up itself: FTS5's `delete` command takes the old values, computed again the same way).
 */
export function unindexMessage(db: Database, seq: number, kind: string, text: string): void {
  if (!indexable(kind, text)) return;
  const terms = indexTerms(text);
  if (terms === '') return;
  statement(db, `INSERT INTO message_search (message_search, rowid, terms) VALUES ('delete', ?, ?)`).run(seq, terms);
}
