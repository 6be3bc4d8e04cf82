import type { Database } from 'better-sqlite3';
import { findConversation, setLastMessage } from './conversations.ts';
import type { ConversationRow } from './conversations.ts';
import { findMember, memberIds } from './members.ts';
import { attachFiles, checkOwnFiles } from './files.ts';
import { findByClientId, insertMessage, lastSeq, messagesBefore, messagesSince } from './messages.ts';
import type { AppendOutcome, AppendRequest, MessageStore, ReadState, StoredAudience } from '../MessageStore.ts';
import { advanceReadSeq, unreadCounts } from './reads.ts';

/** The SQLite {@link MessageStore}: synchronous statements, each method one transaction at most. */
export function sqliteMessageStore(db: Database): MessageStore {
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
    return batch.map((request) => appendOne(db, request, audiences));
  });
  const advance = db.transaction((conversationId: number, userId: number, seq: number) => {
    const conversation = findConversation(db, conversationId);
    if (!conversation || !findMember(db, conversationId, userId)) return undefined;
    const moved = advanceReadSeq(db, conversationId, userId, Math.min(seq, conversation.last_seq));
    return { moved, ...readState(conversationId, userId)! };
  });
  return {
    appendBatch: async (batch) => appendAll.immediate(batch),
    findByClientId: async (senderId, clientId) => findByClientId(db, senderId, clientId),
    before: async (conversationId, before, limit) => messagesBefore(db, conversationId, before, limit),
    since: async (userId, since, limit) => messagesSince(db, userId, since, limit),
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
  if (!before) return { kind: 'refused', reason: isPublic(conversation) ? 'not_member' : 'not_found' };
  const { files: fileIds, ...fields } = request;
  const checked = fileIds && fileIds.length > 0 ? checkOwnFiles(db, request.senderId, fileIds) : null;
  if (checked && !checked.ok) return { kind: 'refused', reason: 'bad_file', fileId: checked.fileId };
  const message = insertMessage(db, fields);
  if (checked) message.files = attachFiles(db, message.seq, checked);
  setLastMessage(db, request.conversationId, message.seq, message.ts);
  let audience = audiences.get(conversation.id);
  if (!audience) {
    audience = conversation.kind === 'general' ? 'everyone' : memberIds(db, conversation.id);
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

/** Conversations anyone may know exist: open rooms that are not archived, and the general room. */
function isPublic(conversation: ConversationRow): boolean {
  return (conversation.kind === 'open' && conversation.archived === 0) || conversation.kind === 'general';
}
