import type { Message } from '../../../common/protocol/model.ts';
import type {
  AppendOutcome,
  AppendRequest,
  ChangeRequest,
  MessageStore,
  ReadState,
  StoredAudience,
} from '../MessageStore.ts';
import { enqueueBotDeliveries } from './botDeliveries.ts';
import { findConversation, setLastMessage } from './conversations.ts';
import { attachFiles, checkOwnFiles } from './files.ts';
import type { CheckedFiles } from './files.ts';
import { forwardCopy } from './forwards.ts';
import { findMember } from './members.ts';
import { audienceOf, refusalFor } from './messageAccess.ts';
import { applyChangeNow } from './messageChanges.ts';
import { indexMessage, unindexMessage } from './messageIndex.ts';
import { currentMessage, findMessageRow } from './messageRows.ts';
import { findUpdateByClientId, updatesSince } from './messageUpdates.ts';
import {
  findByClientId,
  lastSeq,
  messagesAfter,
  messagesBefore,
  messagesSince,
  pinnedMessages,
  tryInsertMessage,
} from './messages.ts';
import type { StoredNewMessage } from './messages.ts';
import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { advanceReadSeq, unreadCounts } from './reads.ts';
import { withReplyQuotes } from './replyQuotes.ts';
import { takeWriteTurn } from './streamPosition.ts';

/**
 * The PostgreSQL {@link MessageStore}. Every write is one transaction that takes the writers' turn
 * first (streamPosition.ts), so its checks see every earlier commit and seqs become visible in
 * order; each method resolves only after COMMIT.
 */
export function pgMessageStore(db: PgDatabase): MessageStore {
  const readState = async (q: PgQueryable, conversationId: number, userId: number): Promise<ReadState | undefined> => {
    const member = await findMember(q, conversationId, userId);
    const conversation = member && (await findConversation(q, conversationId));
    if (!member || !conversation) return undefined;
    const counts = await unreadCounts(q, conversationId, userId, member.read_seq, conversation.kind === 'direct');
    return { readSeq: member.read_seq, ...counts };
  };
  return {
    appendBatch: (batch) => db.tx((q) => appendAll(q, batch)),
    findByClientId: (senderId, clientId) => findByClientId(db, senderId, clientId),
    before: (conversationId, before, limit) => messagesBefore(db, conversationId, before, limit),
    after: (conversationId, after, limit) => messagesAfter(db, conversationId, after, limit),
    since: (userId, after, limit) => since(db, userId, after, limit),
    get: (seq) => currentMessage(db, seq),
    changedBy: async (actorId, clientId) => (await findUpdateByClientId(db, actorId, clientId))?.target_seq,
    applyChange: (request) => db.tx((q) => change(q, request)),
    pinned: (conversationId) => pinnedMessages(db, conversationId),
    lastSeq: () => lastSeq(db),
    advanceRead: (conversationId, userId, seq) =>
      db.tx(async (q) => {
        const conversation = await findConversation(q, conversationId);
        if (!conversation || !(await findMember(q, conversationId, userId))) return undefined;
        // One conditional UPDATE: it only ever moves the marker forward, whoever else moves it.
        const moved = await advanceReadSeq(q, conversationId, userId, Math.min(seq, conversation.last_seq));
        return { moved, ...(await readState(q, conversationId, userId))! };
      }),
    readState: (conversationId, userId) => readState(db, conversationId, userId),
  };
}

/** The batch inside its transaction: each message, then reply quotes and bot deliveries for all. */
async function appendAll(q: PgQueryable, batch: readonly AppendRequest[]): Promise<AppendOutcome[]> {
  // Before anything is read: the checks below then hold at commit, as under SQLite's write lock,
  // and a client id another node stored meanwhile is seen as a duplicate.
  await takeWriteTurn(q);
  // Members are read once per conversation per batch, not once per message.
  const audiences = new Map<number, StoredAudience>();
  const outcomes: AppendOutcome[] = [];
  for (const request of batch) outcomes.push(await appendOne(q, request, audiences));
  // Reply quotes for the whole batch in one go (the targets as they are at commit).
  const replies = outcomes.flatMap((outcome, i) =>
    outcome.kind === 'stored' && batch[i]!.replyTo !== undefined
      ? [[outcome.message, batch[i]!.replyTo!] as const]
      : [],
  );
  await withReplyQuotes(
    q,
    replies.map(([message]) => message),
    replies.map(([, target]) => target),
  );
  // Bots' callback deliveries commit with the messages (at-least-once across a crash).
  for (const [i, outcome] of outcomes.entries())
    if (outcome.kind === 'stored') await enqueueBotDeliveries(q, outcome.message, batch[i]!.ts);
  return outcomes;
}

/** Writes one message inside the batch transaction; logical refusals do not abort the batch. */
async function appendOne(
  q: PgQueryable,
  request: AppendRequest,
  audiences: Map<number, StoredAudience>,
): Promise<AppendOutcome> {
  // Also finds one stored earlier in this same batch: the transaction sees its own rows.
  const existing = await findByClientId(q, request.senderId, request.clientId);
  if (existing) return { kind: 'duplicate', message: existing };
  // Checked at commit time: the sender may have left in the same turn.
  const conversation = await findConversation(q, request.conversationId);
  const before = conversation && (await findMember(q, request.conversationId, request.senderId));
  if (!conversation) return { kind: 'refused', reason: 'not_found' };
  if (!before) return { kind: 'refused', reason: refusalFor(conversation) };
  if (request.replyTo !== undefined && !(await inConversation(q, request.replyTo, request.conversationId)))
    return { kind: 'refused', reason: 'bad_reply' };
  const { files: fileIds, forward, ...fields } = request;
  const stored: StoredNewMessage = fields;
  let checked: CheckedFiles | null = null;
  if (forward !== undefined) {
    const copy = await forwardCopy(q, request.senderId, forward);
    if (!copy) return { kind: 'refused', reason: 'bad_forward' };
    // A forward never pings anyone; the original's files are linked, whoever uploaded them.
    stored.text = copy.text;
    stored.mentions = [];
    stored.mentionsAll = false;
    stored.forwarded = copy.forwarded;
    if (copy.attachments) stored.attachments = JSON.parse(copy.attachments) as Message['attachments'];
    else delete stored.attachments;
    if (copy.blocks) stored.blocks = JSON.parse(copy.blocks) as Message['blocks'];
    else delete stored.blocks;
    checked = copy.files.rows.length > 0 ? copy.files : null;
  } else if (fileIds && fileIds.length > 0) {
    checked = await checkOwnFiles(q, request.senderId, fileIds);
    if (!checked.ok) return { kind: 'refused', reason: 'bad_file', fileId: checked.fileId };
  }
  const message = await tryInsertMessage(q, stored);
  // The UNIQUE constraint had the last word (a writer that skipped the turn): the stored one.
  if (!message) return { kind: 'duplicate', message: (await findByClientId(q, request.senderId, request.clientId))! };
  if (checked?.ok) message.files = await attachFiles(q, message.seq, checked);
  await setLastMessage(q, request.conversationId, message.seq, message.ts);
  let audience = audiences.get(conversation.id);
  if (!audience) {
    audience = await audienceOf(q, conversation);
    audiences.set(conversation.id, audience);
  }
  // Writing in a conversation means having read it up to there.
  await advanceReadSeq(q, request.conversationId, request.senderId, message.seq);
  return {
    kind: 'stored',
    message,
    audience,
    clearedUnread: before.read_seq < conversation.last_seq,
    isDirect: conversation.kind === 'direct',
  };
}

/** One change inside its transaction, with the search index following an edit or a delete. */
async function change(q: PgQueryable, request: ChangeRequest) {
  await takeWriteTurn(q);
  const kind = request.change.kind;
  const old = kind === 'edit' || kind === 'delete' ? await findMessageRow(q, request.seq) : undefined;
  const outcome = await applyChangeNow(q, request);
  // The old text's terms out, an edit's new text in. `applied` is never a repeat, so the changed
  // message is request.seq.
  if (outcome.kind === 'applied' && old && old.deleted_at === null) {
    const indexed = { seq: old.seq, kind: old.kind, conversationId: old.conversation_id, senderId: old.sender_id };
    await unindexMessage(q, indexed, old.text);
    if (kind === 'edit') await indexMessage(q, indexed, outcome.update.message.text);
  }
  return outcome;
}

/** Messages and updates after `since` of one moment (a REPEATABLE READ snapshot), together at most limit + 1. */
function since(db: PgDatabase, userId: number, after: number, limit: number) {
  return db.tx(async (q) => {
    await q.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const messages = await messagesSince(q, userId, after, limit);
    const updates = await updatesSince(q, userId, after, limit);
    // Together at most limit + 1 items: the lowest seqs of both.
    const seqs = [...messages.map((m) => m.seq), ...updates.map((u) => u.seq)].sort((a, b) => a - b);
    if (seqs.length <= limit + 1) return { messages, updates };
    const highest = seqs[limit]!;
    return { messages: messages.filter((m) => m.seq <= highest), updates: updates.filter((u) => u.seq <= highest) };
  });
}

/** Whether message `seq` exists in this conversation (a reply's target). */
async function inConversation(q: PgQueryable, seq: number, conversationId: number): Promise<boolean> {
  return (
    (await q.one('SELECT 1 FROM messages WHERE seq = $1 AND conversation_id = $2', [seq, conversationId])) !== undefined
  );
}
