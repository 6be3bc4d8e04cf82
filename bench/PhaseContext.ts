// What every bench phase needs: the options, the hub, the generators, the accounts, the report
// being filled, and the orchestrator's helpers for connecting and counting.
import type { BenchOptions } from './benchOptions.ts';
import type { BenchUser, ConnectResult } from './genProtocol.ts';
import type { GenPool } from './GenPool.ts';
import type { HubProcess } from './HubProcess.ts';
import type { BenchReport } from './report.ts';

/** Shared state and helpers of one benchmark run, handed to each phase. */
export interface PhaseContext {
  o: BenchOptions;
  hub: HubProcess;
  gens: GenPool;
  /** The accounts, in creation order; generator of user i is `i % gens.size`. */
  users: BenchUser[];
  writer: BenchUser;
  report: BenchReport;
  /** Loopback source addresses the generators' sockets spread over (see limitsPhase). */
  sourceAddresses: number;
  /** The generator that holds user index i. */
  genOf(i: number): number;
  /** Users by index into `users`. */
  indexOf: Map<number, number>;
  /** Connects `subset` (each through its own generator) to `url`. */
  connect(
    subset: BenchUser[],
    url: string,
    kind: 'hub' | 'bare',
    watch?: { ids: number[]; perClient: number },
  ): Promise<{ connected: number; failed: number }>;
  /** Closes the sockets of `subset` (all when undefined). */
  disconnect(subset?: BenchUser[]): Promise<void>;
  /** Frames received by all generators' clients since they started, by type. */
  frameCounts(): Promise<Record<string, number>>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A timestamped progress line on stdout. */
export const log = (line: string) =>
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Lone changes come as `presence`, gathered ones as one `presence.batch`: both are frames sent. */
export const presenceFramesOf = (counts: Record<string, number>) =>
  (counts.presence ?? 0) + (counts['presence.batch'] ?? 0);

/** Builds the context's helpers around the generators and the accounts. */
export function phaseContext(
  base: Pick<PhaseContext, 'o' | 'hub' | 'gens' | 'users' | 'writer' | 'report' | 'sourceAddresses'>,
): PhaseContext {
  const { gens, users } = base;
  const G = gens.size;
  const genOf = (i: number) => i % G;
  const indexOf = new Map(users.map((u, i) => [u.userId, i]));
  const byGen = (items: readonly BenchUser[]): BenchUser[][] => {
    const out: BenchUser[][] = Array.from({ length: G }, () => []);
    for (const item of items) out[genOf(indexOf.get(item.userId)!)]!.push(item);
    return out;
  };
  return {
    ...base,
    genOf,
    indexOf,
    async connect(subset, url, kind, watch) {
      const parts = byGen(subset);
      const results = await gens.all<ConnectResult>((i) => ({
        cmd: 'connect',
        url,
        kind,
        users: parts[i]!,
        concurrency: 50,
        sourceAddresses: base.sourceAddresses,
        watch,
      }));
      const connected = results.reduce((s, r) => s + r.connected, 0);
      const failed = results.reduce((s, r) => s + r.failed, 0);
      if (failed > 0) log(`  ${failed} connections failed: ${JSON.stringify(results.map((r) => r.errors))}`);
      return { connected, failed };
    },
    async disconnect(subset) {
      const parts = subset && byGen(subset);
      await gens.all((i) => ({ cmd: 'disconnect', userIds: parts?.[i]?.map((u) => u.userId) }));
    },
    async frameCounts() {
      const all = await gens.all<Record<string, number>>(() => ({ cmd: 'counters' }));
      const sum: Record<string, number> = {};
      for (const c of all) for (const [k, n] of Object.entries(c)) sum[k] = (sum[k] ?? 0) + n;
      return sum;
    },
  };
}
