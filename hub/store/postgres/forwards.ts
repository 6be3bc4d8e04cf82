import type { Forwarded } from '../../../common/protocol/model.ts';
import { findConversation } from './conversations.ts';
import { filesToForward } from './files.ts';
import { mayUseConversation } from './messageAccess.ts';
import { findMessageRow } from './messageRows.ts';
import type { PgQueryable } from './PgDatabase.ts';

/** What a forward copies from its original, read inside the batch transaction. */
export interface ForwardCopy {
  text: string;
  attachments?: string | null;
  blocks?: string | null;
  forwarded: Forwarded;
  /** The original's uploads, linked to the copy in the same order. */
  files: { ok: true; rows: readonly unknown[] };
}

/**
 * The copy of message `seq` that `senderId` forwards, or undefined when they may not: the original
 * is unknown, in a conversation they cannot read now (not a member; the general room is every
 * person's), deleted, or a system message. `forwarded` names the original's author and time, or
 * the original's own `forwarded` when it was itself a forward (the first author stays).
 */
export async function forwardCopy(q: PgQueryable, senderId: number, seq: number): Promise<ForwardCopy | undefined> {
  const original = await findMessageRow(q, seq);
  const conversation = original && (await findConversation(q, original.conversation_id));
  if (!original || !conversation || original.deleted_at !== null || original.kind === 'system') return undefined;
  if (!(await mayUseConversation(q, conversation, senderId))) return undefined;
  let forwarded: Forwarded;
  if (original.forwarded !== null) forwarded = JSON.parse(original.forwarded) as Forwarded;
  else {
    forwarded = { senderId: original.sender_id, ts: original.ts };
    if (original.display_name !== null) forwarded.displayName = original.display_name;
  }
  return {
    text: original.text,
    attachments: original.attachments,
    blocks: original.blocks,
    forwarded,
    files: await filesToForward(q, original.seq),
  };
}
