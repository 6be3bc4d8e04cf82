// Connections: every account connects, in two waves (N/2, then the rest), each client looking up
// 50 people; the hub's memory per connection, the connect time, and the presence frames the clients
// received while the others arrived — at N/2 and at N, so the report shows whether they grow linearly in N.
import { log, presenceFramesOf, type PhaseContext } from './PhaseContext.ts';
import { rssOf, waitQuiet } from './procStats.ts';
import { toMb } from './report.ts';
import { maxPresenceWindowMs } from '../hub/ops/Presence.ts';
import type { Health } from './HubProcess.ts';

/**
 * People each bench client looks up after hello (`users.get`), so presence has someone to reach: a
 * staff member's direct peers and the members of the room on screen, about 50.
 */
export const presenceWatchPerClient = 50;

/**
 * How long the connections sit idle before the memory the target is about is read. V8 collects the
 * connect burst's garbage (the answers' buffers among it) and gives back the young generation it
 * grew only once the process has been quiet for a while, in steps (its memory reducer): at 18,400
 * connections the hub's RSS fell 396 → 366 MB after 30 s idle and → 337 MB after 90 s, then held.
 */
export const idleBeforeMemoryS = 120;

/**
 * Connects every account (the later phases need them online) and, unless `connections` is
 * skipped, fills `report.connections` and `report.presence`.
 */
export async function connectionsPhase(ctx: PhaseContext): Promise<void> {
  const { hub, gens, users, report } = ctx;
  // Baseline memory: accounts exist, nobody connected.
  await waitQuiet(hub.pid, 5, 15_000);
  const baselineRss = rssOf(hub.pid);
  const baselineHealth = await hub.health();
  const genBaseline = gens.pids.reduce((s, pid) => s + rssOf(pid), 0);
  const framesBefore = presenceFramesOf(await ctx.frameCounts());
  // The hub's presence publications (batch windows): what the frames per client follow.
  const publicationsOf = async () =>
    Number(/^beseda_presence_publications_total (\d+)/m.exec(await hub.metrics())?.[1] ?? NaN);
  const publicationsBefore = await publicationsOf();
  let publicationsAtHalf = 0;

  const half = Math.floor(users.length / 2);
  let connectS = 0;
  let settleS = 0;
  let failed = 0;
  let framesAtHalf = 0;
  for (const wave of [users.slice(0, half), users.slice(half)]) {
    if (wave.length === 0) continue;
    log(`connecting ${wave.length} clients (${users.length} in all)`);
    const t = performance.now();
    // Each client looks up some people, as a real one does for those it shows, among the people of
    // the hub so far: the first wave is a hub of N/2 people, the second one of N — so frames at N/2
    // and at N compare like with like (with everyone's choice among all N, the first wave's clients
    // would watch people who are not there yet, and its frames would undercount).
    const pool = users.slice(0, users.indexOf(wave[wave.length - 1]!) + 1);
    const watch = { ids: pool.map((u) => u.userId), perClient: presenceWatchPerClient };
    const held = await ctx.connect(wave, hub.wsUrl, 'hub', watch);
    const s = (performance.now() - t) / 1000;
    connectS += s;
    failed += held.failed;
    log(`  ${held.connected} connected in ${s.toFixed(1)} s; waiting for the hub to go quiet (presence fan-out)`);
    settleS += (await waitQuiet(hub.pid, 10)) / 1000;
    // The hub can be idle while a presence batch still waits out its window (up to
    // maxPresenceWindowMs with this many sockets): count only after any such window has ended.
    const windowEnds = t + s * 1000 + maxPresenceWindowMs + 1000;
    if (performance.now() < windowEnds) {
      await new Promise((r) => setTimeout(r, windowEnds - performance.now()));
      await waitQuiet(hub.pid, 10);
    }
    const counts = await ctx.frameCounts();
    // Connections that closed after their hello (the hub's heartbeat, a slow consumer cut off…), by code.
    const closes = Object.entries(counts).filter(([k]) => k.startsWith('close '));
    if (closes.length > 0) log(`  closed since the start: ${closes.map(([k, n]) => `${n} × ${k}`).join(', ')}`);
    const publications = (await publicationsOf()) - publicationsBefore;
    log(`  ${publications} presence publications (batch windows) so far`);
    if (framesAtHalf === 0) {
      framesAtHalf = presenceFramesOf(counts) - framesBefore;
      publicationsAtHalf = publications;
    }
  }
  const presenceFrames = presenceFramesOf(await ctx.frameCounts()) - framesBefore;
  const publications = (await publicationsOf()) - publicationsBefore;
  log(
    `  the clients received ${presenceFrames} presence frames while ${users.length} connected ` +
      `(${framesAtHalf} while the first ${half} did: ×${(presenceFrames / Math.max(1, framesAtHalf)).toFixed(2)} for ×2 clients; ` +
      `${(presenceFrames / Math.max(1, users.length)).toFixed(2)} per client)`,
  );
  const health = await hub.health();
  if (ctx.o.skip.has('connections')) return;
  const rss = rssOf(hub.pid);
  const genRss = gens.pids.reduce((s, pid) => s + rssOf(pid), 0);
  const count = Math.max(1, health.connections);
  const perThousand = (bytes: number) => toMb(((bytes - baselineRss) / count) * 1000);
  log(`  baseline: ${heapText(baselineHealth)}`);
  log(
    `  hub RSS ${toMb(baselineRss)} MB → ${toMb(rss)} MB with ${health.connections} connections (${perThousand(rss)} MB per 1,000); ${heapText(health)}`,
  );
  log(`  holding them idle for ${idleBeforeMemoryS} s, then reading the hub's memory again`);
  for (let s = 30; s <= idleBeforeMemoryS; s += 30) {
    await new Promise((r) => setTimeout(r, 30_000));
    if (s < idleBeforeMemoryS)
      log(`    idle ${s} s: hub RSS ${toMb(rssOf(hub.pid))} MB; ${heapText(await hub.health())}`);
  }
  const idleHealth = await hub.health();
  const idleRss = rssOf(hub.pid);
  report.connections = {
    count: health.connections,
    failed,
    connectS,
    settleS,
    baselineRssMb: toMb(baselineRss),
    rssMb: toMb(rss),
    rssMbPer1000: perThousand(rss),
    idle: { idleS: idleBeforeMemoryS, rssMb: toMb(idleRss), rssMbPer1000: perThousand(idleRss) },
    heap: [heapOf('baseline', baselineHealth), heapOf('connected', health), heapOf('idle', idleHealth)],
    presenceFrames,
    watchPerClient: presenceWatchPerClient,
    connectPerS: health.connections / Math.max(0.001, connectS),
    generatorRssMbPer1000: toMb(((genRss - genBaseline) / count) * 1000),
  };
  report.presence = {
    points: [
      { clients: half, frames: framesAtHalf, publications: publicationsAtHalf },
      { clients: users.length, frames: presenceFrames, publications },
    ],
  };
  log(
    `  after ${idleBeforeMemoryS} s idle: hub RSS ${toMb(idleRss)} MB with ${idleHealth.connections} connections ` +
      `(${report.connections.idle!.rssMbPer1000} MB per 1,000); ${heapText(idleHealth)}; ` +
      `generators ${report.connections.generatorRssMbPer1000} MB per 1,000`,
  );
}

/** The hub's V8 heap as /healthz reports it, in MB: in use, reserved, and outside it. */
function heapFigures(health: Health) {
  const m = health.memory;
  return {
    usedMb: toMb(m?.heapUsedBytes ?? 0),
    totalMb: toMb(m?.heapTotalBytes ?? 0),
    externalMb: toMb(m?.externalBytes ?? 0),
  };
}

/** {@link heapFigures} labelled with when they were read (the report's `connections.heap`). */
function heapOf(at: 'baseline' | 'connected' | 'idle', health: Health) {
  return { at, ...heapFigures(health) };
}

function heapText(health: Health): string {
  const h = heapFigures(health);
  return `V8 heap ${h.usedMb} MB in use of ${h.totalMb} MB, ${h.externalMb} MB outside it`;
}
