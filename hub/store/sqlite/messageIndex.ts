import type { Database } from 'better-sqlite3';
import { indexTerms } from '../search/searchTerms.ts';
import { statement } from './statement.ts';

/**
 * The full-text index of messages (`message_search`, schema step 10): a contentless FTS5 table
 * whose rowid is the message's seq; column `terms` holds the message's terms (searchTerms.ts),
 * column `meta` the tokens `c<conversation id>` and `u<sender id>` (the search filters). Contentless keeps only the index, not a second copy of the text; FTS5's
 * secure-delete is on, so removing a row takes its terms out of the index pages themselves.
 * Everything here runs inside the caller's transaction: the index changes with the message.
 */

/** Whether a message of this kind and text is in the index: people's and integrations' words, never system events. */
function indexable(kind: string, text: string): boolean {
  return kind !== 'system' && text !== '';
}

/** What identifies a message's row besides its text: never changes for a message. */
export interface IndexedMessage {
  seq: number;
  kind: string;
  conversationId: number;
  senderId: number;
}

/** The `meta` column of a message's row. */
export function metaTokens(conversationId: number, senderId: number): string {
  return `c${conversationId} u${senderId}`;
}

/** Adds a new message's terms (nothing for a system message or one with no words). */
export function indexMessage(db: Database, m: IndexedMessage, text: string): void {
  if (!indexable(m.kind, text)) return;
  const terms = indexTerms(text);
  if (terms === '') return;
  statement(db, 'INSERT INTO message_search (rowid, terms, meta) VALUES (?, ?, ?)').run(
    m.seq,
    terms,
    metaTokens(m.conversationId, m.senderId),
  );
}

/**
 * Removes a message's terms, given the text it was indexed with (a contentless index cannot look
 * them up itself: FTS5's `delete` command takes the old values, computed again the same way).
 */
export function unindexMessage(db: Database, m: IndexedMessage, text: string): void {
  if (!indexable(m.kind, text)) return;
  const terms = indexTerms(text);
  if (terms === '') return;
  statement(db, `INSERT INTO message_search (message_search, rowid, terms, meta) VALUES ('delete', ?, ?, ?)`).run(
    m.seq,
    terms,
    metaTokens(m.conversationId, m.senderId),
  );
}
