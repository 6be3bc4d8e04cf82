// Connections: every account connects at once; the hub's memory per connection, the connect
// time and the presence frames the clients received while the others arrived.
import { log, presenceFramesOf, type PhaseContext } from './PhaseContext.ts';
import { rssOf, waitQuiet } from './procStats.ts';
import { toMb } from './report.ts';

/**
 * Connects every account (the later phases need them online) and, unless `connections` is
 * skipped, fills `report.connections`.
 */
export async function connectionsPhase(ctx: PhaseContext): Promise<void> {
  const { hub, users, report } = ctx;
  // Baseline memory: accounts exist, nobody connected.
  await waitQuiet(hub.pid, 5, 15_000);
  const baselineRss = rssOf(hub.pid);

  log(`connecting ${users.length} clients`);
  const t = performance.now();
  const held = await ctx.connect(users, hub.wsUrl, 'hub');
  const connectS = (performance.now() - t) / 1000;
  log(`  ${held.connected} connected in ${connectS.toFixed(1)} s; waiting for the hub to go quiet (presence fan-out)`);
  const settleS = (await waitQuiet(hub.pid, 10)) / 1000;
  const presenceFrames = presenceFramesOf(await ctx.frameCounts());
  log(`  the clients received ${presenceFrames} presence frames while connecting`);
  const health = await hub.health();
  if (ctx.o.skip.has('connections')) return;
  const rss = rssOf(hub.pid);
  report.connections = {
    count: health.connections,
    failed: held.failed,
    connectS,
    settleS,
    baselineRssMb: toMb(baselineRss),
    rssMb: toMb(rss),
    rssMbPer1000: toMb(((rss - baselineRss) / Math.max(1, health.connections)) * 1000),
    presenceFrames,
  };
  log(`  hub RSS ${toMb(baselineRss)} MB → ${toMb(rss)} MB with ${health.connections} connections`);
}
