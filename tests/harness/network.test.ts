import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { buildWorld, settle, startLoad, type World } from './buildWorld.ts';
import { ChaosProxy } from './ChaosProxy.ts';
import { checkInvariants, problems } from './checkInvariants.ts';
import { heavy, report, rssMb, sleep, withinBaseline } from './harnessEnv.ts';

let hub: TestHub | undefined;
let world: World | undefined;
let proxy: ChaosProxy | undefined;
afterAll(async () => {
  await Promise.all(world?.clients.map((c) => c.stop()) ?? []);
  await proxy?.close();
  if (hub && hub.process.exitCode === null) await hub.stop();
});

describe('fault harness: a misbehaving network', () => {
  it(
    'loses and duplicates nothing when connections are cut, traffic is black-holed and acknowledgements are dropped',
    async () => {
      const clients = heavy ? 100 : 40;
      const rounds = heavy ? 3 : 1;
      // A short heartbeat so the hub notices black-holed sockets within the test.
      hub = await startHub({
        args: [
          '--send-per-second',
          '100',
          '--send-burst',
          '200',
          '--frames-per-second',
          '1000',
          '--heartbeat-ms',
          '1000',
        ],
      });
      proxy = await ChaosProxy.start(() => hub!.port);
      const p = proxy;
      world = await buildWorld(hub, { users: clients, prefix: 'net', url: () => p.wsUrl, resendMs: 500 });
      await sleep(500);
      const rssBefore = rssMb(hub.process.pid!);
      const load = startLoad(world, 150);
      const t0 = Date.now();
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < 3; i++) {
          await sleep(700);
          p.cutAll();
        }
        await sleep(700);
        await p.blackhole(2500);
        await sleep(1000);
        p.dropAcks = true;
        await sleep(2500);
        p.dropAcks = false;
      }
      await sleep(1000);
      load.stop();
      const { undrained } = await settle(world);
      const health = await fetch(`${hub.url}/healthz`);
      expect(health.status).toBe(200);
      await sleep(2000);
      const rssAfter = rssMb(hub.process.pid!);
      const resends = world.clients.reduce((s, c) => s + c.resends, 0);
      const reconnects = world.clients.reduce((s, c) => s + c.connects, 0);
      await Promise.all(world.clients.map((c) => c.stop()));
      await hub.stop();

      const r = checkInvariants(path.join(hub.dataDir, 'beseda.db'), world.clients);
      report('network', {
        clients,
        seconds: Math.round((Date.now() - t0) / 1000),
        connectionsCut: p.cuts,
        proxiedConnections: p.connections,
        acksDropped: p.droppedAcks,
        resends,
        reconnects,
        queued: load.queued,
        acked: r.acked,
        messagesChecked: r.messagesChecked,
        deliveriesChecked: r.deliveriesChecked,
        undrained,
        rssBeforeMb: rssBefore,
        rssAfterMb: rssAfter,
      });
      expect(problems(r)).toEqual([]);
      expect(p.cuts).toBeGreaterThan(clients);
      expect(p.droppedAcks).toBeGreaterThan(10);
      expect(resends).toBeGreaterThan(p.droppedAcks / 2);
      expect(withinBaseline(rssBefore, rssAfter)).toBe(true);
    },
    heavy ? 600_000 : 300_000,
  );
});
