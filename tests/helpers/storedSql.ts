// Runs one SQL statement on the database a test hub (tests/helpers/startHub.ts) keeps its data in:
// the SQLite file in its folder, or its PostgreSQL database under BESEDA_TEST_STORE=postgres. For
// tests that set up what the hub has no operation for (a directory account's flag).
import Database from 'better-sqlite3';
import path from 'node:path';
import pg from 'pg';
import { storeEnvOf } from './startHub.ts';

/** Runs `sql` (no parameters: tests write literal values) on the hub's own database. */
export async function runStoredSql(dataDir: string, sql: string): Promise<void> {
  const { BESEDA_STORE: url } = await storeEnvOf(dataDir);
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(path.join(dataDir, 'beseda.db'));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}
