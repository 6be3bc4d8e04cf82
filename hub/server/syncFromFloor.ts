import type { RequestOf } from '../../common/protocol/clientFrame.ts';
import type { ResultMap } from '../../common/protocol/serverFrame.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import type { SyncFloors } from './SyncFloors.ts';

/**
 * A `sync` request of a session that may have a floor (SyncFloors): served from the lower of its
 * `since` and the floor, so what the session missed during an event-bus gap comes back even though
 * its cursor moved past it. Duplicates are harmless: clients keep messages by seq.
 */
export async function syncFromFloor(
  hub: Hub,
  floors: SyncFloors,
  actor: Actor,
  frame: RequestOf<'sync'>,
): Promise<ResultMap['sync']> {
  const since = await floors.from(actor.sessionId, frame.since);
  const page = await hub.sync(actor, { since, limit: frame.limit });
  const last = Math.max(page.messages.at(-1)?.seq ?? 0, page.updates.at(-1)?.seq ?? 0);
  floors.served(actor.sessionId, last, page.more);
  return page;
}
