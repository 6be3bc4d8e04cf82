import type { Conversation, Member, RoomSummary, User } from '../../common/protocol/model.ts';
import { backend } from '../backend/currentBackend.ts';
import { applyStatePatch } from '../state/clientState.ts';
import { openConversation } from './conversations.ts';
import { attempt } from './notify.ts';

// The backend's patch with a new conversation may arrive just after the call returns; putting
// the returned conversation in the state first lets it be opened at once.
function adopt(conversation: Conversation | undefined): Conversation | undefined {
  if (conversation) {
    applyStatePatch({ conversations: { [conversation.id]: conversation } });
    openConversation(conversation.id);
  }
  return conversation;
}

/** Creates a room, invites the chosen people and opens it. */
export async function createRoom(input: {
  name: string;
  kind: 'open' | 'closed';
  topic?: string;
  members?: number[];
}): Promise<Conversation | undefined> {
  return adopt(await attempt(() => backend().createRoom(input)));
}

/** Joins an open room and opens it. */
export async function joinRoom(conversationId: number): Promise<Conversation | undefined> {
  return adopt(await attempt(() => backend().joinRoom(conversationId)));
}

/** Opens (creating if needed) the direct conversation with a person. */
export async function openDirect(userId: number): Promise<Conversation | undefined> {
  return adopt(await attempt(() => backend().openDirect(userId)));
}

/** Leaves a room; the UI moves to the general room. */
export async function leaveRoom(conversationId: number): Promise<boolean> {
  const ok = await attempt(() =>
    backend()
      .leaveRoom(conversationId)
      .then(() => true),
  );
  return ok === true;
}

/** Open rooms (and closed ones I am in) matching a query; undefined when the call failed. */
export function browseRooms(query: string): Promise<RoomSummary[] | undefined> {
  return attempt(() => backend().browseRooms(query));
}

/** The people directory; undefined when the call failed. */
export function searchUsers(query: string): Promise<User[] | undefined> {
  return attempt(() => backend().searchUsers(query));
}

/** The members of a conversation; undefined when the call failed. */
export function members(conversationId: number): Promise<Member[] | undefined> {
  return attempt(() => backend().members(conversationId));
}

/** Invites people to a room. */
export async function invite(conversationId: number, userIds: number[]): Promise<boolean> {
  return (
    (await attempt(() =>
      backend()
        .invite(conversationId, userIds)
        .then(() => true),
    )) === true
  );
}

/** Removes a member from a room (owner only). */
export async function removeMember(conversationId: number, userId: number): Promise<boolean> {
  return (
    (await attempt(() =>
      backend()
        .removeMember(conversationId, userId)
        .then(() => true),
    )) === true
  );
}

/** Renames a room or changes its topic (owner only). */
export async function updateRoom(conversationId: number, change: { name?: string; topic?: string }): Promise<boolean> {
  return (
    (await attempt(() =>
      backend()
        .updateRoom(conversationId, change)
        .then(() => true),
    )) === true
  );
}

/** Makes another member the owner. */
export async function transferOwnership(conversationId: number, userId: number): Promise<boolean> {
  return (
    (await attempt(() =>
      backend()
        .transferOwnership(conversationId, userId)
        .then(() => true),
    )) === true
  );
}
