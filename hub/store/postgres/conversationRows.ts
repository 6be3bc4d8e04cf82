import { randomUUID } from 'node:crypto';
import type { Conversation, Message, SystemEvent } from '../../../common/protocol/model.ts';
import type { ConversationRecord, MemberView } from '../ConversationStore.ts';
import type { StoredAudience } from '../MessageStore.ts';
import type { PgQueryable } from './PgDatabase.ts';
import type { ConversationRow, MemberConversationRow } from './conversations.ts';
import { findMemberConversation, setLastMessage } from './conversations.ts';
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

/**
 * A conversation as the member it was read for sees it. `now` decides whether a timed mute is
 * still on: a mute past its time reads as not muted (nothing clears it when it runs out).
 */
export function toConversation(row: MemberConversationRow, now: number = Date.now()): Conversation {
  const direct = row.kind === 'direct';
  const conversation: Conversation = {
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
    ...peerReceipts(row),
  };
  if (row.notify) conversation.notify = row.notify;
  if (row.muted === 1 && (row.muted_until === null || row.muted_until > now)) conversation.mutedUntil = row.muted_until;
  return conversation;
}

/** ✓ / ✓✓ of a direct conversation, only when both people have read receipts on (S6). */
function peerReceipts(row: MemberConversationRow): { peerReadSeq?: number; peerReceivedSeq?: number } {
  if (row.kind !== 'direct' || row.receipts_on !== 1) return {};
  const read = row.peer_read_seq ?? 0;
  // Whatever was read was received too, whichever report came first.
  return { peerReadSeq: read, peerReceivedSeq: Math.max(read, row.peer_received_seq ?? 0) };
}

/** The conversation as each of these users sees it (skipping anyone who is not a member). */
export async function memberViews(
  q: PgQueryable,
  conversationId: number,
  userIds: readonly number[],
): Promise<MemberView[]> {
  const views: MemberView[] = [];
  for (const userId of userIds) {
    const row = await findMemberConversation(q, conversationId, userId);
    if (row) views.push({ userId, conversation: toConversation(row) });
  }
  return views;
}

/** Who hears a conversation's messages: everyone for the general room, else these members. */
export function audienceOf(row: ConversationRow, members: readonly number[]): StoredAudience {
  return row.kind === 'general' ? 'everyone' : members;
}

/**
 * Stores a system message (membership or room change), sequenced like any other message (its seq
 * from the shared counter, through the messages area's insertMessage). Its client id has a `sys:`
 * prefix that client ids cannot have, so it never collides. Runs inside the transaction that makes
 * the change.
 */
export async function insertSystemMessage(
  q: PgQueryable,
  conversationId: number,
  system: SystemEvent,
  ts: number,
): Promise<Message> {
  const message = await insertMessage(q, {
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
  await setLastMessage(q, conversationId, message.seq, ts);
  return message;
}
