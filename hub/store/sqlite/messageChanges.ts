import type { Database } from 'better-sqlite3';
import type { ChangeOutcome, ChangeRequest, MessageChange } from '../MessageStore.ts';
import { findConversation } from './conversations.ts';
import { detachDeletedFiles } from './files.ts';
import { audienceOf, mayUseConversation, refusalFor } from './messageAccess.ts';
import { currentMessage, findMessageRow } from './messageRows.ts';
import { findUpdateByClientId, insertUpdate, takeSeq, toUpdate } from './messageUpdates.ts';
import { deleteAllReactions, deleteReaction, hasReaction, insertReaction } from './reactions.ts';
import { statement } from './statement.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/** What one kind of change did to the row: nothing, a refusal, or a change to record as an update. */
type Step =
  | { kind: 'unchanged' }
  | { kind: 'refused'; reason: 'deleted' | 'too_many_reactions' }
  | { kind: 'changed'; newMentions?: number[]; freedBlobs?: string[] };

/**
 * Applies one change inside the caller's write transaction (see MessageStore.applyChange): the
 * message (for a repeated client id: the one the first call changed), the actor's right to its
 * conversation, then a repeat answers the message as it is now; else the rules the state decides,
 * the change itself, its update row in the one sequence, and the message's `rev`.
 */
export function applyChangeNow(db: Database, request: ChangeRequest): ChangeOutcome {
  const previous = findUpdateByClientId(db, request.actorId, request.clientId);
  const row = findMessageRow(db, previous ? previous.target_seq : request.seq);
  const conversation = row && findConversation(db, row.conversation_id);
  if (!row || !conversation) return { kind: 'refused', reason: 'not_found' };
  // Checked at commit time: the actor may have left (or been removed) since the operation looked.
  // A repeat is checked too: the message as it is now is for members only.
  if (!mayUseConversation(db, conversation, request.actorId))
    return { kind: 'refused', reason: refusalFor(conversation) };
  if (previous) return { kind: 'duplicate', message: currentMessage(db, row.seq)! };
  const step = changeRow(db, row, request, request.change);
  if (step.kind === 'unchanged') return { kind: 'unchanged', message: currentMessage(db, row.seq)! };
  if (step.kind === 'refused') return step;
  const seq = takeSeq(db);
  const updateRow = {
    seq,
    conversation_id: row.conversation_id,
    target_seq: row.seq,
    actor_id: request.actorId,
    client_id: request.clientId,
    kind: request.change.kind,
    ts: request.ts,
    new_mentions: step.newMentions && step.newMentions.length > 0 ? JSON.stringify(step.newMentions) : null,
  };
  insertUpdate(db, updateRow);
  statement(db, 'UPDATE messages SET rev = ? WHERE seq = ?').run(seq, row.seq);
  return {
    kind: 'applied',
    update: toUpdate(updateRow, currentMessage(db, row.seq)!),
    audience: audienceOf(db, conversation),
    freedBlobs: step.freedBlobs ?? [],
  };
}

function changeRow(db: Database, row: MessageRow, request: ChangeRequest, change: MessageChange): Step {
  switch (change.kind) {
    case 'edit':
      return edit(db, row, request.ts, change);
    case 'delete':
      return remove(db, row, request);
    case 'react':
      return react(db, row, request, change);
    case 'pin':
      return pin(db, row, request, change.pinned);
  }
}

/**
 * New text and mentions, and with a replace the cards (attachments, blocks: stored as JSON, none
 * as NULL, as a new message stores them); nothing when all of them are as stored. `newMentions`:
 * mentioned now and not before, never the author.
 */
function edit(db: Database, row: MessageRow, ts: number, change: Extract<MessageChange, { kind: 'edit' }>): Step {
  if (row.deleted_at !== null) return { kind: 'refused', reason: 'deleted' };
  const storedBlocks = row.blocks;
  const attachments = change.attachments === undefined ? row.attachments : cardsJson(change.attachments);
  const blocks = change.blocks === undefined ? storedBlocks : cardsJson(change.blocks);
  const actions = change.actions === undefined ? row.actions : cardsJson(change.actions);
  if (change.text === row.text && attachments === row.attachments && blocks === storedBlocks && actions === row.actions)
    return { kind: 'unchanged' };
  const before = new Set(row.mentions === null ? [] : (JSON.parse(row.mentions) as number[]));
  const mentions = [...new Set(change.mentions)];
  statement(db, 'UPDATE messages SET text = ?, mentions = ?, mentions_all = ?, edited_at = ? WHERE seq = ?').run(
    change.text,
    mentions.length > 0 ? JSON.stringify(mentions) : null,
    change.mentionsAll ? 1 : 0,
    ts,
    row.seq,
  );
  if (attachments !== row.attachments)
    statement(db, 'UPDATE messages SET attachments = ? WHERE seq = ?').run(attachments, row.seq);
  if (blocks !== storedBlocks) statement(db, 'UPDATE messages SET blocks = ? WHERE seq = ?').run(blocks, row.seq);
  if (actions !== row.actions) statement(db, 'UPDATE messages SET actions = ? WHERE seq = ?').run(actions, row.seq);
  return { kind: 'changed', newMentions: mentions.filter((id) => !before.has(id) && id !== row.sender_id) };
}

/** Cards as the messages table stores them: JSON, or NULL for none. */
function cardsJson(cards: readonly unknown[] | null): string | null {
  return cards && cards.length > 0 ? JSON.stringify(cards) : null;
}

/**
 * Scrubs the message down to a placeholder (who wrote it, when, who deleted it): text, mentions,
 * attachments, where it was forwarded from, its reactions, pin and files. The row stays, so
 * replies to it still quote it (as deleted). The database runs with secure_delete, so the old
 * bytes are zeroed in its pages; the store checkpoints the WAL soon after.
 */
function remove(db: Database, row: MessageRow, request: ChangeRequest): Step {
  if (row.deleted_at !== null) return { kind: 'unchanged' };
  statement(
    db,
    `UPDATE messages SET text = '', mentions = NULL, mentions_all = 0, attachments = NULL, blocks = NULL, actions = NULL, forwarded = NULL,
       edited_at = NULL, pinned_by = NULL, pinned_at = NULL, deleted_at = ?, deleted_by = ?
     WHERE seq = ?`,
  ).run(request.ts, request.actorId, row.seq);
  deleteAllReactions(db, row.seq);
  return { kind: 'changed', freedBlobs: detachDeletedFiles(db, row.seq) };
}

function react(
  db: Database,
  row: MessageRow,
  request: ChangeRequest,
  change: Extract<MessageChange, { kind: 'react' }>,
): Step {
  if (row.deleted_at !== null) return { kind: 'refused', reason: 'deleted' };
  const { emoji } = change;
  if (!change.on)
    return deleteReaction(db, row.seq, request.actorId, emoji) ? { kind: 'changed' } : { kind: 'unchanged' };
  if (hasReaction(db, row.seq, request.actorId, emoji)) return { kind: 'unchanged' };
  const put = insertReaction(db, {
    seq: row.seq,
    userId: request.actorId,
    emoji,
    ts: request.ts,
    maxEmoji: change.maxEmoji,
  });
  return put ? { kind: 'changed' } : { kind: 'refused', reason: 'too_many_reactions' };
}

function pin(db: Database, row: MessageRow, request: ChangeRequest, pinned: boolean): Step {
  if (row.deleted_at !== null) return { kind: 'refused', reason: 'deleted' };
  if (pinned === (row.pinned_at !== null)) return { kind: 'unchanged' };
  statement(db, 'UPDATE messages SET pinned_by = ?, pinned_at = ? WHERE seq = ?').run(
    pinned ? request.actorId : null,
    pinned ? request.ts : null,
    row.seq,
  );
  return { kind: 'changed' };
}
