// A real hub process on PostgreSQL (--store): it starts, /healthz answers ok, /metrics shows the
// database's size from the server, the SQLite-only storage commands (backup, storage limit) refuse
// naming PostgreSQL's tools, search works through the hub, and SIGTERM stops it cleanly (the pool
// ended, exit code 0).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startHub } from '../helpers/startHub.ts';

let cluster: TestPostgres | undefined;

beforeAll(async () => {
  if (postgresAvailable) cluster = await startPostgres();
});

afterAll(async () => {
  await cluster?.close();
});

describe.skipIf(!postgresAvailable)('storage administration of a hub on PostgreSQL', () => {
  it('starts, answers /healthz and /metrics, refuses SQLite-only commands, stops cleanly', async () => {
    const hub = await startHub({ args: ['--store', await cluster!.createDatabase(), '--backup-every', '0'] });
    try {
      const health = await fetch(`${hub.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      const anna = await hub.addUser('anna');
      const { token } = await hub.login(anna.login, anna.password);
      expect(token).toBeTruthy();

      const metrics = await (await fetch(`${hub.url}/metrics`)).text();
      const size = /^beseda_database_bytes (\d+)/m.exec(metrics);
      expect(size, metrics.slice(0, 2000)).not.toBeNull();
      expect(Number(size![1])).toBeGreaterThan(1_000_000);

      await expect(hub.admin_('backup', { file: `${hub.dataDir}/copy.db` })).rejects.toThrow(/pg_dump/);
      await expect(hub.admin_('storage.limit', { maxPages: 1000 })).rejects.toThrow(/SQLite store/);
      // The hub still serves after the refusals.
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    } finally {
      const code = await hub.stop();
      expect(code, hub.output.join('\n').slice(-3000)).toBe(0);
    }
  });
});
