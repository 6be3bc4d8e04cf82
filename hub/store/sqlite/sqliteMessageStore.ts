import type { Database } from 'better-sqlite3';
import type { Message } from '../../../common/protocol/model.ts';
import { findConversation, setLastMessage } from './conversations.ts';
import { enqueueBotDeliveries } from './botDeliveries.ts';
import { findMember } from './members.ts';
import { attachFiles, checkOwnFiles } from './files.ts';
import type { CheckedFiles } from './files.ts';
import { forwardCopy } from './forwards.ts';
import { audienceOf, refusalFor } from './messageAccess.ts';
import { applyChangeNow } from './messageChanges.ts';
import { indexMessage, unindexMessage } from './messageIndex.ts';
import { currentMessage, findMessageRow } from './messageRows.ts';
import { findUpdateByClientId, updatesSince } from './messageUpdates.ts';
import {
  findByClientId,
  insertMessage,
  lastSeq,
  messagesAfter,
  messagesBefore,
  messagesSince,
  pinnedMessages,
} from './messages.ts';
import type { StoredNewMessage } from './messages.ts';
import type {
  AppendOutcome,
  AppendRequest,
  ChangeRequest,
  MessageStore,
  ReadState,
  StoredAudience,
} from '../MessageStore.ts';
import { advanceReadSeq, unreadCounts } from './reads.ts';
import { withReplyQuotes } from './replyQuotes.ts';
import { statement } from './statement.ts';
import type { WalCheckpointer } from './walCheckpoint.ts';

/**
 * The SQLite {@link MessageStore}: synchronous statements, each method one transaction at most.
 * `checkpointer` is asked for a WAL checkpoint after a delete or an edit, so the old text leaves
 * the -wal file soon (see walCheckpoint.ts).
 */
export function sqliteMessageStore(db: Database, checkpointer?: WalCheckpointer): MessageStore {
  const readState = (conversationId: number, userId: number): ReadState | undefined => {
    const member = findMember(db, conversationId, userId);
    const conversation = member && findConversation(db, conversationId);
    if (!member || !conversation) return undefined;
    const counts = unreadCounts(db, conversationId, userId, member.read_seq, conversation.kind === 'direct');
    return { readSeq: member.read_seq, ...counts };
  };
  // IMMEDIATE takes the write lock up front, so another connection (the admin CLI) makes us wait
  // out the busy timeout instead of failing the upgrade from a read transaction.
  const appendAll = db.transaction((batch: readonly AppendRequest[]) => {
    // Members are read once per conversation per batch, not once per message.
    const audiences = new Map<number, StoredAudience>();
    const outcomes = batch.map((request) => appendOne(db, request, audiences));
    // Reply quotes for the whole batch in one go (the targets as they are at commit).
    const replies = outcomes.flatMap((outcome, i) =>
      outcome.kind === 'stored' && batch[i]!.replyTo !== undefined
        ? [[outcome.message, batch[i]!.replyTo!] as const]
        : [],
    );
    withReplyQuotes(
      db,
      replies.map(([message]) => message),
      replies.map(([, target]) => target),
    );
    // Bots' callback deliveries commit with the messages (at-least-once across a crash).
    outcomes.forEach((outcome, i) => {
      if (outcome.kind === 'stored') enqueueBotDeliveries(db, outcome.message, batch[i]!.ts);
    });
    return outcomes;
  });
  const advance = db.transaction((conversationId: number, userId: number, seq: number) => {
    const conversation = findConversation(db, conversationId);
    if (!conversation || !findMember(db, conversationId, userId)) return undefined;
    const moved = advanceReadSeq(db, conversationId, userId, Math.min(seq, conversation.last_seq));
    return { moved, ...readState(conversationId, userId)! };
  });
  const change = db.transaction((request: ChangeRequest) => {
    const kind = request.change.kind;
    const old = kind === 'edit' || kind === 'delete' ? findMessageRow(db, request.seq) : undefined;
    const outcome = applyChangeNow(db, request);
    // The search index follows in the same transaction: the old text's terms out (recomputed from
    // it: the index is contentless), an edit's new text in. `applied` is never a repeat, so the
    // changed message is request.seq.
    if (outcome.kind === 'applied' && old && old.deleted_at === null) {
      const indexed = { seq: old.seq, kind: old.kind, conversationId: old.conversation_id, senderId: old.sender_id };
      unindexMessage(db, indexed, old.text);
      if (kind === 'edit') indexMessage(db, indexed, outcome.update.message.text);
    }
    return outcome;
  });
  // One read transaction, so messages and updates are of the same moment.
  const since = db.transaction((userId: number, after: number, limit: number) => {
    const messages = messagesSince(db, userId, after, limit);
    const updates = updatesSince(db, userId, after, limit);
    // Together at most limit + 1 items: the lowest seqs of both.
    const seqs = [...messages.map((m) => m.seq), ...updates.map((u) => u.seq)].sort((a, b) => a - b);
    if (seqs.length <= limit + 1) return { messages, updates };
    const highest = seqs[limit]!;
    return { messages: messages.filter((m) => m.seq <= highest), updates: updates.filter((u) => u.seq <= highest) };
  });
  return {
    appendBatch: async (batch) => appendAll.immediate(batch),
    findByClientId: async (senderId, clientId) => findByClientId(db, senderId, clientId),
    before: async (conversationId, before, limit) => messagesBefore(db, conversationId, before, limit),
    after: async (conversationId, after, limit) => messagesAfter(db, conversationId, after, limit),
    since: async (userId, after, limit) => since.deferred(userId, after, limit),
    get: async (seq) => currentMessage(db, seq),
    changedBy: async (actorId, clientId) => findUpdateByClientId(db, actorId, clientId)?.target_seq,
    async applyChange(request) {
      const outcome = change.immediate(request);
      const kind = request.change.kind;
      if (outcome.kind === 'applied' && (kind === 'delete' || kind === 'edit')) checkpointer?.request();
      return outcome;
    },
    pinned: async (conversationId) => pinnedMessages(db, conversationId),
    lastSeq: async () => lastSeq(db),
    advanceRead: async (conversationId, userId, seq) => advance.immediate(conversationId, userId, seq),
    readState: async (conversationId, userId) => readState(conversationId, userId),
  };
}

/** Writes one message inside the batch transaction; logical refusals do not abort the batch. */
function appendOne(db: Database, request: AppendRequest, audiences: Map<number, StoredAudience>): AppendOutcome {
  const existing = findByClientId(db, request.senderId, request.clientId);
  if (existing) return { kind: 'duplicate', message: existing };
  // Checked at commit time: the sender may have left in the same turn.
  const conversation = findConversation(db, request.conversationId);
  const before = conversation && findMember(db, request.conversationId, request.senderId);
  if (!conversation) return { kind: 'refused', reason: 'not_found' };
  if (!before) return { kind: 'refused', reason: refusalFor(conversation) };
  if (request.replyTo !== undefined && !inConversation(db, request.replyTo, request.conversationId))
    return { kind: 'refused', reason: 'bad_reply' };
  const { files: fileIds, forward, ...fields } = request;
  const stored: StoredNewMessage = fields;
  let checked: CheckedFiles | null = null;
  if (forward !== undefined) {
    const copy = forwardCopy(db, request.senderId, forward);
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
    checked = checkOwnFiles(db, request.senderId, fileIds);
    if (!checked.ok) return { kind: 'refused', reason: 'bad_file', fileId: checked.fileId };
  }
  const message = insertMessage(db, stored);
  if (checked?.ok) message.files = attachFiles(db, message.seq, checked);
  setLastMessage(db, request.conversationId, message.seq, message.ts);
  let audience = audiences.get(conversation.id);
  if (!audience) {
    audience = audienceOf(db, conversation);
    audiences.set(conversation.id, audience);
  }
  // Writing in a conversation means having read it up to there.
  advanceReadSeq(db, request.conversationId, request.senderId, message.seq);
  return {
    kind: 'stored',
    message,
    audience,
    clearedUnread: before.read_seq < conversation.last_seq,
    isDirect: conversation.kind === 'direct',
  };
}

/** Whether message `seq` exists in this conversation (a reply's target). */
function inConversation(db: Database, seq: number, conversationId: number): boolean {
  return (
    statement(db, 'SELECT 1 FROM messages WHERE seq = ? AND conversation_id = ?').get(seq, conversationId) !== undefined
  );
}
