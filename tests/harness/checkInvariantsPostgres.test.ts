import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { buildWorld, settle, startLoad, type World } from './buildWorld.ts';
import { problems, type ClientLog } from './checkInvariants.ts';
import { checkInvariantsPostgres } from './checkInvariantsPostgres.ts';
import { sleep } from './harnessEnv.ts';

// The cluster fault scenarios check their invariants on PostgreSQL: the check must catch each kind
// of violation there too (the same checks as checkInvariants.test.ts on SQLite).
describe.skipIf(!postgresAvailable)('the invariant check on PostgreSQL', () => {
  let postgres: TestPostgres;
  let hub: TestHub;
  let world: World;
  let url: string;
  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase();
    hub = await startHub({ args: ['--store', url] });
    world = await buildWorld(hub, { users: 6, prefix: 'pgchk', roomSize: 3 });
    const load = startLoad(world, 100);
    await sleep(800);
    load.stop();
    await settle(world);
    await Promise.all(world.clients.map((c) => c.stop()));
    await hub.stop();
  }, 120_000);
  afterAll(async () => {
    if (hub?.process.exitCode === null) await hub.stop();
    await postgres?.close();
  });

  it('passes the real run', async () => {
    const r = await checkInvariantsPostgres(url, world.clients);
    expect(problems(r)).toEqual([]);
    expect(r.acked).toBeGreaterThan(10);
  });

  it('catches a lost acknowledged message, a missed delivery and a leak', async () => {
    const c = world.clients[0]!;
    const log: ClientLog & { acked: Map<string, Message>; received: Map<number, Message> } = {
      userId: c.userId,
      acked: new Map(c.acked),
      outbox: new Map(),
      received: new Map(c.received),
      violations: [],
      startSeq: c.startSeq,
    };
    const [someId, some] = [...log.acked][0]!;
    log.acked.set('hLostForever', { ...some, clientId: 'hLostForever' });
    log.acked.set(someId, { ...some, seq: some.seq + 100_000 });
    log.received.delete([...log.received.keys()].find((s) => s > log.startSeq)!);
    log.received.set(999_999, { ...some, seq: 999_999, conversationId: 424_242 });
    const r = await checkInvariantsPostgres(url, [log]);
    expect(r.lost).toHaveLength(2);
    expect(r.missing).toHaveLength(1);
    expect(r.leaked).toHaveLength(1);
  });

  it('catches duplicates by content and an inconsistent conversation', async () => {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ conversation_id: string; sender_id: string; text: string; ts: string }>(
        `SELECT conversation_id, sender_id, text, ts FROM messages WHERE text LIKE 'H:%' LIMIT 1`,
      );
      const row = rows[0]!;
      await db.query(
        `INSERT INTO messages (seq, conversation_id, sender_id, client_id, kind, text, ts)
         VALUES ((SELECT max(seq) + 1000 FROM messages), $1, $2, 'hDuplicate1', 'text', $3, $4)`,
        [row.conversation_id, row.sender_id, row.text, row.ts],
      );
      await db.query('UPDATE conversations SET last_seq = last_seq - 1 WHERE id = $1', [world.general]);
    } finally {
      await db.end();
    }
    const r = await checkInvariantsPostgres(url, []);
    expect(r.duplicated).toHaveLength(1);
    expect(r.inconsistent.length).toBeGreaterThanOrEqual(1);
  });
});
