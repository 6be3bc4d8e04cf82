import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { buildWorld, settle, startLoad, type World } from './buildWorld.ts';
import { checkInvariants, problems } from './checkInvariants.ts';
import { heavy, report, sleep } from './harnessEnv.ts';
import { startProbe } from './probe.ts';

let hub: TestHub;
let world: World;
afterAll(async () => {
  await Promise.all(world?.clients.map((c) => c.stop()) ?? []);
  if (hub && hub.process.exitCode === null) await hub.stop();
});

const ackedCount = () => world.clients.reduce((s, c) => s + c.acked.size, 0);

/**
 * Holds SQLite's write lock (`BEGIN IMMEDIATE`) on the hub's database from ANOTHER process for
 * `ms`, as a maintenance script or a careless admin tool would.
 */
function holdWriteLock(dbFile: string, ms: number): Promise<void> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1], { timeout: 2000 });
    db.exec('BEGIN IMMEDIATE');
    db.prepare('UPDATE users SET name = name WHERE id = 1').run();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('ROLLBACK');
  `;
  const child = spawn(process.execPath, ['-e', script, dbFile, String(ms)], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`)))),
  );
}

describe('fault harness: the database locked by someone else', () => {
  it('keeps acknowledging sends while another connection holds a long read transaction (WAL)', async () => {
    hub = await startHub({ args: ['--send-per-second', '100', '--send-burst', '200', '--frames-per-second', '1000'] });
    world = await buildWorld(hub, { users: heavy ? 60 : 20, prefix: 'lock' });
    const dbFile = path.join(hub.dataDir, 'beseda.db');
    const load = startLoad(world, 100);
    await sleep(500);
    const reader = new Database(dbFile, { readonly: true });
    reader.exec('BEGIN');
    const snapshot = (reader.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    const before = ackedCount();
    await sleep(heavy ? 8000 : 3000);
    const during = ackedCount() - before;
    // The reader still sees its snapshot: a consistent read while the hub keeps writing.
    expect((reader.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(snapshot);
    reader.exec('COMMIT');
    reader.close();
    load.stop();
    await settle(world);
    report('long reader', { ackedWhileReaderHeldSnapshot: during, snapshotMessages: snapshot });
    expect(during).toBeGreaterThan(20);
  }, 60_000);

  it('makes sends wait (or fail with a clear code) while another process holds the write lock — no crash, no partial write', async () => {
    const dbFile = path.join(hub.dataDir, 'beseda.db');
    const load = startLoad(world, 100);
    await sleep(500);
    const probe = startProbe(world.clients.at(-1)!);
    const lockMs = heavy ? 8000 : 3000;
    const before = ackedCount();
    const t0 = Date.now();
    await holdWriteLock(dbFile, lockMs);
    const heldMs = Date.now() - t0;
    await sleep(500);
    const probeFigures = await probe.stop();
    load.stop();
    const { undrained } = await settle(world);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    const codes = new Set(world.clients.flatMap((c) => Object.keys(c.errors)));
    await Promise.all(world.clients.map((c) => c.stop()));
    await hub.stop();

    const r = checkInvariants(dbFile, world.clients);
    report('write lock held elsewhere', {
      lockHeldMs: heldMs,
      ackedDuringAndAfter: ackedCount() - before,
      errorCodes: [...codes],
      probeRoundTripMs: probeFigures,
      acked: r.acked,
      messagesChecked: r.messagesChecked,
      undrained,
    });
    expect(problems(r)).toEqual([]);
    // The writes waited for the lock instead of failing: everything sent during it got in.
    expect(ackedCount() - before).toBeGreaterThan(20);
    // "unavailable" is the documented answer for a lock held past the busy timeout.
    expect([...codes].filter((c) => !['unavailable', 'rate_limited', 'closed', 'timeout'].includes(c))).toEqual([]);
    expect(hub.output.join('\n')).not.toMatch(/uncaught|FATAL|Unhandled/i);
  }, 90_000);
});
