import { indexTerms } from '../search/searchTerms.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { ftsTokens } from './ftsTokens.ts';

/**
 * The full-text index of messages (`message_search`, schema/filesSchema.ts), the twin of
 * sqlite/messageIndex.ts: one row per indexed message, keyed by its seq, holding the tokens
 * SQLite's FTS5 table would hold for it (the terms of searchTerms.ts as FTS5's tokenizer splits
 * them, ftsTokens.ts). The conversation and sender need no tokens of their own here: the search
 * filters on the message row. Everything here runs inside the caller's transaction: the index
 * changes with the message.
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

/**
 * The index's `tokens` for a text: '' when FTS5 would find no token in its terms (only combining
 * marks, which unicode61 never starts a token with); such a message still has its row, as in SQLite.
 */
export function indexTokens(text: string): string {
  return ftsTokens(indexTerms(text)).join(' ');
}

/** Adds a new message's terms (nothing for a system message or one with no words), as SQLite's index does. */
export async function indexMessage(q: PgQueryable, m: IndexedMessage, text: string): Promise<void> {
  if (!indexable(m.kind, text)) return;
  const terms = indexTerms(text);
  if (terms === '') return;
  await q.run('INSERT INTO message_search (seq, tokens) VALUES ($1, $2)', [m.seq, ftsTokens(terms).join(' ')]);
}

/**
 * Removes a message's terms. Unlike FTS5's contentless table, the row is found by its seq, so the
 * old text is not needed; the parameter stays so both stores are called the same way.
 */
export async function unindexMessage(q: PgQueryable, m: IndexedMessage, _text: string): Promise<void> {
  await q.run('DELETE FROM message_search WHERE seq = $1', [m.seq]);
}
