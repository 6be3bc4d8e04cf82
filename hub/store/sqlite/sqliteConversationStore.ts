import type { Database } from 'better-sqlite3';
import type { ConversationStore, MemberView, RoomOutcome } from '../ConversationStore.ts';
import {
  browseRooms,
  findConversation,
  findDirect,
  findMemberConversation,
  findRoomIdsByNameKey,
  generalRoomId,
  insertDirect,
  listMemberConversations,
} from './conversations.ts';
import { addMember, findMember, listMembers, memberIds } from './members.ts';
import { findUserById } from './users.ts';
import { memberViews } from './conversationRows.ts';
import { setMemberNotify } from './memberNotify.ts';
import { addMembers, createRoom, refused, removeOne, transferOwnership, updateRoom } from './roomChanges.ts';
import { toConversation, toRecord } from '../rows/conversationRow.ts';

type Opened = RoomOutcome<{ kind: 'opened'; conversationId: number; created: boolean; views: MemberView[] }>;

/**
 * The SQLite {@link ConversationStore}: reads are single statements; every change is one
 * IMMEDIATE transaction (the write lock up front, so another connection makes us wait out the
 * busy timeout rather than fail an upgrade from a read transaction).
 */
export function sqliteConversationStore(db: Database): ConversationStore {
  const create = db.transaction(createRoom);
  const add = db.transaction(addMembers);
  const remove = db.transaction(removeOne);
  const update = db.transaction(updateRoom);
  const transfer = db.transaction(transferOwnership);
  const notify = db.transaction(setMemberNotify);
  const direct = db.transaction((userId: number, otherId: number, now: number): Opened => {
    if (!findUserById(db, otherId)) return refused('no_such_user');
    const existing = findDirect(db, userId, otherId);
    if (existing) return { kind: 'opened', conversationId: existing.id, created: false, views: [] };
    const id = insertDirect(db, userId, otherId, now);
    addMember(db, id, userId, now, 0);
    addMember(db, id, otherId, now, 0);
    return { kind: 'opened', conversationId: id, created: true, views: memberViews(db, id, [userId, otherId]) };
  });
  return {
    generalRoomId: async () => generalRoomId(db),
    find: async (conversationId) => {
      const row = findConversation(db, conversationId);
      return row && toRecord(row);
    },
    membership: async (conversationId, userId) => {
      const row = findConversation(db, conversationId);
      if (!row) return undefined;
      const member = findMember(db, conversationId, userId);
      return {
        conversation: toRecord(row),
        member: member && { userId, joinedAt: member.joined_at, readSeq: member.read_seq },
      };
    },
    memberIds: async (conversationId) => memberIds(db, conversationId),
    members: async (conversationId) =>
      listMembers(db, conversationId).map((m) => ({ userId: m.user_id, joinedAt: m.joined_at, readSeq: m.read_seq })),
    view: async (conversationId, userId) => {
      const row = findMemberConversation(db, conversationId, userId);
      return row && toConversation(row);
    },
    listFor: async (userId) => listMemberConversations(db, userId).map((row) => toConversation(row)),
    browse: async (viewerId, queryKey, limit) =>
      browseRooms(db, viewerId, queryKey, limit).map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        topic: r.topic,
        memberCount: r.member_count,
        joined: r.joined === 1,
      })),
    roomIdsByNameKey: async (nameKey) => findRoomIdsByNameKey(db, nameKey),
    createRoom: async (room, now) => create.immediate(db, room, now),
    addMembers: async (conversationId, userIds, how, now) => add.immediate(db, conversationId, userIds, how, now),
    removeMember: async (conversationId, userId, how, now) => remove.immediate(db, conversationId, userId, how, now),
    updateRoom: async (conversationId, change, now) => update.immediate(db, conversationId, change, now),
    transferOwnership: async (conversationId, actorId, toUserId, now) =>
      transfer.immediate(db, conversationId, actorId, toUserId, now),
    openDirect: async (userId, otherId, now) => direct.immediate(userId, otherId, now),
    setNotify: async (conversationId, userId, change, now) => notify.immediate(db, conversationId, userId, change, now),
  };
}
