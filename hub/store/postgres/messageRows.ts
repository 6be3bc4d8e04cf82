import type { Forwarded, Message, SystemEvent } from '../../../common/protocol/model.ts';
import { withFiles } from './files.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { withReactions } from './reactions.ts';
import { withReplyQuotes } from './replyQuotes.ts';

/** A row of the `messages` table (bigints come back as numbers, see PgDatabase.ts). */
export interface MessageRow {
  seq: number;
  conversation_id: number;
  sender_id: number;
  client_id: string;
  kind: Message['kind'];
  text: string;
  ts: number;
  mentions: string | null;
  mentions_all: number;
  system: string | null;
  display_name: string | null;
  attachments: string | null;
  /** Block Kit blocks as JSON. */
  blocks: string | null;
  /** Buttons as JSON. */
  actions: string | null;
  edited_at: number | null;
  deleted_at: number | null;
  deleted_by: number | null;
  rev: number | null;
  reply_to: number | null;
  forwarded: string | null;
  pinned_by: number | null;
  pinned_at: number | null;
}

/**
 * Turns a stored row into the protocol's message (optional fields only when present). Files,
 * reactions and the reply quote come from other tables: see {@link currentMessages}.
 */
export function toMessage(row: MessageRow): Message {
  const message: Message = {
    seq: row.seq,
    conversationId: row.conversation_id,
    senderId: row.sender_id,
    clientId: row.client_id,
    kind: row.kind,
    text: row.text,
    ts: row.ts,
    mentions: row.mentions === null ? [] : (JSON.parse(row.mentions) as number[]),
    mentionsAll: row.mentions_all === 1,
  };
  if (row.system !== null) message.system = JSON.parse(row.system) as SystemEvent;
  if (row.display_name !== null) message.displayName = row.display_name;
  if (row.attachments !== null) message.attachments = JSON.parse(row.attachments) as Message['attachments'];
  if (row.blocks !== null) message.blocks = JSON.parse(row.blocks) as Message['blocks'];
  if (row.actions !== null) message.actions = JSON.parse(row.actions) as Message['actions'];
  if (row.forwarded !== null) message.forwarded = JSON.parse(row.forwarded) as Forwarded;
  if (row.edited_at !== null) message.editedAt = row.edited_at;
  if (row.deleted_at !== null) message.deleted = { by: row.deleted_by!, at: row.deleted_at };
  if (row.pinned_at !== null) message.pinned = { by: row.pinned_by!, at: row.pinned_at };
  if (row.rev !== null) message.rev = row.rev;
  return message;
}

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
