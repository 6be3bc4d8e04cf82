import type { ConversationStore, MemberView, RoomOutcome } from '../ConversationStore.ts';
import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
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
import { memberViews } from './conversationRows.ts';
import { integrationTx } from './integrationTx.ts';
import { setMemberNotify } from './memberNotify.ts';
import { addMember, findMember, listMembers, memberIds } from './members.ts';
import { addMembers, createRoom, refused, removeOne, transferOwnership, updateRoom } from './roomChanges.ts';
import { findUserById } from './users.ts';
import { toConversation, toRecord } from '../rows/conversationRow.ts';

type Opened = RoomOutcome<{ kind: 'opened'; conversationId: number; created: boolean; views: MemberView[] }>;

async function openDirect(q: PgQueryable, userId: number, otherId: number, now: number): Promise<Opened> {
  if (!(await findUserById(q, otherId))) return refused('no_such_user');
  const existing = await findDirect(q, userId, otherId);
  if (existing) return { kind: 'opened', conversationId: existing.id, created: false, views: [] };
  // Two first messages at once: integrationTx's writers' turn runs them one after the other, so the
  // second finds the first's conversation; should the insert still break UNIQUE (direct_low,
  // direct_high), integrationTx runs this again and it finds the winner's.
  const id = await insertDirect(q, userId, otherId, now);
  await addMember(q, id, userId, now, 0);
  await addMember(q, id, otherId, now, 0);
  return { kind: 'opened', conversationId: id, created: true, views: await memberViews(q, id, [userId, otherId]) };
}

/**
 * The PostgreSQL {@link ConversationStore}: reads run on the pool; every change is one
 * transaction that first takes the writers' turn (see takeWriteTurn) and is run again from the
 * start when it lost a race to a writer that does not take it (a unique violation, a deadlock:
 * see integrationTx), so it answers as SQLite's serial writes would.
 */
export function pgConversationStore(db: PgDatabase): ConversationStore {
  return {
    generalRoomId: () => generalRoomId(db),
    find: async (conversationId) => {
      const row = await findConversation(db, conversationId);
      return row && toRecord(row);
    },
    membership: async (conversationId, userId) => {
      const row = await findConversation(db, conversationId);
      if (!row) return undefined;
      const member = await findMember(db, conversationId, userId);
      return {
        conversation: toRecord(row),
        member: member && { userId, joinedAt: member.joined_at, readSeq: member.read_seq },
      };
    },
    memberIds: (conversationId) => memberIds(db, conversationId),
    members: async (conversationId) =>
      (await listMembers(db, conversationId)).map((m) => ({
        userId: m.user_id,
        joinedAt: m.joined_at,
        readSeq: m.read_seq,
      })),
    view: async (conversationId, userId) => {
      const row = await findMemberConversation(db, conversationId, userId);
      return row && toConversation(row);
    },
    listFor: async (userId) => (await listMemberConversations(db, userId)).map((row) => toConversation(row)),
    browse: async (viewerId, queryKey, limit) =>
      (await browseRooms(db, viewerId, queryKey, limit)).map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        topic: r.topic,
        memberCount: r.member_count,
        joined: r.joined === 1,
      })),
    roomIdsByNameKey: (nameKey) => findRoomIdsByNameKey(db, nameKey),
    createRoom: (room, now) => integrationTx(db, (q) => createRoom(q, room, now)),
    addMembers: (conversationId, userIds, how, now) =>
      integrationTx(db, (q) => addMembers(q, conversationId, userIds, how, now)),
    removeMember: (conversationId, userId, how, now) =>
      integrationTx(db, (q) => removeOne(q, conversationId, userId, how, now)),
    updateRoom: (conversationId, change, now) => integrationTx(db, (q) => updateRoom(q, conversationId, change, now)),
    transferOwnership: (conversationId, actorId, toUserId, now) =>
      integrationTx(db, (q) => transferOwnership(q, conversationId, actorId, toUserId, now)),
    openDirect: (userId, otherId, now) => integrationTx(db, (q) => openDirect(q, userId, otherId, now)),
    setNotify: (conversationId, userId, change, now) =>
      integrationTx(db, (q) => setMemberNotify(q, conversationId, userId, change, now)),
  };
}
