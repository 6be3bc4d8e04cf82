// The `conversations` table's row, a member's view of it, and how they become what the store
// hands out: the same for every store (the PostgreSQL tables are SQLite's).
import type { Conversation, ConversationKind } from '../../../common/protocol/model.ts';
import type { ConversationRecord } from '../ConversationStore.ts';
import type { StoredAudience } from '../MessageStore.ts';

/** A row of the `conversations` table. */
export interface ConversationRow {
  id: number;
  kind: ConversationKind;
  name: string;
  name_key: string | null;
  topic: string;
  owner_id: number | null;
  direct_low: number | null;
  direct_high: number | null;
  archived: number;
  created_at: number;
  last_seq: number;
  last_ts: number;
  /** Rooms only (migration 8): who may pin. */
  pin_rule: 'members' | 'owners';
}

/**
 * A conversation as one member sees it: the row plus the member's read marker, the member count,
 * the unread counters and, for a direct conversation, the other person.
 */
export interface MemberConversationRow extends ConversationRow {
  read_seq: number;
  member_count: number;
  unread: number;
  mention_count: number;
  peer_id: number | null;
  peer_name: string | null;
  /**
   * Direct conversations (read receipts, S6): 1 when both the viewer and the peer have receipts
   * on, the peer's read marker here and the newest seq the peer's devices received.
   */
  receipts_on: number | null;
  peer_read_seq: number | null;
  peer_received_seq: number | null;
  /** The viewer's notification level (NULL: the default) and mute (see members.muted). */
  notify: 'all' | 'mentions' | 'none' | null;
  muted: number;
  muted_until: number | null;
}

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

/** Who hears a conversation's messages: everyone for the general room, else these members. */
export function audienceOf(row: ConversationRow, members: readonly number[]): StoredAudience {
  return row.kind === 'general' ? 'everyone' : members;
}
