// The hub's start-up line names the store it serves from, never the PostgreSQL password; on
// PostgreSQL the hub's own (SQLite file) backup schedule is off, saying so.
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';

describe.skipIf(!postgresAvailable)('the listening line', () => {
  const hubs: TestHub[] = [];
  let cluster: TestPostgres | undefined;
  afterAll(async () => {
    for (const h of hubs) await h.stop();
    await cluster?.close();
  });

  it('says postgres://user:***@… (trust authentication ignores the password given)', async () => {
    cluster = await startPostgres();
    const url = (await cluster.createDatabase()).replace('postgres://beseda@', 'postgres://beseda:s3cret-pw@');
    const hub = await startHub({ args: ['--store', url] });
    hubs.push(hub);
    const line = hub.output.map((l) => JSON.parse(l.startsWith('{') ? l : '{}')).find((e) => e.msg === 'listening');
    expect(line.store).toBe(url.replace(':s3cret-pw@', ':***@'));
    expect(hub.output.join('\n')).not.toContain('s3cret-pw');
    // The SQLite file copies are not PostgreSQL's backups: the schedule is off and the log says so.
    expect(hub.output.some((l) => l.includes('scheduled backups are off'))).toBe(true);
    expect(await hub.admin_('backup.status', { dir: hub.dataDir, everyMs: 86_400_000, keep: 7 })).toMatchObject({
      everyMs: 0,
    });
  });

  // BESEDA_STORE given (empty: the default) keeps startHub from choosing PostgreSQL under BESEDA_TEST_STORE.
  it('says sqlite on the default store', async () => {
    const hub = await startHub({ env: { BESEDA_STORE: '' } });
    hubs.push(hub);
    const line = hub.output.map((l) => JSON.parse(l.startsWith('{') ? l : '{}')).find((e) => e.msg === 'listening');
    expect(line.store).toBe('sqlite');
  });
});
