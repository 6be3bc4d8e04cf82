import type { Database } from 'better-sqlite3';
import type { Message } from '../../../common/protocol/model.ts';
import { withFiles } from './files.ts';
import { withReactions } from './reactions.ts';
import { withReplyQuotes } from './replyQuotes.ts';
import { statement } from './statement.ts';
import { type MessageRow, toMessage } from '../rows/messageRow.ts';

/**
 * Messages as they are now: each row plus its files, reactions and reply quote, joined in one
 * query per kind for the whole page (history and sync pages hold up to 1000 messages), never one
 * per message. Keeps the order of `rows`.
 */
export function currentMessages(db: Database, rows: readonly MessageRow[]): Message[] {
  const messages = rows.map(toMessage);
  withFiles(db, messages);
  withReactions(db, messages);
  // A deleted message is a bare placeholder: it quotes nothing.
  withReplyQuotes(
    db,
    messages,
    rows.map((r) => (r.deleted_at === null ? r.reply_to : null)),
  );
  return messages;
}

/** The message with this seq as it is now. */
export function currentMessage(db: Database, seq: number): Message | undefined {
  const row = findMessageRow(db, seq);
  return row && currentMessages(db, [row])[0];
}

/** The stored row of a message. */
export function findMessageRow(db: Database, seq: number): MessageRow | undefined {
  return statement(db, 'SELECT * FROM messages WHERE seq = ?').get(seq) as MessageRow | undefined;
}

/** Rows by seq, in one query (the targets of a page of updates). */
export function messageRowsBySeq(db: Database, seqs: readonly number[]): Map<number, MessageRow> {
  const rows =
    seqs.length === 0
      ? []
      : (statement(db, 'SELECT * FROM messages WHERE seq IN (SELECT value FROM json_each(?))').all(
          JSON.stringify(seqs),
        ) as MessageRow[]);
  return new Map(rows.map((r) => [r.seq, r]));
}
