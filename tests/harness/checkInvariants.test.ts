import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { buildWorld, settle, startLoad, type World } from './buildWorld.ts';
import { checkInvariants, problems, type ClientLog } from './checkInvariants.ts';
import { sleep } from './harnessEnv.ts';

// The checker the fault scenarios rely on must itself catch each kind of violation.
let hub: TestHub;
let world: World;
let dbFile: string;
beforeAll(async () => {
  hub = await startHub();
  world = await buildWorld(hub, { users: 6, prefix: 'chk', roomSize: 3 });
  const load = startLoad(world, 100);
  await sleep(800);
  load.stop();
  await settle(world);
  await Promise.all(world.clients.map((c) => c.stop()));
  await hub.stop();
  dbFile = path.join(hub.dataDir, 'beseda.db');
}, 60_000);
afterAll(async () => {
  if (hub.process.exitCode === null) await hub.stop();
});

/** A client's log as plain data that a test may tamper with. */
const logOf = (i: number): ClientLog & { acked: Map<string, Message>; received: Map<number, Message> } => {
  const c = world.clients[i]!;
  return {
    userId: c.userId,
    acked: new Map(c.acked),
    outbox: new Map(),
    received: new Map(c.received),
    violations: [...c.violations],
    startSeq: c.startSeq,
  };
};

describe('the invariant check', () => {
  it('passes the real run', () => {
    const r = checkInvariants(dbFile, world.clients);
    expect(problems(r)).toEqual([]);
    expect(r.acked).toBeGreaterThan(10);
  });

  it('catches a lost acknowledged message, a missed delivery, a leak, an undrained outbox and disorder', () => {
    const log = logOf(0);
    const [someId, some] = [...log.acked][0]!;
    log.acked.set('hLostForever', { ...some, clientId: 'hLostForever' });
    log.acked.set(someId, { ...some, seq: some.seq + 100_000 });
    const missingSeq = [...log.received.keys()].find((s) => s > log.startSeq)!;
    log.received.delete(missingSeq);
    log.received.set(999_999, { ...some, seq: 999_999, conversationId: 424_242 });
    const withOutbox = { ...log, outbox: new Map([['x', {}]]), violations: ['live order: seq 5 after 7'] };
    const r = checkInvariants(dbFile, [withOutbox]);
    expect(r.lost).toHaveLength(2);
    expect(r.missing).toHaveLength(1);
    expect(r.leaked).toHaveLength(1);
    expect(r.undrained).toHaveLength(1);
    expect(r.disorder).toHaveLength(1);
  });

  it('a late live message is disorder unless its sender resent it (a publish lost with a killed node)', () => {
    const [receiver, sender] = [logOf(0), logOf(1)];
    const [clientId, m] = [...sender.acked][0]!;
    const late = { seq: m.seq, after: m.seq + 3, conversationId: m.conversationId, senderId: sender.userId, clientId };
    const lateFor = { ...receiver, lateLive: [late] };
    const notResent = checkInvariants(dbFile, [lateFor, sender]);
    expect(notResent.disorder).toEqual([
      `user ${receiver.userId}: live order: seq ${m.seq} after ${m.seq + 3} in conversation ${m.conversationId}`,
    ]);
    const resender = { ...sender, resent: new Set([clientId]) };
    const resent = checkInvariants(dbFile, [lateFor, resender], { severalNodes: true });
    expect(resent.disorder).toEqual([]);
    expect(resent.lateResent).toBe(1);
    // A single hub never publishes a resend again: there it is disorder all the same.
    expect(checkInvariants(dbFile, [lateFor, resender]).disorder).toHaveLength(1);
    // Another sender's resend of that client id does not excuse it.
    const otherResent = checkInvariants(dbFile, [{ ...lateFor, resent: new Set([clientId]) }, sender], {
      severalNodes: true,
    });
    expect(otherResent.disorder).toHaveLength(1);
  });

  it('catches duplicates by content and an inconsistent conversation', () => {
    const copy = dbFile.replace(/\.db$/, '-tampered.db');
    copyFileSync(dbFile, copy);
    const db = new Database(copy);
    const row = db.prepare(`SELECT * FROM messages WHERE text GLOB 'H:*' LIMIT 1`).get() as Record<string, unknown>;
    db.prepare(
      `INSERT INTO messages (conversation_id, sender_id, client_id, kind, text, ts) VALUES (?, ?, 'hDuplicate1', 'text', ?, ?)`,
    ).run(row.conversation_id, row.sender_id, row.text, row.ts);
    db.prepare('UPDATE conversations SET last_seq = last_seq - 1 WHERE id = ?').run(world.general);
    db.close();
    const r = checkInvariants(copy, []);
    expect(r.duplicated).toHaveLength(1);
    expect(r.inconsistent.length).toBeGreaterThanOrEqual(1);
  });
});
