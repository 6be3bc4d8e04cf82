import type { ChangeOutcome, ChangeRequest, MessageChange } from '../MessageStore.ts';
import { findConversation } from './conversations.ts';
import { detachDeletedFiles } from './files.ts';
import { audienceOf, mayUseConversation, refusalFor } from './messageAccess.ts';
import { currentMessage, findMessageRow } from './messageRows.ts';
import { findUpdateByClientId, insertUpdate, takeSeq, toUpdate } from './messageUpdates.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { deleteAllReactions, deleteReaction, hasReaction, insertReaction } from './reactions.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/** What one kind of change did to the row: nothing, a refusal, or a change to record as an update. */
type Step =
  | { kind: 'unchanged' }
  | { kind: 'refused'; reason: 'deleted' | 'too_many_reactions' }
  | { kind: 'changed'; newMentions?: number[]; freedBlobs?: string[] };

/**
 * Applies one change inside the caller's write transaction (see MessageStore.applyChange), which
 * took the writers' turn first (streamPosition.ts: takeWriteTurn), so what is read here is what
 * the change commits over: the message (for a repeated client id: the one the first call
 * changed), the actor's right to its conversation, then a repeat answers the message as it is
 * now; else the rules the state decides, the change itself, its update row in the one sequence,
 * and the message's `rev`.
 */
export async function applyChangeNow(q: PgQueryable, request: ChangeRequest): Promise<ChangeOutcome> {
  const previous = await findUpdateByClientId(q, request.actorId, request.clientId);
  const row = await findMessageRow(q, previous ? previous.target_seq : request.seq);
  const conversation = row && (await findConversation(q, row.conversation_id));
  if (!row || !conversation) return { kind: 'refused', reason: 'not_found' };
  // Checked at commit time: the actor may have left (or been removed) since the operation looked.
  // A repeat is checked too: the message as it is now is for members only.
  if (!(await mayUseConversation(q, conversation, request.actorId)))
    return { kind: 'refused', reason: refusalFor(conversation) };
  if (previous) return { kind: 'duplicate', message: (await currentMessage(q, row.seq))! };
  const step = await changeRow(q, row, request, request.change);
  if (step.kind === 'unchanged') return { kind: 'unchanged', message: (await currentMessage(q, row.seq))! };
  if (step.kind === 'refused') return step;
  const seq = await takeSeq(q);
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
  await insertUpdate(q, updateRow);
  await q.run('UPDATE messages SET rev = $1 WHERE seq = $2', [seq, row.seq]);
  return {
    kind: 'applied',
    update: toUpdate(updateRow, (await currentMessage(q, row.seq))!),
    audience: await audienceOf(q, conversation),
    freedBlobs: step.freedBlobs ?? [],
  };
}

function changeRow(q: PgQueryable, row: MessageRow, request: ChangeRequest, change: MessageChange): Promise<Step> {
  switch (change.kind) {
    case 'edit':
      return edit(q, row, request.ts, change);
    case 'delete':
      return remove(q, row, request);
    case 'react':
      return react(q, row, request, change);
    case 'pin':
      return pin(q, row, request, change.pinned);
  }
}

/**
 * New text and mentions, and with a replace the cards (attachments, blocks: stored as JSON, none
 * as NULL, as a new message stores them); nothing when all of them are as stored. `newMentions`:
 * mentioned now and not before, never the author.
 */
async function edit(
  q: PgQueryable,
  row: MessageRow,
  ts: number,
  change: Extract<MessageChange, { kind: 'edit' }>,
): Promise<Step> {
  if (row.deleted_at !== null) return { kind: 'refused', reason: 'deleted' };
  const attachments = change.attachments === undefined ? row.attachments : cardsJson(change.attachments);
  const blocks = change.blocks === undefined ? row.blocks : cardsJson(change.blocks);
  const actions = change.actions === undefined ? row.actions : cardsJson(change.actions);
  if (change.text === row.text && attachments === row.attachments && blocks === row.blocks && actions === row.actions)
    return { kind: 'unchanged' };
  const before = new Set(row.mentions === null ? [] : (JSON.parse(row.mentions) as number[]));
  const mentions = [...new Set(change.mentions)];
  // One statement: unchanged cards are written back as they were.
  await q.run(
    `UPDATE messages SET text = $1, mentions = $2, mentions_all = $3, edited_at = $4, attachments = $5, blocks = $6, actions = $7
     WHERE seq = $8`,
    [
      change.text,
      mentions.length > 0 ? JSON.stringify(mentions) : null,
      change.mentionsAll ? 1 : 0,
      ts,
      attachments,
      blocks,
      actions,
      row.seq,
    ],
  );
  return { kind: 'changed', newMentions: mentions.filter((id) => !before.has(id) && id !== row.sender_id) };
}

/** Cards as the messages table stores them: JSON, or NULL for none. */
function cardsJson(cards: readonly unknown[] | null): string | null {
  return cards && cards.length > 0 ? JSON.stringify(cards) : null;
}

/**
 * Scrubs the message down to a placeholder (who wrote it, when, who deleted it): text, mentions,
 * attachments, where it was forwarded from, its reactions, pin and files. The row stays, so
 * replies to it still quote it (as deleted). PostgreSQL keeps the old row version until VACUUM
 * reclaims it (there is no secure_delete): see the ops notes of issue 20.
 */
async function remove(q: PgQueryable, row: MessageRow, request: ChangeRequest): Promise<Step> {
  if (row.deleted_at !== null) return { kind: 'unchanged' };
  await q.run(
    `UPDATE messages SET text = '', mentions = NULL, mentions_all = 0, attachments = NULL, blocks = NULL, actions = NULL, forwarded = NULL,
       edited_at = NULL, pinned_by = NULL, pinned_at = NULL, deleted_at = $1, deleted_by = $2
     WHERE seq = $3`,
    [request.ts, request.actorId, row.seq],
  );
  await deleteAllReactions(q, row.seq);
  return { kind: 'changed', freedBlobs: await detachDeletedFiles(q, row.seq) };
}

async function react(
  q: PgQueryable,
  row: MessageRow,
  request: ChangeRequest,
  change: Extract<MessageChange, { kind: 'react' }>,
): Promise<Step> {
  if (row.deleted_at !== null) return { kind: 'refused', reason: 'deleted' };
  const { emoji } = change;
  if (!change.on)
    return (await deleteReaction(q, row.seq, request.actorId, emoji)) ? { kind: 'changed' } : { kind: 'unchanged' };
  if (await hasReaction(q, row.seq, request.actorId, emoji)) return { kind: 'unchanged' };
  const put = await insertReaction(q, {
    seq: row.seq,
    userId: request.actorId,
    emoji,
    ts: request.ts,
    maxEmoji: change.maxEmoji,
  });
  return put ? { kind: 'changed' } : { kind: 'refused', reason: 'too_many_reactions' };
}

async function pin(q: PgQueryable, row: MessageRow, request: ChangeRequest, pinned: boolean): Promise<Step> {
  if (row.deleted_at !== null) return { kind: 'refused', reason: 'deleted' };
  if (pinned === (row.pinned_at !== null)) return { kind: 'unchanged' };
  await q.run('UPDATE messages SET pinned_by = $1, pinned_at = $2 WHERE seq = $3', [
    pinned ? request.actorId : null,
    pinned ? request.ts : null,
    row.seq,
  ]);
  return { kind: 'changed' };
}
