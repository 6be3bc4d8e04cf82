// `npm run bench`: the real hub as its own process, driven by separate load-generator processes
// with real accounts and tokens over the real protocol, side by side with a bare ws relay.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { abuseBench } from './abuseBench.ts';
import type { RelayMembership } from './bareRelay.ts';
import { parseBenchOptions, type BenchOptions } from './benchOptions.ts';
import { createUsers } from './createUsers.ts';
import { filesBench } from './filesBench.ts';
import { searchBench } from './searchBench.ts';
import type {
  BenchUser,
  ConnectResult,
  RunResult,
  RunSpec,
  SetupResult,
  StormResult,
  UserConversations,
} from './genProtocol.ts';
import { GenPool } from './GenPool.ts';
import { Histogram } from './Histogram.ts';
import { HubProcess, type Health } from './HubProcess.ts';
import { CpuMeter, rssOf, waitQuiet } from './procStats.ts';
import { ProtoClient } from './ProtoClient.ts';
import { rendererBench, rendererBenchAvailable } from './rendererBench.ts';
import { machine, markdown, textTable, toMb, writeReport, type BenchReport, type PhaseFigures } from './report.ts';
import { messageText, nowMs, rng } from './workload.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** Hub flags of the benchmark: production settings except these (said so in the report). */
const hubFlags = [
  '--scrypt-n',
  '1024',
  '--send-per-second',
  '1000',
  '--send-burst',
  '2000',
  '--frames-per-second',
  '2000',
  '--frames-burst',
  '4000',
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Runs the benchmark; returns the process exit code. */
export async function runBench(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-'));
  const hub = new HubProcess(path.join(root, 'dist/hub/beseda-hub.js'), dataDir, [
    '--log-level',
    'info',
    ...hubFlags.slice(2),
  ]);
  let gens: GenPool | undefined;
  try {
    gens = new GenPool(path.join(here, 'loadGen.js'), options.generators);
    const report = await benchmark(options, hub, gens);
    if (!options.skip.has('abuse')) {
      log('abuse: a client flooding the hub, then one sending hostile frames, while another asks it questions');
      report.abuse = await abuseBench(path.join(root, 'dist/hub/beseda-hub.js'));
      log(`  ${JSON.stringify(report.abuse)}`);
    }
    if (!options.skip.has('files')) {
      log(`files: a ${options.fileMb} MB upload and download through the hub beside a plain copy on the same disk`);
      report.files = await filesBench(path.join(root, 'dist/hub/beseda-hub.js'), options.fileMb);
      log(`  ${JSON.stringify(report.files)}`);
    }
    if (!options.skip.has('search') && options.searchMessages > 0) {
      log(`search: ${options.searchMessages.toLocaleString('en')} messages, queried over the protocol`);
      report.search = await searchBench(path.join(root, 'dist/hub/beseda-hub.js'), options.searchMessages);
      log(`  ${JSON.stringify(report.search)}`);
    }
    const webRoot = path.join(root, 'dist/web');
    if (!options.skip.has('renderer')) {
      if (rendererBenchAvailable(webRoot)) {
        log('web client: opening 10,000-message conversations in Chromium');
        report.renderer = await rendererBench(path.join(root, 'dist/hub/beseda-hub.js'), webRoot);
        log(`  ${JSON.stringify(report.renderer)}`);
      } else log('web client step skipped: needs /usr/bin/chromium and dist/web (npm run build)');
    }
    process.stdout.write('\n' + textTable(report) + '\n\n' + markdown(report).split('\n')[0] + '\n\n');
    const files = writeReport(report, path.resolve(root, options.out));
    log(`wrote ${path.relative(root, files.json)} and ${path.relative(root, files.md)}`);
    return 0;
  } catch (err) {
    process.stderr.write(`benchmark failed: ${(err as Error).stack ?? String(err)}\n`);
    process.stderr.write(`last hub output:\n${hub.tail.join('\n')}\n`);
    return 1;
  } finally {
    await gens?.close();
    await hub.stop('SIGTERM').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchmark(o: BenchOptions, hub: HubProcess, gens: GenPool): Promise<BenchReport> {
  const G = gens.size;
  const doConnections = !o.skip.has('connections');
  const doStorm = !o.skip.has('storm');
  const population = Math.max(doConnections ? o.connections : 0, o.clients, doStorm ? o.storm : 0);
  const genOf = (i: number) => i % G;

  log(`starting the hub (data in ${hub.dataDir})`);
  await hub.start();
  log(`creating ${population} accounts and signing each in`);
  const { users, createMs, loginMs } = await createUsers(hub, population, 'u');
  const {
    users: [writer],
  } = await createUsers(hub, 1, 'w');
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machine(),
    options: { ...o, skip: [...o.skip] },
    hubFlags,
    setup: {
      users: population,
      createUsersPerS: population / (createMs / 1000),
      loginsPerS: population / (loginMs / 1000),
      rooms: 0,
      directs: 0,
    },
    phases: [],
    hubWarnings: hub.warnings,
  };
  log(
    `accounts: ${Math.round(report.setup.createUsersPerS)}/s created, ${Math.round(report.setup.loginsPerS)}/s signed in`,
  );

  const byGen = <T>(items: readonly T[], index: (item: T) => number): T[][] => {
    const out: T[][] = Array.from({ length: G }, () => []);
    for (const item of items) out[genOf(index(item))]!.push(item);
    return out;
  };
  const indexOf = new Map(users.map((u, i) => [u.userId, i]));
  const connect = async (subset: BenchUser[], url: string, kind: 'hub' | 'bare') => {
    const parts = byGen(subset, (u) => indexOf.get(u.userId)!);
    const results = await gens.all<ConnectResult>((i) => ({
      cmd: 'connect',
      url,
      kind,
      users: parts[i]!,
      concurrency: 50,
    }));
    const connected = results.reduce((s, r) => s + r.connected, 0);
    const failed = results.reduce((s, r) => s + r.failed, 0);
    if (failed > 0) log(`  ${failed} connections failed: ${JSON.stringify(results.map((r) => r.errors))}`);
    return { connected, failed };
  };
  const disconnect = async (subset?: BenchUser[]) => {
    const parts = subset && byGen(subset, (u) => indexOf.get(u.userId)!);
    await gens.all((i) => ({ cmd: 'disconnect', userIds: parts?.[i]?.map((u) => u.userId) }));
  };

  // Baseline memory: accounts exist, nobody connected.
  await waitQuiet(hub.pid, 5, 15_000);
  const baselineRss = rssOf(hub.pid);

  const frameCounts = async () => {
    const all = await gens.all<Record<string, number>>(() => ({ cmd: 'counters' }));
    const sum: Record<string, number> = {};
    for (const c of all) for (const [k, n] of Object.entries(c)) sum[k] = (sum[k] ?? 0) + n;
    return sum;
  };
  log(`connecting ${population} clients`);
  let t = performance.now();
  const held = await connect(users, hub.wsUrl, 'hub');
  const connectS = (performance.now() - t) / 1000;
  log(`  ${held.connected} connected in ${connectS.toFixed(1)} s; waiting for the hub to go quiet (presence fan-out)`);
  const settleS = (await waitQuiet(hub.pid, 10)) / 1000;
  const counts = await frameCounts();
  // Lone changes come as `presence`, gathered ones as one `presence.batch`: both are frames sent.
  const presenceFrames = (counts.presence ?? 0) + (counts['presence.batch'] ?? 0);
  log(`  the clients received ${presenceFrames} presence frames while connecting`);
  const health = await hub.health();
  if (doConnections) {
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

  // Departments: every person in one room of ~roomSize; direct conversations among the active clients.
  log('creating rooms and direct conversations over the protocol');
  const writerClient = await ProtoClient.open(hub.wsUrl, writer!.token);
  const general = writerClient.hello.conversations.find((c) => c.kind === 'general')!.id;
  await writerClient.close();
  const rooms: { name: string; creator: number; members: number[]; index: number }[] = [];
  for (let k = 0; k * o.roomSize < population; k++) {
    const members = users.slice(k * o.roomSize, (k + 1) * o.roomSize).map((u) => u.userId);
    rooms.push({ name: `Отдел ${k + 1}`, creator: members[0]!, members: members.slice(1), index: k });
  }
  const directs: { userId: number; peerId: number }[] = [];
  const stride = Math.max(2, Math.floor(o.clients / 3));
  for (let i = 0; i < o.clients; i++) {
    for (const j of [(i + 1) % o.clients, (i + stride) % o.clients])
      if (j !== i) directs.push({ userId: users[i]!.userId, peerId: users[j]!.userId });
  }
  t = performance.now();
  const setups = await gens.all<SetupResult>((g) => ({
    cmd: 'setup',
    rooms: rooms.filter((r) => genOf(indexOf.get(r.creator)!) === g),
    directs: directs.filter((d) => genOf(indexOf.get(d.userId)!) === g),
  }));
  const roomIds = new Map(setups.flatMap((s) => s.rooms).map((r) => [r.name, r.conversationId]));
  const setupErrors = setups.flatMap((s) => Object.entries(s.errors));
  if (setupErrors.length > 0) throw new Error(`setup failed: ${JSON.stringify(setupErrors)}`);
  const conversations: Record<number, UserConversations> = {};
  const members = new Map<number, Set<number>>();
  for (const u of users) conversations[u.userId] = { general, rooms: [], directs: [] };
  for (const r of rooms) {
    const id = roomIds.get(r.name)!;
    members.set(id, new Set([r.creator, ...r.members]));
    for (const userId of [r.creator, ...r.members]) conversations[userId]!.rooms.push(id);
  }
  for (const d of setups.flatMap((s) => s.directs)) {
    if (members.has(d.conversationId)) continue;
    members.set(d.conversationId, new Set([d.userId, d.peerId]));
    conversations[d.userId]!.directs.push(d.conversationId);
    conversations[d.peerId]!.directs.push(d.conversationId);
  }
  report.setup.rooms = rooms.length;
  report.setup.directs = members.size - rooms.length;
  await gens.all(() => ({ cmd: 'assign', conversations }));
  log(
    `  ${rooms.length} rooms, ${report.setup.directs} direct conversations in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // The mixed workload runs with `clients` connected: the others go offline.
  const active = users.slice(0, o.clients);
  await disconnect(users.slice(o.clients));
  await sleep(6000); // presence grace: the last "offline" events go out
  await waitQuiet(hub.pid, 10);

  const acks = { acked: 0, sent: 0 };
  const phase = async (
    system: 'beseda' | 'bare',
    mode: PhaseFigures['mode'],
    pid: number,
    healthOf?: () => Promise<Health>,
  ) => {
    const durationMs = (mode === 'rate' ? o.durationS : o.saturateS) * 1000;
    await healthOf?.().catch(() => undefined);
    const startAt = nowMs() + 500;
    const spec: Omit<RunSpec, 'seed'> = {
      mode: mode === 'rate' ? 'rate' : 'saturate',
      rate: o.rate / G,
      window: o.window,
      startAt,
      durationMs,
      drainMs: 5000,
      // Ingest: direct messages only, so the figure is what the hub accepts and commits, not its fan-out.
      mix: mode === 'ingest' ? { general: 0, rooms: 0, direct: 1 } : o.mix,
      typingShare: o.typing,
      presencePerSecond: o.presence / G,
    };
    const what =
      mode === 'rate'
        ? `${o.rate} msg/s`
        : `${mode === 'ingest' ? 'ingest (direct messages only)' : 'saturation'}, ${o.window * G} sends in flight,`;
    log(`${system}: ${what} for ${durationMs / 1000} s with ${o.clients} clients`);
    const pending = gens.all<RunResult>((i) => ({ cmd: 'run', ...spec, seed: o.seed * 1000 + i }));
    await sleep(startAt - nowMs());
    const meter = new CpuMeter(pid);
    const genMeters = gens.pids.map((p) => new CpuMeter(p));
    await sleep(startAt + durationMs - nowMs());
    const cpu = meter.read();
    const genCpu = genMeters.reduce((s, m) => s + m.read().percent, 0);
    const rss = rssOf(pid);
    const h = await healthOf?.().catch(() => undefined);
    const results = await pending;
    const latency = new Histogram();
    const ackLatency = new Histogram();
    const errors: Record<string, number> = {};
    const closes: Record<string, number> = {};
    for (const r of results) {
      latency.merge(r.latency);
      ackLatency.merge(r.ackLatency);
      for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
      for (const [k, n] of Object.entries(r.closes)) closes[k] = (closes[k] ?? 0) + n;
    }
    const sum = (key: keyof RunResult) => results.reduce((s, r) => s + (r[key] as number), 0);
    const deliveries = sum('deliveries');
    const figures: PhaseFigures = {
      system,
      mode,
      clients: o.clients,
      durationS: durationMs / 1000,
      sent: sum('sent'),
      acked: sum('acked'),
      acceptedPerS: sum('ackedInWindow') / (durationMs / 1000),
      deliveries,
      deliveriesPerS: deliveries / (durationMs / 1000),
      ephemeral: sum('ephemeral'),
      latencyMs: { p50: latency.percentile(50), p99: latency.percentile(99), max: latency.max, samples: latency.count },
      ackLatencyMs: { p50: ackLatency.percentile(50), p99: ackLatency.percentile(99), max: ackLatency.max },
      errors,
      closes,
      unacked: sum('unacked'),
      serverCpuPercent: cpu.percent,
      serverCpuMsPer1000Deliveries: deliveries > 0 ? (cpu.cpuMs / deliveries) * 1000 : NaN,
      generatorCpuPercent: genCpu,
      serverRssMb: toMb(rss),
      eventLoopMs: h?.eventLoop,
      loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
    };
    if (system === 'beseda') {
      acks.acked += figures.acked;
      acks.sent += figures.sent;
    }
    log(
      `  accepted ${figures.acceptedPerS.toFixed(0)}/s, deliveries ${figures.deliveriesPerS.toFixed(0)}/s, ` +
        `latency p50 ${figures.latencyMs.p50.toFixed(1)} p99 ${figures.latencyMs.p99.toFixed(1)} max ${figures.latencyMs.max.toFixed(1)} ms, ` +
        `server CPU ${figures.serverCpuPercent.toFixed(0)} %, generators ${genCpu.toFixed(0)} %, load average ${figures.loadAverage}` +
        (Object.keys(errors).length ? `, errors ${JSON.stringify(errors)}` : '') +
        (Object.keys(closes).length ? `, closes ${JSON.stringify(closes)}` : ''),
    );
    report.phases.push(figures);
    return figures;
  };

  await phase('beseda', 'rate', hub.pid, () => hub.health(true));
  if (!o.skip.has('saturate')) {
    await phase('beseda', 'saturate', hub.pid, () => hub.health(true));
    await phase('beseda', 'ingest', hub.pid, () => hub.health(true));
  }

  if (!o.skip.has('bare')) {
    await disconnect();
    const relayProcess = fork(path.join(here, 'bareRelay.js'), [], {
      env: { ...process.env, BENCH_BARE_RELAY: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const membership: RelayMembership = {
        general,
        conversations: [...members].map(([id, set]) => [id, [...set]]),
      };
      const port = await new Promise<number>((resolve, reject) => {
        relayProcess.once('message', (m: { port: number }) => resolve(m.port));
        relayProcess.once('exit', (code) => reject(new Error(`bare relay exited with ${code}`)));
        relayProcess.send(membership);
      });
      await connect(active, `ws://127.0.0.1:${port}/`, 'bare');
      await phase('bare', 'rate', relayProcess.pid!);
      if (!o.skip.has('saturate')) await phase('bare', 'saturate', relayProcess.pid!);
      await disconnect();
    } finally {
      relayProcess.kill();
    }
    const sat = report.phases.find((p) => p.system === 'beseda' && p.mode === 'saturate');
    const bare = report.phases.find((p) => p.system === 'bare' && p.mode === 'saturate');
    if (sat && bare) {
      report.saturationRatio = sat.deliveriesPerS / bare.deliveriesPerS;
      report.cpuNormalisedRatio = bare.serverCpuMsPer1000Deliveries / sat.serverCpuMsPer1000Deliveries;
    }
  } else await disconnect();

  if (doStorm) {
    const counted = await frameCounts();
    const before = (counted.presence ?? 0) + (counted['presence.batch'] ?? 0);
    report.storm = await reconnectStorm(o, hub, gens, users, rooms, roomIds, writer!, general, connect);
    const after = await frameCounts();
    report.storm.presenceFrames = (after.presence ?? 0) + (after['presence.batch'] ?? 0) - before;
  }

  log('stopping the hub and checking what it stored');
  await hub.stop('SIGTERM');
  const db = new Database(path.join(hub.dataDir, 'beseda.db'), { readonly: true });
  try {
    const stored = (db.prepare(`SELECT count(*) AS n FROM messages WHERE client_id GLOB 'b*'`).get() as { n: number })
      .n;
    const duplicates = (
      db.prepare(`SELECT count(*) - count(DISTINCT sender_id || '/' || client_id) AS n FROM messages`).get() as {
        n: number;
      }
    ).n;
    report.durability = {
      acked: acks.acked,
      sent: acks.sent,
      stored,
      duplicates,
      ok: stored >= acks.acked && stored <= acks.sent && duplicates === 0,
    };
  } finally {
    db.close();
  }
  return report;
}

/**
 * N clients connected; the hub stops (SIGTERM or SIGKILL) and starts again on the same port and
 * data; while the clients are away a writer posts `missed` messages that each of them must get
 * (half in the general room, half in the client's department room); then all N reconnect at once
 * with their tokens and catch up with `sync` from their last seq.
 */
async function reconnectStorm(
  o: BenchOptions,
  hub: HubProcess,
  gens: GenPool,
  users: BenchUser[],
  rooms: { name: string; creator: number; index: number }[],
  roomIds: Map<string, number>,
  writer: BenchUser,
  general: number,
  connect: (subset: BenchUser[], url: string, kind: 'hub' | 'bare') => Promise<{ connected: number }>,
): Promise<NonNullable<BenchReport['storm']>> {
  const stormUsers = users.slice(0, o.storm);
  log(`reconnect storm: connecting ${stormUsers.length} clients`);
  const { connected } = await connect(stormUsers, hub.wsUrl, 'hub');
  await waitQuiet(hub.pid, 10);
  log(`  ${connected} connected; stopping the hub with ${o.stormSignal}`);
  let t = performance.now();
  await hub.stop(o.stormSignal);
  await sleep(500);
  await hub.start();
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
    `  restarted in ${restartS.toFixed(1)} s; posted ${posts.length} messages (${expected} owed to clients) in ${postS.toFixed(1)} s; reconnecting all at once`,
  );

  const meter = new CpuMeter(hub.pid);
  const results = await gens.all<StormResult>(() => ({ cmd: 'storm-go', url: hub.wsUrl, deadlineMs: 300_000 }));
  const cpu = meter.read();
  const catchUp = new Histogram();
  const errors: Record<string, number> = {};
  for (const r of results) {
    catchUp.merge(r.catchUp);
    for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  }
  const sum = (key: keyof StormResult) => results.reduce((s, r) => s + (r[key] as number), 0);
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
  };
  log(
    `  ${storm.caughtUp} of ${storm.clients} caught up; all in ${storm.allCaughtUpS.toFixed(2)} s ` +
      `(p50 ${storm.p50S.toFixed(2)} s, p99 ${storm.p99S.toFixed(2)} s); ${storm.connectRetries} connect retries` +
      (Object.keys(errors).length ? ` ${JSON.stringify(errors)}` : ''),
  );
  await gens.all(() => ({ cmd: 'disconnect' }));
  return storm;
}
