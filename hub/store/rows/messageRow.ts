// The `messages` table's row and how it becomes the protocol's message: the same for every store
// (the PostgreSQL tables are SQLite's, and bigints come back as numbers there too).
import type { Forwarded, Message, SystemEvent } from '../../../common/protocol/model.ts';

/** A row of the `messages` table. */
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
  /** Block Kit blocks as JSON (schema step 15). */
  blocks: string | null;
  /** Buttons as JSON (schema step 17). */
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
 * reactions and the reply quote come from other tables (each store's messageRows.ts currentMessages).
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
