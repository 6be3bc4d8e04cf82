import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { buildWorld, settle, startLoad, type World } from './buildWorld.ts';
import { checkInvariants, problems } from './checkInvariants.ts';
import { heavy, report, rssMb, sleep, withinBaseline } from './harnessEnv.ts';

let hub: TestHub | undefined;
let world: World | undefined;
afterAll(async () => {
  await Promise.all(world?.clients.map((c) => c.stop()) ?? []);
  if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
});

describe('fault harness: hub crashes', () => {
  it(
    'keeps every acknowledged message exactly once, in order and only for members, through repeated SIGKILLs under load',
    async () => {
      const clients = heavy ? 120 : 50;
      const kills = heavy ? 30 : 10;
      hub = await startHub({
        args: [
          '--send-per-second',
          '100',
          '--send-burst',
          '200',
          '--frames-per-second',
          '1000',
          '--frames-burst',
          '2000',
        ],
      });
      world = await buildWorld(hub, { users: clients, prefix: 'crash' });
      await sleep(500);
      const rssBefore = rssMb(hub.process.pid!);
      const load = startLoad(world, 150);
      const t0 = Date.now();
      const ackedNow = () => world!.clients.reduce((s, c) => s + c.acked.size, 0);
      for (let k = 0; k < kills; k++) {
        // Each kill lands in traffic: at least 25 more messages acknowledged since the restart (a
        // fixed pause alone holds fewer the slower the machine is), and a random pause on top.
        const target = ackedNow() + 25;
        const deadline = Date.now() + 60_000;
        const flowing = (async () => {
          while (ackedNow() < target && Date.now() < deadline) await sleep(20);
        })();
        await Promise.all([flowing, sleep(300 + Math.random() * 500)]);
        await hub.kill();
        await sleep(Math.random() * 200);
        await hub.restart();
      }
      await sleep(1000);
      load.stop();
      const { undrained } = await settle(world);
      await sleep(1500);
      const rssAfter = rssMb(hub.process.pid!);
      const reconnects = world.clients.reduce((s, c) => s + c.connects, 0);
      const resends = world.clients.reduce((s, c) => s + c.resends, 0);
      await Promise.all(world.clients.map((c) => c.stop()));
      await hub.stop();

      const r = checkInvariants(path.join(hub.dataDir, 'beseda.db'), world.clients);
      report('crash', {
        clients,
        kills,
        seconds: Math.round((Date.now() - t0) / 1000),
        queued: load.queued,
        acked: r.acked,
        messagesChecked: r.messagesChecked,
        deliveriesChecked: r.deliveriesChecked,
        reconnects,
        resends,
        undrained,
        rssBeforeMb: rssBefore,
        rssAfterMb: rssAfter,
      });
      expect(problems(r)).toEqual([]);
      expect(r.acked).toBeGreaterThan(kills * 20);
      expect(resends).toBeGreaterThan(0);
      expect(withinBaseline(rssBefore, rssAfter)).toBe(true);
    },
    heavy ? 600_000 : 300_000,
  );
});
