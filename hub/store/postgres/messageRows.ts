import type { Message } from '../../../common/protocol/model.ts';
import { withFiles } from './files.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { withReactions } from './reactions.ts';
import { withReplyQuotes } from './replyQuotes.ts';
import { type MessageRow, toMessage } from '../rows/messageRow.ts';

/**
 * Messages as they are now: each row plus its files, reactions and reply quote, joined in one
 * query per kind for the whole page (history and sync pages hold up to 1000 messages), never one
 * per message. Keeps the order of `rows`.
 */
export async function currentMessages(q: PgQueryable, rows: readonly MessageRow[]): Promise<Message[]> {
  const messages = rows.map(toMessage);
  await withFiles(q, messages);
  await withReactions(q, messages);
  // A deleted message is a bare placeholder: it quotes nothing.
  await withReplyQuotes(
    q,
    messages,
    rows.map((r) => (r.deleted_at === null ? r.reply_to : null)),
  );
  return messages;
}

/** The message with this seq as it is now. */
export async function currentMessage(q: PgQueryable, seq: number): Promise<Message | undefined> {
  const row = await findMessageRow(q, seq);
  return row && (await currentMessages(q, [row]))[0];
}

/** The stored row of a message. */
export function findMessageRow(q: PgQueryable, seq: number): Promise<MessageRow | undefined> {
  return q.one<MessageRow>('SELECT * FROM messages WHERE seq = $1', [seq]);
}

/** Rows by seq, in one query (the targets of a page of updates). */
export async function messageRowsBySeq(q: PgQueryable, seqs: readonly number[]): Promise<Map<number, MessageRow>> {
  const rows =
    seqs.length === 0 ? [] : await q.all<MessageRow>('SELECT * FROM messages WHERE seq = ANY($1::bigint[])', [seqs]);
  return new Map(rows.map((r) => [r.seq, r]));
}
