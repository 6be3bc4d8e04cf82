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
import type { PgQueryable } from './PgDatabase.ts';
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
import { takeWriteTurn } from './streamPosition.ts';
import { type ConversationRow, audienceOf } from '../rows/conversationRow.ts';

// Each function here runs inside ONE transaction (pgConversationStore's, or a caller's such as the
// directory sync's). Each first takes the writers' turn (takeWriteTurn: SQLite's one write lock,
// and one lock order with message sends), then re-reads what it depends on, so a concurrent
// change is seen and refused instead of overwritten.

/** A refusal: nothing was written. */
export function refused(reason: RoomRefusal): { kind: 'refused'; reason: RoomRefusal } {
  return { kind: 'refused', reason };
}

/** A change that wrote nothing. */
function nothing(): RoomChange {
  return { kind: 'changed', userIds: [], messages: [], memberIds: [], audience: [], views: [] };
}

/** The result of a change in `row`: the members now and who hears its messages. */
async function changed(
  q: PgQueryable,
  row: ConversationRow,
  userIds: number[],
  messages: Message[],
  viewsFor: 'changed' | 'all' | 'none',
): Promise<RoomChange> {
  const all = await memberIds(q, row.id);
  const viewers = viewsFor === 'all' ? all : viewsFor === 'changed' ? userIds : [];
  return {
    kind: 'changed',
    userIds,
    messages,
    memberIds: all,
    audience: audienceOf(row, all),
    views: await memberViews(q, row.id, viewers),
  };
}

/** Of these ids, the enabled accounts; undefined when one of them does not exist. */
async function enabledUsers(q: PgQueryable, ids: readonly number[]): Promise<number[] | undefined> {
  if (ids.length === 0) return [];
  const rows = await findUsersByIds(q, ids);
  if (rows.length !== ids.length) return undefined;
  const enabled = new Set(rows.filter((r) => r.disabled === 0).map((r) => r.id));
  return ids.filter((id) => enabled.has(id));
}

/** See ConversationStore.createRoom. */
export async function createRoom(
  q: PgQueryable,
  room: NewRoom,
  now: number,
): Promise<RoomOutcome<RoomChange & { conversationId: number }>> {
  await takeWriteTurn(q);
  // The general room's key counts too: nobody can create a room that looks like it.
  if ((await findRoomIdByNameKey(q, room.nameKey)) !== undefined) return refused('name_taken');
  const invited = await enabledUsers(
    q,
    [...new Set(room.invited)].filter((id) => id !== room.ownerId),
  );
  if (!invited) return refused('no_such_user');
  const { kind, name, nameKey, topic, ownerId } = room;
  const id = await insertRoom(q, { kind, name, nameKey, topic, ownerId, now });
  await addMember(q, id, ownerId, now, 0);
  for (const userId of invited) await addMember(q, id, userId, now, 0);
  const messages = [await insertSystemMessage(q, id, { event: 'created', actorId: ownerId, value: name }, now)];
  if (invited.length > 0) {
    messages.push(await insertSystemMessage(q, id, { event: 'invited', actorId: ownerId, targetIds: invited }, now));
  }
  const everyone = [ownerId, ...invited];
  for (const userId of everyone) await advanceReadSeq(q, id, userId, messages.at(-1)!.seq);
  const change = await changed(q, (await findConversation(q, id))!, invited, messages, 'none');
  return { ...change, conversationId: id, views: await memberViews(q, id, everyone) };
}

/** See ConversationStore.addMembers. */
export async function addMembers(
  q: PgQueryable,
  conversationId: number,
  userIds: readonly number[],
  how: Addition,
  now: number,
): Promise<RoomOutcome> {
  await takeWriteTurn(q);
  const row = await findConversation(q, conversationId);
  if (!row) return refused('not_found');
  let candidates = [...new Set(userIds)];
  if (how.by === 'self') {
    // Archived (the last member left) since the caller looked: it is gone for outsiders.
    if (row.kind !== 'open' || row.archived === 1) return refused('not_found');
    for (const userId of candidates) {
      if (await findMember(q, conversationId, userId)) return refused('already_member');
    }
  } else if (how.by === 'member') {
    if (!(await findMember(q, conversationId, how.actorId))) return refused('not_member');
    const enabled = await enabledUsers(q, candidates);
    if (!enabled) return refused('no_such_user');
    candidates = enabled;
  }
  const added: number[] = [];
  for (const userId of candidates) {
    if (await addMember(q, conversationId, userId, now, row.last_seq)) added.push(userId);
  }
  if (added.length === 0) return nothing();
  const messages: Message[] = [];
  if (how.by === 'member') {
    const system: SystemEvent = { event: 'invited', actorId: how.actorId, targetIds: added };
    messages.push(await insertSystemMessage(q, conversationId, system, now));
  } else {
    for (const userId of added) {
      messages.push(await insertSystemMessage(q, conversationId, { event: 'joined', actorId: userId }, now));
    }
  }
  // Their own arrival is not news to them.
  for (const userId of added) await advanceReadSeq(q, conversationId, userId, messages.at(-1)!.seq);
  return changed(q, row, added, messages, 'changed');
}

/** See ConversationStore.removeMember. */
export async function removeOne(
  q: PgQueryable,
  conversationId: number,
  userId: number,
  how: Removal,
  now: number,
): Promise<RoomOutcome<RoomChange & { archived: boolean }>> {
  await takeWriteTurn(q);
  const row = await findConversation(q, conversationId);
  if (!row) return refused('not_found');
  if (how.by === 'owner') {
    if (!(await findMember(q, conversationId, how.actorId))) return refused('not_member');
    if (row.owner_id !== how.expectedOwnerId) return refused('not_owner');
  }
  if (!(await removeMember(q, conversationId, userId))) {
    if (how.by === 'hub') return { ...nothing(), archived: false };
    return refused(how.by === 'self' ? 'not_member' : 'no_such_member');
  }
  const system: SystemEvent =
    how.by === 'owner'
      ? { event: 'removed', actorId: how.actorId, targetIds: [userId] }
      : { event: 'left', actorId: userId };
  const messages = [await insertSystemMessage(q, conversationId, system, now)];
  if (how.by !== 'self') return { ...(await changed(q, row, [userId], messages, 'none')), archived: false };
  if ((await memberIds(q, conversationId)).length === 0) {
    // Kept for the record, out of the directory, and its name is free again.
    await archiveRoom(q, conversationId);
    return { ...(await changed(q, row, [userId], messages, 'none')), archived: true };
  }
  if (row.owner_id !== userId) return { ...(await changed(q, row, [userId], messages, 'none')), archived: false };
  const next = (await longestStandingMember(q, conversationId))!;
  await setRoomOwner(q, conversationId, next);
  const handedOver: SystemEvent = { event: 'owner', actorId: userId, targetIds: [next] };
  messages.push(await insertSystemMessage(q, conversationId, handedOver, now));
  return { ...(await changed(q, row, [userId], messages, 'all')), archived: false };
}

/** See ConversationStore.updateRoom. */
export async function updateRoom(
  q: PgQueryable,
  conversationId: number,
  update: RoomUpdate,
  now: number,
): Promise<RoomOutcome> {
  await takeWriteTurn(q);
  const row = await findConversation(q, conversationId);
  if (!row) return refused('not_found');
  if (!(await findMember(q, conversationId, update.actorId))) return refused('not_member');
  if (update.expectedOwnerId !== 'general' && row.owner_id !== update.expectedOwnerId) return refused('not_owner');
  const { actorId } = update;
  const messages: Message[] = [];
  if (update.name && update.name.name !== row.name) {
    const holder = await findRoomIdByNameKey(q, update.name.key);
    if (holder !== undefined && holder !== conversationId) return refused('name_taken');
    await setRoomName(q, conversationId, update.name.name, update.name.key);
    const renamed: SystemEvent = { event: 'renamed', actorId, value: update.name.name };
    messages.push(await insertSystemMessage(q, conversationId, renamed, now));
  }
  if (update.topic !== undefined && update.topic !== row.topic) {
    await setRoomTopic(q, conversationId, update.topic);
    messages.push(await insertSystemMessage(q, conversationId, { event: 'topic', actorId, value: update.topic }, now));
  }
  const pinRuleChanged = update.pinRule !== undefined && update.pinRule !== row.pin_rule && row.kind !== 'general';
  if (pinRuleChanged) await setRoomPinRule(q, conversationId, update.pinRule!);
  if (messages.length === 0 && !pinRuleChanged) return nothing();
  return changed(q, row, [], messages, 'all');
}

/** See ConversationStore.transferOwnership. */
export async function transferOwnership(
  q: PgQueryable,
  conversationId: number,
  actorId: number,
  toUserId: number,
  now: number,
): Promise<RoomOutcome> {
  await takeWriteTurn(q);
  const row = await findConversation(q, conversationId);
  if (!row) return refused('not_found');
  if (!(await findMember(q, conversationId, actorId))) return refused('not_member');
  if (row.owner_id !== actorId) return refused('not_owner');
  if (!(await findMember(q, conversationId, toUserId))) return refused('no_such_member');
  await setRoomOwner(q, conversationId, toUserId);
  const system: SystemEvent = { event: 'owner', actorId, targetIds: [toUserId] };
  const message = await insertSystemMessage(q, conversationId, system, now);
  return changed(q, row, [toUserId], [message], 'all');
}
