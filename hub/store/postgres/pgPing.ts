import type { StorePing } from '../StorageAdmin.ts';
import type { PgDatabase } from './PgDatabase.ts';

/**
 * `SELECT 1` through the pool, given up after `timeoutMs`: a server that is down refuses at once,
 * but one that is unreachable (a dropped route, a full pool) would keep `/healthz` waiting.
 * The query itself is left to finish or fail on its own; its result is then ignored.
 */
export async function pgPing(db: PgDatabase, timeoutMs: number): Promise<StorePing> {
  const started = performance.now();
  const { pool } = db;
  const poolView = () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? 10,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const answered = db.one('SELECT 1 AS one').then(
    () => null,
    (err: unknown) => (err instanceof Error ? err.message : String(err)) || 'the query failed',
  );
  try {
    const error = await Promise.race([answered, timedOut]);
    const ms = Math.round(performance.now() - started);
    return error === null
      ? { kind: 'postgres', ok: true, ms, pool: poolView() }
      : { kind: 'postgres', ok: false, error, ms, pool: poolView() };
  } finally {
    clearTimeout(timer);
  }
}
