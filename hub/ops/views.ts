import type { Conversation, User } from '../../common/protocol/model.ts';
import type { MemberConversationRow } from '../store/conversations.ts';
import type { UserRow } from '../store/users.ts';
import type { AccountInfo } from './Hub.ts';
import type { Presence } from './Presence.ts';

/** A user as every signed-in user sees them, with live presence. */
export function toUser(row: UserRow, presence: Presence): User {
  return {
    id: row.id,
    login: row.login,
    name: row.name,
    branch: row.branch,
    isBot: row.is_bot === 1,
    isAdmin: row.is_admin === 1,
    disabled: row.disabled === 1,
    presence: row.disabled === 1 ? 'offline' : presence.statusOf(row.id),
    lastSeen: presence.lastSeenOf(row.id, row.last_seen),
  };
}

/** A user as the admin CLI sees them. */
export function toAccountInfo(row: UserRow, presence: Presence): AccountInfo {
  return { ...toUser(row, presence), email: row.email, createdAt: row.created_at };
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
  };
}
