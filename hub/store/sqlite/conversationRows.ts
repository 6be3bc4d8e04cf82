import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Conversation, Message, SystemEvent } from '../../../common/protocol/model.ts';
import type { ConversationRecord, MemberView } from '../ConversationStore.ts';
import type { ConversationRow, MemberConversationRow } from './conversations.ts';
import { findMemberConversation, setLastMessage } from './conversations.ts';
import type { StoredAudience } from '../MessageStore.ts';
import { insertMessage } from './messages.ts';

/** A conversation row as the store hands it out. */
export function toRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    topic: row.topic,
    ownerId: row.owner_id,
    archived: row.archived === 1,
    lastSeq: row.last_seq,
    pinRule: pinRuleOf(row),
  };
}

/** Who may pin: the general room's administrators, both people of a direct conversation, a room's setting. */
function pinRuleOf(row: ConversationRow): 'members' | 'owners' {
  if (row.kind === 'general') return 'owners';
  if (row.kind === 'direct') return 'members';
  return row.pin_rule;
}

/** A conversation as the member it was read for sees it. */
export function toConversation(row: MemberConversationRow): Conversation {
  const direct = row.kind === 'direct';
  return {
    id: row.id,
    kind: row.kind,
    name: direct ? (row.peer_name ?? '') : row.name,
    topic: row.topic,
    ownerId: row.kind === 'open' || row.kind === 'closed' ? row.owner_id : null,
    peerId: direct ? row.peer_id : null,
    memberCount: row.member_count,
    archived: row.archived === 1,
    createdAt: row.created_at,
    lastSeq: row.last_seq,
    lastTs: row.last_ts,
    readSeq: row.read_seq,
    unread: row.unread,
    mentions: row.mention_count,
    pinRule: pinRuleOf(row),
  };
}

/** The conversation as each of these users sees it (skipping anyone who is not a member). */
export function memberViews(db: Database, conversationId: number, userIds: readonly number[]): MemberView[] {
  const views: MemberView[] = [];
  for (const userId of userIds) {
    const row = findMemberConversation(db, conversationId, userId);
    if (row) views.push({ userId, conversation: toConversation(row) });
  }
  return views;
}

/** Who hears a conversation's messages: everyone for the general room, else these members. */
export function audienceOf(row: ConversationRow, members: readonly number[]): StoredAudience {
  return row.kind === 'general' ? 'everyone' : members;
}

/**
 * Stores a system message (membership or room change), sequenced like any other message. Its
 * client id has a `sys:` prefix that client ids cannot have, so it never collides. Runs inside
 * the transaction that makes the change.
 */
export function insertSystemMessage(db: Database, conversationId: number, system: SystemEvent, ts: number): Message {
  const message = insertMessage(db, {
    conversationId,
    senderId: system.actorId,
    clientId: `sys:${randomUUID()}`,
    kind: 'system',
    text: '',
    ts,
    mentions: [],
    mentionsAll: false,
    system,
  });
  setLastMessage(db, conversationId, message.seq, ts);
  return message;
}
