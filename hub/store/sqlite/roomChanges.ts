import type { Database } from 'better-sqlite3';
import type { Message, SystemEvent } from '../../../common/protocol/model.ts';
import type {
  Addition,
  NewRoom,
  Removal,
  RoomChange,
  RoomOutcome,
  RoomRefusal,
  RoomUpdate,
} from '../ConversationStore.ts';
import {
  archiveRoom,
  findConversation,
  findRoomIdByNameKey,
  insertRoom,
  setRoomName,
  setRoomOwner,
  setRoomPinRule,
  setRoomTopic,
} from './conversations.ts';
import { addMember, findMember, longestStandingMember, memberIds, removeMember } from './members.ts';
import { advanceReadSeq } from './reads.ts';
import { findUsersByIds } from './users.ts';
import { insertSystemMessage, memberViews } from './conversationRows.ts';
import { type ConversationRow, audienceOf } from '../rows/conversationRow.ts';

// Each function here runs inside ONE transaction opened by sqliteConversationStore; it re-reads
// what it depends on there, so a concurrent change is seen and refused instead of overwritten.

/** A refusal: nothing was written. */
export function refused(reason: RoomRefusal): { kind: 'refused'; reason: RoomRefusal } {
  return { kind: 'refused', reason };
}

/** A change that wrote nothing. */
function nothing(): RoomChange {
  return { kind: 'changed', userIds: [], messages: [], memberIds: [], audience: [], views: [] };
}

/** The result of a change in `row`: the members now and who hears its messages. */
function changed(
  db: Database,
  row: ConversationRow,
  userIds: number[],
  messages: Message[],
  viewsFor: 'changed' | 'all' | 'none',
): RoomChange {
  const all = memberIds(db, row.id);
  const viewers = viewsFor === 'all' ? all : viewsFor === 'changed' ? userIds : [];
  return {
    kind: 'changed',
    userIds,
    messages,
    memberIds: all,
    audience: audienceOf(row, all),
    views: memberViews(db, row.id, viewers),
  };
}

/** Of these ids, the enabled accounts; undefined when one of them does not exist. */
function enabledUsers(db: Database, ids: readonly number[]): number[] | undefined {
  if (ids.length === 0) return [];
  const rows = findUsersByIds(db, ids);
  if (rows.length !== ids.length) return undefined;
  const enabled = new Set(rows.filter((r) => r.disabled === 0).map((r) => r.id));
  return ids.filter((id) => enabled.has(id));
}

/** See ConversationStore.createRoom. */
export function createRoom(
  db: Database,
  room: NewRoom,
  now: number,
): RoomOutcome<RoomChange & { conversationId: number }> {
  // The general room's key counts too: nobody can create a room that looks like it.
  if (findRoomIdByNameKey(db, room.nameKey) !== undefined) return refused('name_taken');
  const invited = enabledUsers(
    db,
    [...new Set(room.invited)].filter((id) => id !== room.ownerId),
  );
  if (!invited) return refused('no_such_user');
  const { kind, name, nameKey, topic, ownerId } = room;
  const id = insertRoom(db, { kind, name, nameKey, topic, ownerId, now });
  addMember(db, id, ownerId, now, 0);
  for (const userId of invited) addMember(db, id, userId, now, 0);
  const messages = [insertSystemMessage(db, id, { event: 'created', actorId: ownerId, value: name }, now)];
  if (invited.length > 0) {
    messages.push(insertSystemMessage(db, id, { event: 'invited', actorId: ownerId, targetIds: invited }, now));
  }
  const everyone = [ownerId, ...invited];
  for (const userId of everyone) advanceReadSeq(db, id, userId, messages.at(-1)!.seq);
  const change = changed(db, findConversation(db, id)!, invited, messages, 'none');
  return { ...change, conversationId: id, views: memberViews(db, id, everyone) };
}

/** See ConversationStore.addMembers. */
export function addMembers(
  db: Database,
  conversationId: number,
  userIds: readonly number[],
  how: Addition,
  now: number,
): RoomOutcome {
  const row = findConversation(db, conversationId);
  if (!row) return refused('not_found');
  let candidates = [...new Set(userIds)];
  if (how.by === 'self') {
    // Archived (the last member left) since the caller looked: it is gone for outsiders.
    if (row.kind !== 'open' || row.archived === 1) return refused('not_found');
    if (candidates.some((userId) => findMember(db, conversationId, userId))) return refused('already_member');
  } else if (how.by === 'member') {
    if (!findMember(db, conversationId, how.actorId)) return refused('not_member');
    const enabled = enabledUsers(db, candidates);
    if (!enabled) return refused('no_such_user');
    candidates = enabled;
  }
  const added = candidates.filter((userId) => addMember(db, conversationId, userId, now, row.last_seq));
  if (added.length === 0) return nothing();
  const messages =
    how.by === 'member'
      ? [insertSystemMessage(db, conversationId, { event: 'invited', actorId: how.actorId, targetIds: added }, now)]
      : added.map((userId) => insertSystemMessage(db, conversationId, { event: 'joined', actorId: userId }, now));
  // Their own arrival is not news to them.
  for (const userId of added) advanceReadSeq(db, conversationId, userId, messages.at(-1)!.seq);
  return changed(db, row, added, messages, 'changed');
}

/** See ConversationStore.removeMember. */
export function removeOne(
  db: Database,
  conversationId: number,
  userId: number,
  how: Removal,
  now: number,
): RoomOutcome<RoomChange & { archived: boolean }> {
  const row = findConversation(db, conversationId);
  if (!row) return refused('not_found');
  if (how.by === 'owner') {
    if (!findMember(db, conversationId, how.actorId)) return refused('not_member');
    if (row.owner_id !== how.expectedOwnerId) return refused('not_owner');
  }
  if (!removeMember(db, conversationId, userId)) {
    if (how.by === 'hub') return { ...nothing(), archived: false };
    return refused(how.by === 'self' ? 'not_member' : 'no_such_member');
  }
  const system: SystemEvent =
    how.by === 'owner'
      ? { event: 'removed', actorId: how.actorId, targetIds: [userId] }
      : { event: 'left', actorId: userId };
  const messages = [insertSystemMessage(db, conversationId, system, now)];
  if (how.by !== 'self') return { ...changed(db, row, [userId], messages, 'none'), archived: false };
  if (memberIds(db, conversationId).length === 0) {
    // Kept for the record, out of the directory, and its name is free again.
    archiveRoom(db, conversationId);
    return { ...changed(db, row, [userId], messages, 'none'), archived: true };
  }
  if (row.owner_id !== userId) return { ...changed(db, row, [userId], messages, 'none'), archived: false };
  const next = longestStandingMember(db, conversationId)!;
  setRoomOwner(db, conversationId, next);
  messages.push(insertSystemMessage(db, conversationId, { event: 'owner', actorId: userId, targetIds: [next] }, now));
  return { ...changed(db, row, [userId], messages, 'all'), archived: false };
}

/** See ConversationStore.updateRoom. */
export function updateRoom(db: Database, conversationId: number, update: RoomUpdate, now: number): RoomOutcome {
  const row = findConversation(db, conversationId);
  if (!row) return refused('not_found');
  if (!findMember(db, conversationId, update.actorId)) return refused('not_member');
  if (update.expectedOwnerId !== 'general' && row.owner_id !== update.expectedOwnerId) return refused('not_owner');
  const { actorId } = update;
  const messages: Message[] = [];
  if (update.name && update.name.name !== row.name) {
    const holder = findRoomIdByNameKey(db, update.name.key);
    if (holder !== undefined && holder !== conversationId) return refused('name_taken');
    setRoomName(db, conversationId, update.name.name, update.name.key);
    messages.push(insertSystemMessage(db, conversationId, { event: 'renamed', actorId, value: update.name.name }, now));
  }
  if (update.topic !== undefined && update.topic !== row.topic) {
    setRoomTopic(db, conversationId, update.topic);
    messages.push(insertSystemMessage(db, conversationId, { event: 'topic', actorId, value: update.topic }, now));
  }
  const pinRuleChanged = update.pinRule !== undefined && update.pinRule !== row.pin_rule && row.kind !== 'general';
  if (pinRuleChanged) setRoomPinRule(db, conversationId, update.pinRule!);
  if (messages.length === 0 && !pinRuleChanged) return nothing();
  return changed(db, row, [], messages, 'all');
}

/** See ConversationStore.transferOwnership. */
export function transferOwnership(
  db: Database,
  conversationId: number,
  actorId: number,
  toUserId: number,
  now: number,
): RoomOutcome {
  const row = findConversation(db, conversationId);
  if (!row) return refused('not_found');
  if (!findMember(db, conversationId, actorId)) return refused('not_member');
  if (row.owner_id !== actorId) return refused('not_owner');
  if (!findMember(db, conversationId, toUserId)) return refused('no_such_member');
  setRoomOwner(db, conversationId, toUserId);
  const message = insertSystemMessage(db, conversationId, { event: 'owner', actorId, targetIds: [toUserId] }, now);
  return changed(db, row, [toUserId], [message], 'all');
}
