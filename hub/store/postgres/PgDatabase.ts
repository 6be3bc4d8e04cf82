import pg from 'pg';

// int8 (bigint, OID 20) comes back as a string by default: ids, seqs and millisecond times all fit
// in a double (< 2^53), and the store's callers expect numbers, as SQLite gives them.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric (OID 1700) is only produced by sum()/avg() over bigints here: also a number.
pg.types.setTypeParser(1700, (v) => Number(v));

/** Something SQL can run on: the pool (one statement, autocommit) or a transaction's client. */
export interface PgQueryable {
  /** Every row of the result. `$1, $2…` placeholders; never string-built SQL with user values. */
  all<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  one<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R | undefined>;
  /** Runs a statement and returns the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** The hub's PostgreSQL connection pool. */
export interface PgDatabase extends PgQueryable {
  /**
   * Runs `fn` in one transaction (READ COMMITTED) on one pooled client: COMMIT when it resolves,
   * ROLLBACK when it throws (the error is rethrown). Resolves only after COMMIT returned, so the
   * caller may acknowledge what `fn` wrote.
   */
  tx<T>(fn: (q: PgQueryable) => Promise<T>): Promise<T>;
  /** Ends the pool (waits for clients in use). */
  close(): Promise<void>;
  /** The pool itself, for health checks and metrics. */
  readonly pool: pg.Pool;
}

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can, and the protocol does not forbid it): a
 * string parameter carrying one would fail the whole statement — a message send, a name — so the
 * character is stored as U+FFFD, the replacement character, instead. JSON built by the store
 * arrives here as a string too. Bytes (Buffers) are left alone.
 */
function withoutNul(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

/** Wraps anything with pg's `query` as a {@link PgQueryable}. */
export function queryable(q: Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>): PgQueryable {
  const exec = (sql: string, params?: readonly unknown[]) =>
    (q as pg.Pool).query(sql, params?.map(withoutNul) as unknown[] | undefined);
  return {
    all: async <R>(sql: string, params?: readonly unknown[]) => (await exec(sql, params)).rows as R[],
    one: async <R>(sql: string, params?: readonly unknown[]) => (await exec(sql, params)).rows[0] as R | undefined,
    run: async (sql: string, params?: readonly unknown[]) => (await exec(sql, params)).rowCount ?? 0,
  };
}

/** Opens a pool on `url` (`postgres://user:pass@host:port/db`) with at most `max` connections. */
export function openPgDatabase(url: string, options: { max?: number } = {}): PgDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client's error (the server restarted) must not crash the hub: the pool drops that
  // client and the next query opens a new one.
  pool.on('error', () => {});
  const base = queryable(pool);
  return {
    ...base,
    pool,
    async tx<T>(fn: (q: PgQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A checked-out client whose server goes away emits 'error'; with no listener that is an
      // uncaught exception and the hub process would die. The query in flight rejects anyway.
      let lost: Error | undefined;
      const onError = (err: Error) => {
        lost = err;
      };
      client.on('error', onError);
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken || lost !== undefined);
      }
    },
    close: () => pool.end(),
  };
}
