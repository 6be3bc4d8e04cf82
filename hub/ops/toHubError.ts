import { HubError } from './HubError.ts';
import type { HubLog } from './HubContext.ts';

/** PostgreSQL's disk_full (SQLSTATE 53100): the database server ran out of space. */
const pgFull = new Set(['53100']);
/**
 * Failures after which the same call can succeed later: the PostgreSQL server restarting or out of
 * connections (57P01–03, 53300, class 08), a lost race it broke (40001, 40P01), or the connection
 * to it refused or cut (Node's errors, and pg's own message for a connection ended mid-query).
 */
const pgTransient = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '40001',
  '40P01',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Whether an error is PostgreSQL (or the connection to it) being away for now. */
function isTransientPg(err: unknown, code: unknown): boolean {
  if (typeof code === 'string' && (pgTransient.has(code) || code.startsWith('08'))) return true;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /^Connection terminated|connection (is )?(closed|ended)/i.test(message);
}

/**
 * Turns any failure of an operation into a {@link HubError}, so no SQL error ever reaches a
 * client: a full disk is `storage_full`, a lock held too long or a PostgreSQL server away is
 * `unavailable`, anything else is
 * logged and reported as `internal`.
 */
export function toHubError(err: unknown, log: HubLog, op: string): HubError {
  if (err instanceof HubError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || pgFull.has(code as string)) {
    log.error({ op, code }, 'storage is full');
    return new HubError('storage_full', 'the hub cannot store anything right now (disk full)');
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    log.warn({ op, code }, 'database busy');
    return new HubError('unavailable', 'the hub is busy; try again');
  }
  if (isTransientPg(err, code)) {
    // Usually nothing was committed. If the connection was lost during COMMIT the write may have
    // been kept: the client's retry under the same client id then answers the stored original
    // (duplicate), so a retry neither loses nor doubles it.
    log.warn({ op, code, err: (err as Error).message }, 'database unavailable');
    return new HubError('unavailable', 'the database is not available right now; try again');
  }
  log.error({ op, err }, 'operation failed');
  return new HubError('internal', 'internal error');
}
