import { isGeneralRoomAlias, roomNameKey } from '../../../common/protocol/roomNameKey.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';

/**
 * The room a name means to an integration (`bot --rooms`, `hook --room`, the send API's `to`); a
 * leading `#` is ignored. The general room's aliases (`general`, `all`, `все`, «Общий чат») always
 * mean the general room, whatever it is called now; `branch:NAME` (or `филиал:NAME`) means the
 * branch's room; any other name means the one active room, the general room included, whose
 * look-alike key (roomNameKey) is the name's — never a near match. Undefined when there is none;
 * `conflict` rather than a guess if several rooms had the key. Whether the caller may see the
 * room is checked by the caller.
 */
export async function findRoomByName(ctx: HubContext, input: string): Promise<number | undefined> {
  const name = input.trim().replace(/^#/, '').trim();
  if (name === '') return undefined;
  const branch = /^(?:branch|филиал):(.+)$/i.exec(name);
  if (branch) {
    const id = await ctx.store.integrations.branchRoomId(branch[1]!.trim());
    return id !== undefined && (await ctx.store.conversations.find(id))?.archived === false ? id : undefined;
  }
  if (isGeneralRoomAlias(name)) return ctx.store.conversations.generalRoomId();
  const ids = await ctx.store.conversations.roomIdsByNameKey(roomNameKey(name));
  if (ids.length > 1)
    throw new HubError('conflict', `several rooms have names that look like "${name}"; name the room by its id`);
  return ids[0];
}
