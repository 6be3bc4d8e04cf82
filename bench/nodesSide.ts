// One side of the nodes comparison (`--nodes N`): N hub processes on one new PostgreSQL database
// (and one Redis when N > 1), the load generator's clients spread over them, then the mixed
// workload at a fixed rate and saturation — the same phases as the SQLite bench's.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchOptions } from './benchOptions.ts';
import { benchHubFlags } from './benchHubFlags.ts';
import type { BenchPostgres } from './benchPostgres.ts';
import type { BenchRedis } from './benchRedis.ts';
import { createUsers } from './createUsers.ts';
import type { BenchUser } from './genProtocol.ts';
import type { GenPool } from './GenPool.ts';
import { HubProcess } from './HubProcess.ts';
import { loadPhase, type AckTally } from './loadPhase.ts';
import { log, phaseContext, sleep } from './PhaseContext.ts';
import { cpuMsOf, waitQuiet } from './procStats.ts';
import type { BenchReport, NodesSide } from './report.ts';
import { setupPhase } from './setupPhase.ts';

/** What one side needs: the run's options and generators, the servers, the hub bundle. */
export interface NodesSideInput {
  o: BenchOptions;
  nodes: number;
  gens: GenPool;
  postgres: BenchPostgres;
  /** Required when `nodes` > 1. */
  redis?: BenchRedis;
  hubBundle: string;
  /** Open-file limit the hubs start with (limitsPhase). */
  nofile: number;
  sourceAddresses: number;
  /** The run's report: its options and setup figures are filled from the first side. */
  report: BenchReport;
}

/**
 * Client i goes to node i mod N: consecutive clients are on different nodes, so every room (of
 * `roomSize` consecutive clients) spans the nodes and each direct pair (i, i+1) crosses two.
 */
export function spreadOverNodes<T>(clients: readonly T[], nodes: number): T[][] {
  const out: T[][] = Array.from({ length: nodes }, () => []);
  clients.forEach((c, i) => out[i % nodes]!.push(c));
  return out;
}

/** The hub command line of node `k` (0-based) of `nodes` on `storeUrl`, sharing `filesDir`. */
export function nodeArgs(k: number, nodes: number, storeUrl: string, filesDir: string, redisUrl?: string): string[] {
  const cluster = nodes > 1 ? ['--redis', redisUrl!, '--node-id', `n${k + 1}`] : [];
  return ['--log-level', 'info', ...benchHubFlags.slice(2), '--store', storeUrl, ...cluster, '--files-dir', filesDir];
}

/**
 * Starts measuring the CPU of `pids`; the function returned gives their use since, in % of one
 * core (a process that exits meanwhile, such as a closed PostgreSQL backend, is left out).
 */
function cpuMeter(pids: number[]): () => number {
  const read = (pid: number) => {
    try {
      return cpuMsOf(pid);
    } catch {
      return undefined;
    }
  };
  const start = new Map(pids.map((pid) => [pid, read(pid)]));
  const t0 = performance.now();
  return () => {
    let ms = 0;
    for (const [pid, before] of start) {
      const now = read(pid);
      if (before !== undefined && now !== undefined) ms += now - before;
    }
    return (ms / (performance.now() - t0)) * 100;
  };
}

/** Resolves once `count` has stayed the same for 3 s (at most 5 minutes). */
async function storedSettles(count: () => number): Promise<void> {
  const deadline = performance.now() + 300_000;
  let last = count();
  let sameSince = performance.now();
  while (performance.now() - sameSince < 3000 && performance.now() < deadline) {
    await sleep(500);
    const now = count();
    if (now !== last) [last, sameSince] = [now, performance.now()];
  }
}

/** Runs one side: starts its nodes, creates and connects the clients, measures, stops the nodes. */
export async function nodesSide(input: NodesSideInput): Promise<NodesSide> {
  const { o, nodes, gens } = input;
  if (nodes > 1 && !input.redis) throw new Error('more than one node needs Redis');
  const database = `bench_${nodes}_nodes`;
  const storeUrl = input.postgres.createDatabase(database);
  const folder = mkdtempSync(path.join(os.tmpdir(), `beseda-bench-${nodes}-nodes-`));
  const hubs = Array.from({ length: nodes }, (_, k) => {
    const hub = new HubProcess(
      input.hubBundle,
      path.join(folder, `n${k + 1}`),
      nodeArgs(k, nodes, storeUrl, path.join(folder, 'files'), input.redis?.url),
    );
    hub.nofile = input.nofile;
    return hub;
  });
  const pids = () => hubs.map((h) => h.pid);
  const quiet = async () => {
    for (const h of hubs) await waitQuiet(h.pid, 10);
  };
  try {
    log(`${nodes} node${nodes > 1 ? 's' : ''} on PostgreSQL${nodes > 1 ? ' + Redis' : ''} (data in ${folder})`);
    // The first node migrates the new database; the others then start together.
    await hubs[0]!.start();
    await Promise.all(hubs.slice(1).map((h) => h.start()));
    const [first] = hubs as [HubProcess];
    log(`creating ${o.clients} accounts and signing each in (through node 1)`);
    const { users } = await createUsers(first, o.clients, 'u');
    const {
      users: [writer],
    } = await createUsers(first, 1, 'w');
    const report: BenchReport = { ...input.report, phases: [] };
    const ctx = phaseContext({
      o,
      hub: first,
      gens,
      users,
      writer: writer!,
      report,
      sourceAddresses: input.sourceAddresses,
    });
    const parts = spreadOverNodes<BenchUser>(users, nodes);
    for (const [k, part] of parts.entries()) {
      const held = await ctx.connect(part, hubs[k]!.wsUrl, 'hub');
      log(`  node ${k + 1}: ${held.connected} clients connected${held.failed ? `, ${held.failed} failed` : ''}`);
    }
    await quiet();
    await setupPhase(ctx);
    await quiet();
    const acks: AckTally = { acked: 0, sent: 0 };
    // The event-loop figure is one process's: kept for the single node only, not node 1 passed off as all.
    const health = nodes === 1 ? () => first.health(true) : undefined;
    const settle = async (unacked: number) => {
      // Sends the nodes still hold would be the next phase's backlog: wait until they are stored.
      if (unacked === 0) return;
      log(`  ${unacked} sends not yet acknowledged: waiting until the stored messages stop growing`);
      await storedSettles(() => Number(input.postgres.query(database, 'SELECT count(*) FROM messages')));
    };
    // Warm-up, not reported: a new cluster's first commits create its WAL segments and fill its
    // caches, and the hubs' code is not yet compiled hot — that would count against the side run first.
    log('warm-up (5 s, not reported)');
    const warm = { ...ctx, o: { ...o, durationS: 5 }, report: { ...report, phases: [] } };
    await settle((await loadPhase(warm, 'beseda', 'rate', pids(), { acked: 0, sent: 0 })).unacked);
    const serversCpu: NodesSide['serversCpu'] = [];
    for (const mode of o.skip.has('saturate') ? (['rate'] as const) : (['rate', 'saturate'] as const)) {
      const postgres = cpuMeter(input.postgres.pids());
      const redis = input.redis && nodes > 1 ? cpuMeter([input.redis.pid]) : undefined;
      const figures = await loadPhase(ctx, 'beseda', mode, pids(), acks, health);
      serversCpu.push({ mode, postgresPercent: postgres(), redisPercent: redis?.() });
      await settle(figures.unacked);
    }
    for (const h of hubs)
      for (const [msg, n] of Object.entries(h.warnings))
        input.report.hubWarnings[msg] = (input.report.hubWarnings[msg] ?? 0) + n;
    return {
      nodes,
      redis: nodes > 1,
      cores: os.cpus().length,
      clientsPerNode: parts.map((p) => p.length),
      phases: report.phases,
      serversCpu,
    };
  } catch (err) {
    for (const [k, h] of hubs.entries()) process.stderr.write(`last output of node ${k + 1}:\n${h.tail.join('\n')}\n`);
    throw err;
  } finally {
    // Whatever happened, no client stays connected to a node being stopped (the next side starts clean).
    await gens.all(() => ({ cmd: 'disconnect' })).catch(() => undefined);
    await Promise.all(hubs.map((h) => h.stop('SIGTERM').catch(() => undefined)));
    rmSync(folder, { recursive: true, force: true });
  }
}
