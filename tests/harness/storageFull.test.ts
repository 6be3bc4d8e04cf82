import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { buildWorld, settle, startLoad, type World } from './buildWorld.ts';
import { checkInvariants, problems } from './checkInvariants.ts';
import { heavy, report, rssMb, sleep, withinBaseline } from './harnessEnv.ts';

const hubs: TestHub[] = [];
let world: World | undefined;
afterAll(async () => {
  await Promise.all(world?.clients.map((c) => c.stop()) ?? []);
  for (const h of hubs) if (h.process.exitCode === null && h.process.signalCode === null) await h.stop();
});

const pageCount = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('page_count', { simple: true }) as number;
  } finally {
    db.close();
  }
};

describe('fault harness: disk full', () => {
  it(
    'refuses sends with storage_full while reads keep working, stays up, and takes everything once space returns',
    async () => {
      const clients = heavy ? 60 : 20;
      // Frame limits out of the way (the flood test covers them): while the disk is full every client
      // keeps resending its whole outbox, a loaded hub reads those frames in clumps, and the
      // production burst cut a reader off with 4008 in the middle of its read (seen at load 20).
      const rateArgs = ['--send-per-second', '200', '--send-burst', '400'];
      rateArgs.push('--frames-per-second', '5000', '--frames-burst', '5000');
      const first = await startHub({ args: rateArgs });
      hubs.push(first);
      let current = first;
      world = await buildWorld(first, { users: clients, prefix: 'full', url: () => current.wsUrl, resendMs: 300 });
      const dbFile = path.join(first.dataDir, 'beseda.db');
      await first.stop();
      // The disk is "full" a few pages above what the organisation needs already.
      const pages = pageCount(dbFile) + 8;
      current = await startHub({ dataDir: first.dataDir, args: [...rateArgs, '--max-db-pages', String(pages)] });
      hubs.push(current);
      const hub = current;
      await Promise.all(world.clients.map((c) => c.whenReady()));
      await sleep(300);
      const rssBefore = rssMb(hub.process.pid!);

      const load = startLoad(world, 40);
      const full = () => world!.clients.some((c) => (c.errors.storage_full ?? 0) > 0);
      const deadline = Date.now() + 30_000;
      while (!full() && Date.now() < deadline) await sleep(100);
      expect(full()).toBe(true);
      await sleep(1500);

      // Full: reading still works, the hub is up, nothing was refused for another reason.
      const reader = world.clients[1]!;
      const room = world.postable.get(reader.userId)![1]!;
      const history = await reader.request<{ messages: unknown[] }>('history', { conversationId: room, limit: 50 });
      expect(history.messages.length).toBeGreaterThan(0);
      const sync = await reader.request<{ messages: unknown[] }>('sync', { since: 0, limit: 100 });
      expect(sync.messages.length).toBeGreaterThan(0);
      // Up, but telling monitoring it cannot store anything (503 degraded, not "ok").
      const healthWhileFull = await fetch(`${hub.url}/healthz`);
      expect(healthWhileFull.status).toBe(503);
      expect(((await healthWhileFull.json()) as { reason?: string }).reason).toBe('storage_full');
      const login = await fetch(`${hub.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: world.users[2]!.login, password: world.users[2]!.password }),
      });
      // A sign-in writes a session: it may be refused, but only with the documented code.
      const loginBody = (await login.json()) as { token?: string; error?: { code: string } };
      expect(login.ok || loginBody.error?.code === 'storage_full').toBe(true);
      const pendingWhileFull = world.clients.reduce((s, c) => s + c.outbox.size, 0);
      expect(pendingWhileFull).toBeGreaterThan(0);

      // Space returns (the runtime command; restarting with a larger --max-db-pages works too).
      await hub.admin_('storage.limit', { maxPages: null });
      await sleep(1000);
      expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
      load.stop();
      const { undrained } = await settle(world);
      await sleep(1500);
      const rssAfter = rssMb(hub.process.pid!);
      const codes = new Set(world.clients.flatMap((c) => Object.keys(c.errors)));
      const refused = world.clients.reduce((s, c) => s + (c.errors.storage_full ?? 0), 0);
      await Promise.all(world.clients.map((c) => c.stop()));
      await hub.stop();

      const r = checkInvariants(dbFile, world.clients);
      report('disk full', {
        clients,
        maxPages: pages,
        storageFullReplies: refused,
        pendingWhileFull,
        errorCodes: [...codes],
        loginWhileFull: login.status,
        acked: r.acked,
        messagesChecked: r.messagesChecked,
        deliveriesChecked: r.deliveriesChecked,
        undrained,
        rssBeforeMb: rssBefore,
        rssAfterMb: rssAfter,
      });
      expect(problems(r)).toEqual([]);
      expect([...codes].filter((c) => !['storage_full', 'rate_limited', 'closed'].includes(c))).toEqual([]);
      expect(world.clients.every((c) => c.rejected.size === 0)).toBe(true);
      expect(withinBaseline(rssBefore, rssAfter)).toBe(true);
    },
    heavy ? 600_000 : 300_000,
  );
});
