// Hubs for the PostgreSQL conversation tests: one on SQLite or on a fresh PostgreSQL database of
// the running test file's cluster, built directly (openTestHub would pick PostgreSQL for both under
// BESEDA_TEST_STORE), and PostgreSQL's count of the deadlocks it broke.
import path from 'node:path';
import { createHub } from '../../hub/ops/createHub.ts';
import type { Actor } from '../../hub/ops/Hub.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { openPgDatabase } from '../../hub/store/postgres/PgDatabase.ts';
import { fakeClock, newPostgresDatabase, RecordingSink, recordingLog, tempDir } from '../hub-core/harness.ts';

/**
 * A hub on SQLite or on a fresh PostgreSQL database, with a fake clock (built here rather than by
 * openTestHub, which would pick PostgreSQL for both under BESEDA_TEST_STORE).
 */
export async function hubOn(kind: 'sqlite' | 'postgres') {
  const clock = fakeClock();
  const storeUrl = kind === 'postgres' ? await newPostgresDatabase() : undefined;
  const hub = await createHub({
    dbFile: path.join(tempDir(), 'hub.db'),
    ...(storeUrl ? { storeUrl } : {}),
    events: new RecordingSink(),
    log: recordingLog(),
    scryptN: 2 ** 10,
    sendRate: { perSecond: 1000, burst: 10_000 },
    clock,
  });
  const user = async (login: string): Promise<Actor> => {
    await hub.createUser({ login, name: login.toUpperCase(), password: `pw-${login}-secret` });
    return (await hub.login(login, `pw-${login}-secret`, '127.0.0.1')).actor;
  };
  return { hub, user, store: (hub as SqliteHub).store, now: clock(), storeUrl };
}

/** Deadlocks PostgreSQL broke in this database so far, as its statistics show them. */
export async function deadlocks(url: string): Promise<number> {
  const db = openPgDatabase(url, { max: 1 });
  try {
    for (let tries = 0; ; tries++) {
      await db.run('SELECT pg_stat_clear_snapshot()');
      const row = await db.one<{ n: number }>(
        'SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()',
      );
      // The closed pool's backends report as they exit: give them a moment.
      if (row!.n > 0 || tries >= 30) return row!.n;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await db.close();
  }
}
