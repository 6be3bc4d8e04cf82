// `npm run bench`: the real hub as its own process, driven by separate load-generator processes
// with real accounts and tokens over the real protocol, side by side with a bare ws relay.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { abuseBench } from './abuseBench.ts';
import { barePhase } from './barePhase.ts';
import { benchHubFlags } from './benchHubFlags.ts';
import { parseBenchOptions, populationOf, type BenchOptions } from './benchOptions.ts';
import { connectionsPhase } from './connectionsPhase.ts';
import { createUsers } from './createUsers.ts';
import { durabilityPhase } from './durabilityPhase.ts';
import { filesBench } from './filesBench.ts';
import { GenPool } from './GenPool.ts';
import { HubProcess } from './HubProcess.ts';
import { childLimits, limitsPhase, type ScaleLimits } from './limitsPhase.ts';
import { loadPhase, type AckTally } from './loadPhase.ts';
import { log, phaseContext, sleep } from './PhaseContext.ts';
import { waitQuiet } from './procStats.ts';
import { rendererBench, rendererBenchAvailable } from './rendererBench.ts';
import { runNodesBench } from './runNodesBench.ts';
import { machine, type BenchReport } from './report.ts';
import { searchBench } from './searchBench.ts';
import { setupPhase } from './setupPhase.ts';
import { stormPhase } from './stormPhase.ts';
import { fsyncProbe } from './fsyncProbe.ts';
import { webLoadStep } from './webLoadBench.ts';
import { markdown, textTable, writeReport } from './writeReport.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

const hubFlags = benchHubFlags;

/** Runs the benchmark; returns the process exit code. */
export async function runBench(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const { limits, problems } = limitsPhase(options);
  if (problems.length > 0) return 2;
  if (options.nodes > 1)
    return runNodesBench(options, argv, limits, {
      hubBundle: path.join(root, 'dist/hub/beseda-hub.js'),
      loadGen: path.join(here, 'loadGen.js'),
      out: path.resolve(root, options.out),
    });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-'));
  const hub = new HubProcess(path.join(root, 'dist/hub/beseda-hub.js'), dataDir, [
    '--log-level',
    // BENCH_HUB_LOG_LEVEL=debug (with BENCH_HUB_LOG) shows, e.g., which sockets the heartbeat dropped.
    process.env.BENCH_HUB_LOG_LEVEL ?? 'info',
    ...hubFlags.slice(2),
  ]);
  hub.nofile = limits.nofileChildren;
  let gens: GenPool | undefined;
  try {
    gens = new GenPool(path.join(here, 'loadGen.js'), options.generators, limits.nofileChildren);
    const loadAtStart = machine().loadAverageAtStart; // before the probe and the accounts' scrypt work
    // The disk's own commit latency, on the hub's data disk before the hub writes (issue 19, target 1).
    log('disk: 4 KiB write + fsync, as SQLite commits, in the hub data folder');
    const fsync = await fsyncProbe(dataDir);
    log(`  ${JSON.stringify(fsync)}`);
    const report = await benchmark(options, hub, gens, limits);
    report.argv = [...argv];
    report.fsync = fsync;
    report.machine.loadAverageAtStart = loadAtStart;
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
    if (!options.skip.has('web')) Object.assign(report, await webLoadStep(root));
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

async function benchmark(o: BenchOptions, hub: HubProcess, gens: GenPool, limits: ScaleLimits): Promise<BenchReport> {
  const population = populationOf(o);

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
  // As the children got them (/proc/PID/limits), beside what the check asked for.
  report.limits = childLimits(limits, hub.pid, gens.pids);
  const ctx = phaseContext({ o, hub, gens, users, writer: writer!, report, sourceAddresses: limits.sourceAddresses });

  await connectionsPhase(ctx);
  const conv = await setupPhase(ctx);

  // The mixed workload runs with `clients` connected: the others go offline.
  const active = users.slice(0, o.clients);
  await ctx.disconnect(users.slice(o.clients));
  await sleep(6000); // presence grace: the last "offline" events go out
  await waitQuiet(hub.pid, 10);

  const acks: AckTally = { acked: 0, sent: 0 };
  const hubHealth = () => hub.health(true);
  const hubMetrics = () => hub.metrics();
  await loadPhase(ctx, 'beseda', 'rate', hub.pid, acks, hubHealth, hubMetrics);
  if (!o.skip.has('saturate')) {
    await loadPhase(ctx, 'beseda', 'saturate', hub.pid, acks, hubHealth, hubMetrics);
    await loadPhase(ctx, 'beseda', 'ingest', hub.pid, acks, hubHealth, hubMetrics);
  }
  if (!o.skip.has('bare')) await barePhase(ctx, active, conv, acks);
  else await ctx.disconnect();

  if (!o.skip.has('storm')) await stormPhase(ctx, conv);
  await durabilityPhase(ctx, acks);
  return report;
}
