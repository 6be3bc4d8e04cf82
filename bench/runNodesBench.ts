// `npm run bench -- --nodes N`: starts its own PostgreSQL and Redis, then measures one hub node on
// PostgreSQL and N hub nodes on the same PostgreSQL + Redis with the same load, and reports them
// side by side (issue 20). The SQLite steps are the plain `npm run bench`'s.
import { benchHubFlags } from './benchHubFlags.ts';
import type { BenchOptions } from './benchOptions.ts';
import { postgresMissing, startBenchPostgres, type BenchPostgres } from './benchPostgres.ts';
import { redisMissing, startBenchRedis, type BenchRedis } from './benchRedis.ts';
import { GenPool } from './GenPool.ts';
import type { ScaleLimits } from './limitsPhase.ts';
import { nodesSide } from './nodesSide.ts';
import { log } from './PhaseContext.ts';
import { machine, type BenchReport } from './report.ts';
import { textTable, writeReport } from './writeReport.ts';

/** Where the bundles are and where the report goes. */
export interface NodesBenchPaths {
  /** The bundled hub (dist/hub/beseda-hub.js). */
  hubBundle: string;
  /** The bundled load generator (dist/bench/loadGen.js). */
  loadGen: string;
  /** Folder of the report files (`--out`, resolved). */
  out: string;
}

/** Runs the nodes comparison; returns the process exit code (2: PostgreSQL or Redis not installed). */
export async function runNodesBench(
  o: BenchOptions,
  argv: readonly string[],
  limits: ScaleLimits,
  paths: NodesBenchPaths,
): Promise<number> {
  const missing = postgresMissing() ?? redisMissing();
  if (missing) {
    process.stderr.write(`${missing}\n`);
    return 2;
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machine(),
    options: { ...o, skip: [...o.skip] },
    argv: [...argv],
    hubFlags: benchHubFlags,
    setup: { users: o.clients, createUsersPerS: NaN, loginsPerS: NaN, rooms: 0, directs: 0 },
    phases: [],
    nodes: { store: 'postgres', sides: [] },
    hubWarnings: {},
  };
  let postgres: BenchPostgres | undefined;
  let redis: BenchRedis | undefined;
  let gens: GenPool | undefined;
  try {
    log('starting PostgreSQL 15 and Redis on 127.0.0.1 (temp folders, ephemeral ports)');
    postgres = await startBenchPostgres();
    redis = await startBenchRedis();
    for (const nodes of [1, o.nodes]) {
      // New generators for each side: theirs keep each account's client (token, conversations, last seq).
      gens = new GenPool(paths.loadGen, o.generators, limits.nofileChildren);
      const side = await nodesSide({
        o,
        nodes,
        gens,
        postgres,
        redis,
        hubBundle: paths.hubBundle,
        nofile: limits.nofileChildren,
        sourceAddresses: limits.sourceAddresses,
        report,
      });
      report.nodes!.sides.push(side);
      await gens.close();
      gens = undefined;
    }
    process.stdout.write('\n' + textTable(report) + '\n\n');
    const files = writeReport(report, paths.out);
    log(`wrote ${files.json} and ${files.md}`);
    return 0;
  } catch (err) {
    process.stderr.write(`benchmark failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    await gens?.close();
    await redis?.close().catch(() => undefined);
    try {
      postgres?.close();
    } catch {
      // already gone: its folder is removed either way
    }
  }
}
