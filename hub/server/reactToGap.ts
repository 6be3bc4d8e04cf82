import type { Logger } from 'pino';
import { CloseCode } from '../../common/protocol/errors.ts';
import type { GapSignal } from '../cluster/GapSignal.ts';
import type { ConnectionRegistry } from './ConnectionRegistry.ts';
import type { SyncFloors } from './SyncFloors.ts';

/** The close reason clients see (the code, 4002, is what they act on: reconnect and catch up). */
export const gapCloseReason = 'events may have been missed: reconnect and catch up';

/**
 * The node's answer to an event-bus gap (docs/architecture.md, `cluster/`): every session
 * connected here gets the gap's floor for its next `sync`, then every socket is closed with 4002,
 * which clients answer by reconnecting and catching up. A gap in typing or presence alone is let
 * pass: nothing stored was missed, and the next presence change or typing repeats it.
 */
export function reactToGap(gap: GapSignal, registry: ConnectionRegistry, floors: SyncFloors, log: Logger): void {
  if (gap.kind === 'lost' && gap.onlyEphemeral) {
    log.info({ gap }, 'event bus: only typing or presence was missed; clients stay connected');
    return;
  }
  const sessions = new Set<number>();
  for (const conn of registry.connections()) sessions.add(conn.actor.sessionId);
  floors.set(sessions, gap.floorSeq);
  log.warn(
    { gap, sessions: sessions.size, connections: registry.size },
    "event bus gap: closing this node's connections (4002) so clients catch up from the gap's floor",
  );
  registry.closeAll(CloseCode.SlowConsumer, gapCloseReason);
}
