import type { Database } from 'better-sqlite3';
import type { Limits } from '../../common/protocol/model.ts';
import type { Store } from '../store/Store.ts';
import type { EventSink } from './HubEvent.ts';

/** A pino-compatible logger (the subset the hub core uses). Never give it message text or tokens. */
export interface HubLog {
  debug(o: object, msg?: string): void;
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/** What every operation needs: the database, where to publish, the log, limits and time. */
export interface HubContext {
  db: Database;
  /** The storage boundary: every new operation goes through it (never `db`). */
  store: Store;
  events: EventSink;
  log: HubLog;
  limits: Limits;
  /** Milliseconds since the epoch (injectable for tests). */
  clock: () => number;
}
