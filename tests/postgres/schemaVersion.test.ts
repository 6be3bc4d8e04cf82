// A PostgreSQL database written by a newer hub is refused, as a newer SQLite file is: an older hub
// must not run on a schema it does not know. Several nodes starting at once migrate once.
import { afterAll, describe, expect, it } from 'vitest';
import { openPgDatabase } from '../../hub/store/postgres/PgDatabase.ts';
import { openPostgresStore } from '../../hub/store/postgres/openPostgresStore.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

describe.skipIf(!postgresAvailable)('the PostgreSQL schema version', () => {
  let cluster: TestPostgres | undefined;
  afterAll(async () => {
    await cluster?.close();
  });

  it('migrates once when four nodes start together, and refuses a database from a newer hub', async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(url, { now: 1_700_000_000_000 })));
    for (const s of stores) await s.admin.close();
    const db = openPgDatabase(url, { max: 1 });
    expect(await db.all('SELECT version FROM schema_version ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    expect(await db.all('SELECT id, kind FROM conversations')).toEqual([{ id: 1, kind: 'general' }]);
    await db.run("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'from the future', 0)");
    await db.close();
    await expect(openPostgresStore(url, { now: 1_700_000_000_000 })).rejects.toThrow(
      /schema version 99, this hub knows up to 2/,
    );
  });
});
