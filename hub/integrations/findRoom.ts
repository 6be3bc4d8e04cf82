import type { Database } from 'better-sqlite3';
import { findConversation, findRoomIdByNameKey, generalRoomId } from '../store/conversations.ts';
import { searchKey } from '../store/searchKey.ts';

/**
 * The room with this name — an open or closed room that is not archived, or the general room
 * (by its name, or as `all`) — compared case-insensitively with Russian rules. A leading `#` is
 * ignored. Undefined when there is none; whether the caller may see it is checked by the caller.
 */
export function findRoomByName(db: Database, input: string): number | undefined {
  const name = input.trim().replace(/^#/, '').trim();
  if (name === '') return undefined;
  const key = searchKey(name);
  const room = findRoomIdByNameKey(db, key);
  if (room !== undefined) return room;
  const general = generalRoomId(db);
  const generalName = findConversation(db, general)?.name ?? '';
  return key === 'all' || key === searchKey(generalName) ? general : undefined;
}
