import { findBranchRoomId, insertManagedRoom, setBranchRoom } from '../store/branchRooms.ts';
import { findConversation, findRoomIdByNameKey } from '../store/conversations.ts';
import type { HubContext } from '../ops/HubContext.ts';
import { HubError } from '../ops/HubError.ts';
import { searchKey } from '../store/searchKey.ts';

/** Added to a branch room's name when a closed room already has the branch's name. */
const collisionSuffix = ' (филиал)';

/**
 * The room of a branch, created on first use: an open room named like the branch, with no owner
 * (nobody renames it or removes people from it; the directory sync moves people in and out). An
 * open room that already has the name becomes the branch room; a closed one keeps its name and the
 * branch room is named with a suffix. Call inside a write transaction.
 */
export function branchRoom(ctx: HubContext, branch: string): number {
  const key = searchKey(branch);
  const known = findBranchRoomId(ctx.db, key);
  if (known !== undefined && findConversation(ctx.db, known)?.archived === 0) return known;
  const existing = findRoomIdByNameKey(ctx.db, key);
  let id: number;
  if (existing !== undefined && findConversation(ctx.db, existing)?.kind === 'open') id = existing;
  else {
    const name = existing === undefined ? branch : branch + collisionSuffix;
    const nameKey = searchKey(name);
    if (findRoomIdByNameKey(ctx.db, nameKey) !== undefined)
      throw new HubError('conflict', `rooms named "${branch}" and "${name}" exist already; rename one of them`);
    id = insertManagedRoom(ctx.db, { name, nameKey, now: ctx.clock() });
    ctx.log.info({ conversationId: id }, 'branch room created');
  }
  setBranchRoom(ctx.db, key, id);
  return id;
}

/** The room of a branch if it has one already (never creates it). */
export function existingBranchRoom(ctx: HubContext, branch: string): number | undefined {
  const id = findBranchRoomId(ctx.db, searchKey(branch));
  return id !== undefined && findConversation(ctx.db, id)?.archived === 0 ? id : undefined;
}
