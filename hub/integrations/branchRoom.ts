import { isGeneralRoomAlias, roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { HubContext } from '../ops/HubContext.ts';
import { findBranchRoomId, insertManagedRoom, setBranchRoom } from '../store/branchRooms.ts';
import { findConversation, findRoomIdByNameKey } from '../store/conversations.ts';
import { searchKey } from '../store/searchKey.ts';

/** Added to a branch room's name when a room of the branch's name exists already. */
const collisionSuffix = 'филиал';

/**
 * The room of a branch, created on first use by the hub: an open room with no owner (only an
 * administrator renames it or removes people from it; the directory sync moves people in and
 * out), tracked by its branch in `branch_rooms` — never by its name. A room someone already made
 * with the branch's name is never taken over: it keeps its name and owner, and the branch room is
 * named «NAME (филиал)» (or «NAME (филиал 2)», … while those are taken too), so a person cannot
 * pre-claim a branch's room. Call inside a write transaction; it never fails on a name.
 */
export function branchRoom(ctx: HubContext, branch: string): number {
  const key = searchKey(branch);
  const known = findBranchRoomId(ctx.db, key);
  if (known !== undefined && findConversation(ctx.db, known)?.archived === 0) return known;
  const name = freeName(ctx, displayName(branch));
  const id = insertManagedRoom(ctx.db, { name, nameKey: roomNameKey(name), now: ctx.clock() });
  setBranchRoom(ctx.db, key, id);
  ctx.log.info({ conversationId: id }, 'branch room created');
  return id;
}

/** The room of a branch if it has one already (never creates it). */
export function existingBranchRoom(ctx: HubContext, branch: string): number | undefined {
  const id = findBranchRoomId(ctx.db, searchKey(branch));
  return id !== undefined && findConversation(ctx.db, id)?.archived === 0 ? id : undefined;
}

/** The branch's name as a room name: invisible and text-direction characters out, spaces collapsed. */
function displayName(branch: string): string {
  const name = branch
    .normalize('NFC')
    .replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Bidi_Control}]|[^\P{Cc}\t\n\v\f\r\u0085]/gu, '')
    .replace(/\p{White_Space}+/gu, ' ')
    .trim();
  return name === '' ? collisionSuffix : name;
}

/**
 * The first of NAME, «NAME (филиал)», «NAME (филиал 2)», … that no active room has and that is
 * not a general room alias. A name of digits only is skipped too: digits address a room by id.
 */
function freeName(ctx: HubContext, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} (${collisionSuffix}${n === 2 ? '' : ` ${n - 1}`})`;
    const key = roomNameKey(name);
    if (key === '' || /^\d+$/.test(name) || isGeneralRoomAlias(name)) continue;
    if (findRoomIdByNameKey(ctx.db, key) === undefined) return name;
  }
}
