import type { Limits } from '../../common/protocol/model.ts';
import type { Store } from '../store/Store.ts';
import type { EventSink } from './HubEvent.ts';
import type { SharedLimits } from './SharedLimits.ts';

/** A pino-compatible logger (the subset the hub core uses). Never give it message text or tokens. */
export interface HubLog {
  debug(o: object, msg?: string): void;
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/** What every operation needs: the store, where to publish, the log, limits and time. */
export interface HubContext {
  /** The storage boundary: every operation reads and writes through it. */
  store: Store;
  events: EventSink;
  log: HubLog;
  limits: Limits;
  /** Milliseconds since the epoch (injectable for tests). */
  clock: () => number;
  /** Rate limits and the sign-in back-off shared by the hub's nodes; absent: this process's own. */
  sharedLimits?: SharedLimits;
}
