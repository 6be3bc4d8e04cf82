// PostgreSQL restarting under a hub (issue 20, faults): while it is down, sends and reads are
// refused with `unavailable` (never acknowledged without being stored), the hub does not crash, and
// once it is back the same hub works again by itself; a retry of a refused send is stored once.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHub } from '../../hub/ops/createHub.ts';
import type { HubError } from '../../hub/ops/HubError.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { RecordingSink, recordingLog, tempDir } from '../hub-core/harness.ts';

describe.skipIf(!postgresAvailable)('PostgreSQL restarting under the hub', () => {
  let cluster: TestPostgres | undefined;
  afterAll(async () => {
    await cluster?.close();
  });

  it('refuses with unavailable while it is down and recovers by itself', async () => {
    cluster = await startPostgres();
    const log = recordingLog();
    const hub = await createHub({
      dbFile: path.join(tempDir(), 'hub.db'),
      storeUrl: await cluster.createDatabase(),
      events: new RecordingSink(),
      log,
      scryptN: 2 ** 10,
      sendRate: { perSecond: 1000, burst: 10_000 },
    });
    await hub.createUser({ login: 'anna', name: 'Анна', password: 'pw-anna-secret' });
    const anna = (await hub.login('anna', 'pw-anna-secret', '127.0.0.1')).actor;
    const first = await hub.send(anna, { conversationId: 1, clientId: 'restart-1', text: 'до' });

    await cluster.stop('fast');
    const refused = await hub.send(anna, { conversationId: 1, clientId: 'restart-2', text: 'во время' }).then(
      () => 'stored',
      (e: HubError) => e.code,
    );
    expect(refused).toBe('unavailable');
    expect(
      await hub.history(anna, { conversationId: 1 }).then(
        () => 'ok',
        (e: HubError) => e.code,
      ),
    ).toBe('unavailable');
    expect(log.lines.some((l) => l.msg === 'database unavailable')).toBe(true);

    await cluster.start();
    // The same hub, no restart: the pool opens new connections. The client's outbox sends again.
    const again = await hub.send(anna, { conversationId: 1, clientId: 'restart-2', text: 'во время' });
    const repeat = await hub.send(anna, { conversationId: 1, clientId: 'restart-2', text: 'во время' });
    expect(repeat.seq).toBe(again.seq);
    expect(again.seq).toBeGreaterThan(first.seq);
    const texts = (await hub.history(anna, { conversationId: 1 })).messages.map((m) => m.text);
    expect(texts.filter((t) => t === 'во время')).toHaveLength(1);
    expect(texts).toContain('до');
    await hub.close();
  });
});
