import { HubError } from './HubError.ts';
import type { HubLog } from './HubContext.ts';

/**
 * Turns any failure of an operation into a {@link HubError}, so no SQL error ever reaches a
 * client: a full disk is `storage_full`, a lock held too long is `unavailable`, anything else is
 * logged and reported as `internal`.
 */
export function toHubError(err: unknown, log: HubLog, op: string): HubError {
  if (err instanceof HubError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') {
    log.error({ op, code }, 'storage is full');
    return new HubError('storage_full', 'the hub cannot store anything right now (disk full)');
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    log.warn({ op, code }, 'database busy');
    return new HubError('unavailable', 'the hub is busy; try again');
  }
  log.error({ op, err }, 'operation failed');
  return new HubError('internal', 'internal error');
}
