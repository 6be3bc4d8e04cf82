import type { Conversation, Member, RoomSummary, User } from '../../common/protocol/model.ts';
import { backend } from '../backend/currentBackend.ts';
import { applyStatePatch } from '../state/clientState.ts';
import { openConversation } from './conversations.ts';
import { errorCode, errorText } from './errorText.ts';
import { attempt, notify } from './notify.ts';

// The backend's patch with a new conversation may arrive just after the call returns; putting
// the returned conversation in the state first lets it be opened at once.
function adopt<C extends Conversation | undefined>(conversation: C): C {
  if (conversation) {
    applyStatePatch({ conversations: { [conversation.id]: conversation } });
    openConversation(conversation.id);
  }
  return conversation;
}

/**
 * Creates a room, invites the chosen people and opens it. A taken name is reported back (for the
 * form to say so next to the field); other failures are shown as a notice.
 */
export async function createRoom(input: {
  name: string;
  kind: 'open' | 'closed';
  topic?: string;
  members?: number[];
}): Promise<Conversation | 'name-taken' | undefined> {
  try {
    return adopt(await backend().createRoom(input));
  } catch (error) {
    if (errorCode(error) === 'conflict') return 'name-taken';
    notify(errorText(error), 'error');
    return undefined;
  }
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

/** Renames a room or changes its topic (owner only); a taken name is reported back like {@link createRoom}. */
export async function updateRoom(
  conversationId: number,
  change: { name?: string; topic?: string },
): Promise<boolean | 'name-taken'> {
  try {
    await backend().updateRoom(conversationId, change);
    return true;
  } catch (error) {
    if (errorCode(error) === 'conflict' && change.name !== undefined) return 'name-taken';
    notify(errorText(error), 'error');
    return false;
  }
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
