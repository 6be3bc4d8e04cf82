// The reconnect storm: N clients connected; the hub stops and starts again; clients reconnect all
// at once and catch up on the messages they missed.
import { presenceWatchPerClient } from './connectionsPhase.ts';
import { readFileSync } from 'node:fs';
import { realStormBackoffCapMs } from './benchOptions.ts';
import type { StormResult } from './genProtocol.ts';
import { Histogram, type HistogramData } from './Histogram.ts';
import { log, presenceFramesOf, sleep, type PhaseContext } from './PhaseContext.ts';
import { CpuMeter, cpuMsOf, waitQuiet } from './procStats.ts';
import { ProtoClient } from './ProtoClient.ts';
import type { BenchReport } from './report.ts';
import type { BenchConversations } from './setupPhase.ts';
import type { StageSeconds, StormBreakdown } from './stormFigures.ts';
import { messageText, rng } from './workload.ts';

/**
 * N clients connected; the hub stops (SIGTERM or SIGKILL) and starts again on the same port and
 * data; while the clients are away a writer posts `missed` messages that each of them must get
 * (half in the general room, half in the client's department room); then all N reconnect at once
 * with their tokens and catch up with `sync` from their last seq. Fills `report.storm`.
 */
export async function stormPhase(ctx: PhaseContext, conv: BenchConversations): Promise<void> {
  const before = presenceFramesOf(await ctx.frameCounts());
  const storm = await reconnectStorm(ctx, conv);
  storm.presenceFrames = presenceFramesOf(await ctx.frameCounts()) - before;
  ctx.report.storm = storm;
}

async function reconnectStorm(ctx: PhaseContext, conv: BenchConversations): Promise<NonNullable<BenchReport['storm']>> {
  const { o, hub, gens, users, writer } = ctx;
  const { rooms, roomIds, general } = conv;
  const stormUsers = users.slice(0, o.storm);
  log(`reconnect storm: connecting ${stormUsers.length} clients`);
  const realCapMs = realStormBackoffCapMs(o.stormSignal);
  if (o.stormBackoffCapMs !== realCapMs)
    log(`  WHAT-IF: back-off ceiling ${o.stormBackoffCapMs} ms instead of the real client's ${realCapMs} ms`);
  // Clients still open from the connections step keep the people they looked up there.
  const watch = { ids: users.map((u) => u.userId), perClient: presenceWatchPerClient };
  const { connected } = await ctx.connect(stormUsers, hub.wsUrl, 'hub', watch);
  await waitQuiet(hub.pid, 10);
  // Once its socket closes, each client backs off and retries as the real client does.
  await gens.all((g) => ({
    cmd: 'storm-arm',
    url: hub.wsUrl,
    deadlineMs: 300_000,
    backoffCapMs: o.stormBackoffCapMs,
    userIds: stormUsers.filter((_, i) => i % gens.size === g).map((u) => u.userId),
  }));
  log(`  ${connected} connected; stopping the hub with ${o.stormSignal}`);
  let t = performance.now();
  await hub.stop(o.stormSignal);
  await sleep(500);
  // Until the missed messages are posted the clients must stay away: their clock stops now and
  // moves on by the hub's start-up alone (attempts in it are refused), so their back-off is the
  // one a real restart of this length leaves them with.
  await gens.all(() => ({ cmd: 'storm-pause' }));
  const startAt = performance.now();
  await hub.start();
  const startupMs = performance.now() - startAt;
  const restartS = (performance.now() - t) / 1000;

  // The missed messages, posted while every storm client is away.
  t = performance.now();
  const random = rng(o.seed);
  const posts: { conversationId: number; seq: number }[] = [];
  const inGeneral = Math.floor(o.missed / 2);
  const perRoom = o.missed - inGeneral;
  let n = 0;
  const post = async (client: ProtoClient, conversationId: number, count: number) => {
    for (let i = 0; i < count; i++) {
      const { message } = await client.request<{ message: { seq: number } }>('send', {
        conversationId,
        clientId: `w-${(n++).toString(36)}-${Date.now().toString(36)}`,
        text: messageText(random, 40 + Math.floor(random() * 160)),
      });
      posts.push({ conversationId, seq: message.seq });
    }
  };
  const w = await ProtoClient.open(hub.wsUrl, writer.token);
  await post(w, general, inGeneral);
  await w.close();
  const stormRooms = rooms.filter((r) => r.index * o.roomSize < stormUsers.length);
  const tokenOf = new Map(users.map((u) => [u.userId, u.token]));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < stormRooms.length) {
        const room = stormRooms[next++]!;
        // Posted by the room's creator from another device: still missed by the creator's client.
        const c = await ProtoClient.open(hub.wsUrl, tokenOf.get(room.creator)!);
        await post(c, roomIds.get(room.name)!, perRoom);
        await c.close();
      }
    }),
  );
  const postS = (performance.now() - t) / 1000;
  const expected = (
    await gens.all<number>((g) => ({
      cmd: 'storm-expect',
      userIds: stormUsers.filter((_, i) => i % gens.size === g).map((u) => u.userId),
      posts,
    }))
  ).reduce((s, x) => s + x, 0);
  log(
    `  restarted in ${restartS.toFixed(1)} s; posted ${posts.length} messages (${expected} owed to clients) in ${postS.toFixed(1)} s; the hub is back for the clients now`,
  );

  const meter = new CpuMeter(hub.pid);
  const genMeters = gens.pids.map((p) => new CpuMeter(p));
  const samples = sampleCpu(hub.pid, sampleMs);
  const overflows0 = listenOverflows();
  const results = await gens.all<StormResult>(() => ({ cmd: 'storm-go', startupMs }));
  const hubCpuSamples = samples.stop();
  const cpu = meter.read();
  const generatorCpuPercent = genMeters.reduce((s, m) => s + m.read().percent, 0);
  const merged = (pick: (r: StormResult) => HistogramData) => {
    const h = new Histogram();
    for (const r of results) h.merge(pick(r));
    return h;
  };
  const catchUp = merged((r) => r.catchUp);
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  const sum = (key: keyof StormResult) => results.reduce((s, r) => s + (r[key] as number), 0);
  const stage = (h: Histogram): StageSeconds => ({
    p50: h.percentile(50) / 1000,
    p99: h.percentile(99) / 1000,
    max: h.max / 1000,
  });
  const breakdown: StormBreakdown = {
    restartS,
    awayS: postS,
    backoffWait: stage(merged((r) => r.backoffWait)),
    connect: stage(merged((r) => r.connect)),
    upgrade: stage(merged((r) => r.upgrade)),
    sync: stage(merged((r) => r.sync)),
    syncRoundTrips: {
      total: sum('syncRounds'),
      max: Math.max(...results.map((r) => r.syncRoundsMax)),
      pageSize: Math.max(...results.map((r) => r.syncPageSize)),
    },
    failedAttempts: sum('connectRetries'),
    hubCpuPercent: cpu.percent,
    hubCpuSamples,
    sampleMs,
    // Idle = the main thread asleep waiting for work (S). Low CPU alone is not idle on a loaded
    // machine: a runnable hub (R) may be waiting for a core.
    hubIdleShare:
      (samples.states.S ?? 0) /
      Math.max(
        1,
        Object.values(samples.states).reduce((a, n) => a + n, 0),
      ),
    generatorCpuPercent,
    listenOverflows: listenOverflows() - overflows0,
    hubStates: samples.states,
  };
  const storm = {
    clients: sum('clients'),
    missedEach: o.missed,
    signal: o.stormSignal,
    restartS,
    postS,
    caughtUp: sum('caughtUp'),
    allCaughtUpS: catchUp.max / 1000,
    p50S: catchUp.percentile(50) / 1000,
    p99S: catchUp.percentile(99) / 1000,
    expectedTotal: sum('expectedTotal'),
    receivedTotal: sum('receivedTotal'),
    anomalies: sum('anomalies'),
    connectRetries: sum('connectRetries'),
    errors,
    serverCpuPercent: cpu.percent,
    presenceFrames: 0,
    breakdown,
  };
  log(
    `  ${storm.caughtUp} of ${storm.clients} caught up; all in ${storm.allCaughtUpS.toFixed(2)} s ` +
      `(p50 ${storm.p50S.toFixed(2)} s, p99 ${storm.p99S.toFixed(2)} s); ${storm.connectRetries} connect retries` +
      (Object.keys(errors).length ? ` ${JSON.stringify(errors)}` : ''),
  );
  const b = breakdown;
  const st = (x: StageSeconds) => `p50 ${x.p50.toFixed(2)} / max ${x.max.toFixed(2)} s`;
  log(
    `  where the time goes: back-off wait after the hub was back ${st(b.backoffWait)}; connect+hello ${st(b.connect)} (of which TCP+upgrade+token ${st(b.upgrade!)}); ` +
      `sync ${st(b.sync)} (${b.syncRoundTrips.total} round trips, page ${b.syncRoundTrips.pageSize}); ` +
      `hub CPU ${b.hubCpuPercent.toFixed(0)} %, asleep waiting for work in ${(b.hubIdleShare * 100).toFixed(0)} % of 20 ms samples (CPU per ${b.sampleMs} ms: ` +
      `${b.hubCpuSamples.map((x) => x.toFixed(0)).join(' ')}); generators ${b.generatorCpuPercent.toFixed(0)} %; ` +
      `${b.failedAttempts} failed attempts after the hub was back, ${sum('awayAttempts')} while it was away; ` +
      `listen-queue overflows ${b.listenOverflows}; hub main thread states ${JSON.stringify(b.hubStates)} (R: running or waiting for a core, S: waiting for work, D: for the disk)`,
  );
  await gens.all(() => ({ cmd: 'disconnect' }));
  return storm;
}

/** Hub CPU samples over the storm: a hub under half a core while clients wait is waiting on something. */
const sampleMs = 250;

/** Samples a process's CPU (% of one core) every `everyMs` until stopped. */
function sampleCpu(pid: number, everyMs: number): { stop(): number[]; states: Record<string, number> } {
  const out: number[] = [];
  let last = cpuMsOf(pid);
  let lastAt = performance.now();
  // The main thread's state (R running, S sleeping, D waiting on the disk) every 20 ms.
  const states: Record<string, number> = {};
  const stateTimer = setInterval(() => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      states[state] = (states[state] ?? 0) + 1;
    } catch {
      // the process is gone
    }
  }, 20);
  const timer = setInterval(() => {
    try {
      const now = cpuMsOf(pid);
      const at = performance.now();
      out.push(((now - last) / (at - lastAt)) * 100);
      last = now;
      lastAt = at;
    } catch {
      // the process is gone
    }
  }, everyMs);
  return {
    states,
    stop() {
      clearInterval(timer);
      clearInterval(stateTimer);
      return out;
    },
  };
}

/** TCP listen-queue overflows so far, machine-wide (SYNs or handshakes dropped because accept() lagged). */
function listenOverflows(): number {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const names = lines.find((l) => l.startsWith('TcpExt:'))!.split(' ');
    const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]!.split(' ');
    return Number(values[names.indexOf('ListenOverflows')] ?? 0);
  } catch {
    return 0;
  }
}
