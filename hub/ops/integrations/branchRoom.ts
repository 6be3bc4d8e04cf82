import { isGeneralRoomAlias, roomNameKey } from '../../../common/protocol/roomNameKey.ts';

/** Added to a branch room's name when a room of the branch's name exists already. */
const collisionSuffix = 'филиал';

/**
 * The name of a branch's room for the `attempt`-th try (a BranchRoomNamer), or null to skip it.
 * A branch room is created on first use by the hub (the store: open, with no owner, tracked by its
 * branch in `branch_rooms` — never by its name) under the first of NAME, «NAME (филиал)»,
 * «NAME (филиал 2)», … that no active room has. A room someone already made with the branch's
 * name is never taken over, so a person cannot pre-claim a branch's room. Skipped: a general room
 * alias, a name of digits only (digits address a room by id) and one with nothing visible left.
 * From the second try on a name is always given.
 */
export function branchRoomName(branch: string, attempt: number): { name: string; nameKey: string } | null {
  const base = displayName(branch);
  const name = attempt === 1 ? base : `${base} (${collisionSuffix}${attempt === 2 ? '' : ` ${attempt - 1}`})`;
  const nameKey = roomNameKey(name);
  if (nameKey === '' || /^\d+$/.test(name) || isGeneralRoomAlias(name)) return null;
  return { name, nameKey };
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
