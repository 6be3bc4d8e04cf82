import { checkRoomName } from '../../common/protocol/checkRoomName.ts';
import type { ConversationRecord, RoomRefusal } from '../store/ConversationStore.ts';
import { notFound, notMember } from './access.ts';
import type { Actor } from './Hub.ts';
import { HubError } from './HubError.ts';

const maxTopic = 500;

/** Refuses the general room and direct conversations: their membership is fixed. */
export function requireRoom(conversation: ConversationRecord): void {
  if (conversation.kind === 'general') throw new HubError('bad_request', 'everyone is in the general room already');
  if (conversation.kind === 'direct') throw new HubError('bad_request', 'a direct conversation has exactly two people');
}

/** The owner may; in a room the hub manages (no owner: a branch room), only an administrator. */
export function requireOwner(conversation: ConversationRecord, actor: Actor): void {
  if (conversation.ownerId === null) {
    if (!actor.isAdmin) throw new HubError('forbidden', 'only an administrator can change a room the hub manages');
    return;
  }
  if (conversation.ownerId !== actor.userId) throw notOwner();
}

/** A checked name and its look-alike key; a general room alias is taken (`conflict`) for other rooms. */
export function roomName(input: string, general: boolean): { name: string; key: string } {
  const checked = checkRoomName(input, { general });
  if (checked.ok) return { name: checked.name, key: checked.key };
  throw new HubError(checked.problem === 'reserved' ? 'conflict' : 'bad_request', checked.reason);
}

/** A trimmed topic within its length limit. */
export function checkTopic(input: string): string {
  const topic = input.trim();
  if ([...topic].length > maxTopic) throw new HubError('bad_request', `a topic is at most ${maxTopic} characters`);
  return topic;
}

/** What the caller hears when the store refused a change that no longer holds at commit time. */
export function refusalError(reason: RoomRefusal, name = ''): HubError {
  switch (reason) {
    case 'not_found':
      return notFound();
    case 'not_member':
      return notMember();
    case 'already_member':
      return new HubError('conflict', 'already a member');
    case 'not_owner':
      return notOwner();
    case 'no_such_member':
      return new HubError('not_found', 'no such member');
    case 'no_such_user':
      return new HubError('not_found', 'no such user');
    case 'name_taken':
      return new HubError('conflict', `a room named "${name}" (or a name that looks the same) exists already`);
  }
}

function notOwner(): HubError {
  return new HubError('forbidden', 'only the owner of the room can do that');
}
