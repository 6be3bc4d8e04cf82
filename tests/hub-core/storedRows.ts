import type { Hub } from '../../hub/ops/Hub.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import { dbOf, onPostgres } from './harness.ts';

/**
 * The rows a read-only query finds in the database the test hub runs on, SQLite or PostgreSQL
 * (BESEDA_TEST_STORE), so a test that checks what was stored runs on both. Write the SQL both
 * accept, with `$1, $2…` placeholders (rewritten to SQLite's `?` in the order they appear).
 */
export async function storedRows<R = Record<string, unknown>>(
  hub: Hub,
  sql: string,
  params: readonly unknown[] = [],
): Promise<R[]> {
  if (onPostgres) return pgDatabaseOf((hub as SqliteHub).store).all<R>(sql, params);
  const positional: unknown[] = [];
  const sqliteSql = sql.replace(/\$(\d+)/g, (_, n: string) => {
    positional.push(params[Number(n) - 1]);
    return '?';
  });
  return dbOf(hub)
    .prepare(sqliteSql)
    .all(...positional) as R[];
}

/** The first column of the first row {@link storedRows} finds (undefined when none). */
export async function storedValue(hub: Hub, sql: string, params: readonly unknown[] = []): Promise<unknown> {
  const [row] = await storedRows(hub, sql, params);
  return row === undefined ? undefined : Object.values(row)[0];
}
