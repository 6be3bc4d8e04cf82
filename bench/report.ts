// What a benchmark run measured: the report's shape (also the JSON in bench-results/), filled by
// the phases; the tables made from it are in writeReport.ts, the targets' verdicts in targets.ts.
import os from 'node:os';
import type { AbuseFigures } from './abuseBench.ts';
import type { BenchOptions } from './benchOptions.ts';
import type { FilesFigures } from './filesBench.ts';
import type { FsyncFigures } from './fsyncProbe.ts';
import type { HubSendAck } from './hubSendAck.ts';
import type { SearchFigures } from './searchBench.ts';
import type { ScaleLimits } from './limitsPhase.ts';
import type { StormBreakdown } from './stormFigures.ts';
import type { WebLoadFigures } from './webLoadBench.ts';

/** What one load phase measured, all generators together. */
export interface PhaseFigures {
  system: 'beseda' | 'bare';
  /** `rate`: the mixed workload at a fixed rate; `saturate`: as fast as it goes; `ingest`: saturation with direct messages only. */
  mode: 'rate' | 'saturate' | 'ingest';
  clients: number;
  durationS: number;
  sent: number;
  acked: number;
  acceptedPerS: number;
  deliveries: number;
  deliveriesPerS: number;
  ephemeral: number;
  latencyMs: { p50: number; p99: number; max: number; samples: number };
  ackLatencyMs: { p50: number; p99: number; max: number };
  /**
   * The hub's own part of send → ack (frame received → ack written, from its /metrics histogram);
   * the rest of `ackLatencyMs` is the network and the generators' own event loops.
   */
  hubSendAckMs?: HubSendAck;
  errors: Record<string, number>;
  closes: Record<string, number>;
  unacked: number;
  serverCpuPercent: number;
  /** Server CPU ms per 1,000 deliveries: the cost of fan-out, independent of client limits. */
  serverCpuMsPer1000Deliveries: number;
  generatorCpuPercent: number;
  serverRssMb: number;
  eventLoopMs?: { p50Ms: number; p99Ms: number; maxMs: number };
  /** The machine's 1-minute load average at the end of the phase (others share it). */
  loadAverage: number;
}

/** One side of the nodes comparison (`--nodes N`): hub nodes on one PostgreSQL, over Redis when more than one. */
export interface NodesSide {
  nodes: number;
  /** Whether the nodes fan out over Redis (the single node runs without it). */
  redis: boolean;
  /** The machine's cores, shared by these nodes, PostgreSQL, Redis and the load generators. */
  cores: number;
  /** The load generator's clients on each node (client i on node i mod N). */
  clientsPerNode: number[];
  /** The mixed workload at a fixed rate, then saturation (unless skipped); CPU and RSS are all nodes' together. */
  phases: PhaseFigures[];
  /** PostgreSQL's and Redis's CPU during each phase and its drain, in % of one core (Redis: only with it). */
  serversCpu: { mode: PhaseFigures['mode']; postgresPercent: number; redisPercent?: number }[];
}

/** `--nodes N`: one hub node and N hub nodes on the same PostgreSQL server, measured in one run. */
export interface NodesComparison {
  store: 'postgres';
  sides: NodesSide[];
}

/** Everything a run measured. */
export interface BenchReport {
  date: string;
  machine: { cpu: string; cores: number; ramGb: number; node: string; os: string; loadAverageAtStart: number };
  options: Omit<BenchOptions, 'skip'> & { skip: string[] };
  /** The command line's flags as given (`npm run bench -- …`). */
  argv?: string[];
  hubFlags: string[];
  setup: { users: number; createUsersPerS: number; loginsPerS: number; rooms: number; directs: number };
  connections?: {
    count: number;
    failed: number;
    connectS: number;
    settleS: number;
    baselineRssMb: number;
    rssMb: number;
    rssMbPer1000: number;
    /**
     * The same after the connections sat idle for `idleS` seconds (the target's figure: memory a
     * hub holding idle connections keeps, once the connect burst's garbage and young-generation
     * growth are gone); absent in older reports.
     */
    idle?: { idleS: number; rssMb: number; rssMbPer1000: number };
    /**
     * The hub's V8 heap with nobody connected, right after connecting and after idling (MB): used,
     * reserved, and outside it.
     */
    heap?: { at: 'baseline' | 'connected' | 'idle'; usedMb: number; totalMb: number; externalMb: number }[];
    /** Presence frames the clients received while connecting (each arrival is told to those who looked them up). */
    presenceFrames: number;
    /** People each client looked up after hello (the presence it may hear); absent in older reports. */
    watchPerClient?: number;
    /** Connections per second while all connected; generator RSS per 1,000 of its sockets (MB). */
    connectPerS?: number;
    generatorRssMbPer1000?: number;
  };
  phases: PhaseFigures[];
  saturationRatio?: number;
  /**
   * Deliveries per server CPU-second, Beseda ÷ bare relay: the saturation ratio each server would
   * reach with a core of its own, when the load generators (same machine) limit the raw figure.
   */
  cpuNormalisedRatio?: number;
  storm?: {
    clients: number;
    missedEach: number;
    signal: string;
    restartS: number;
    postS: number;
    caughtUp: number;
    allCaughtUpS: number;
    p50S: number;
    p99S: number;
    expectedTotal: number;
    receivedTotal: number;
    anomalies: number;
    connectRetries: number;
    errors: Record<string, number>;
    serverCpuPercent: number;
    /** Presence frames the clients received from connecting the storm's clients to its end. */
    presenceFrames: number;
    /** Where the storm's time goes: restart, back-off, connect, sync, hub busy (issue 19, target 3). */
    breakdown?: StormBreakdown;
  };
  renderer?: {
    messagesPerConversation: number;
    coldOpenMs: number[];
    warmOpenMs: { p50: number; max: number; samples: number };
    maxRowsInDom: number;
  };
  durability?: { acked: number; sent: number; stored: number; duplicates: number; ok: boolean };
  /** An ordinary client's round trips while another floods the hub or sends it hostile frames. */
  abuse?: AbuseFigures;
  /** A large file uploaded to and downloaded from the hub, beside a plain copy on the same disk. */
  files?: FilesFigures;
  /** Message search over a large database (FTS5): round trips per kind of query, the index's size. */
  search?: SearchFigures;
  /** Write + fsync of 4 KiB on the hub's data disk, as SQLite commits (issue 19, target 1's denominator). */
  fsync?: FsyncFigures;
  /** The web client's first and repeat visit in Chromium: bytes and time to the sign-in form. */
  webLoad?: WebLoadFigures;
  /** Why the web-load step did not run, when it was not skipped on purpose. */
  webLoadSkipped?: string;
  /** Presence frames while N clients connect, for several N (linear growth, issue 19 target 4). */
  presence?: {
    /**
     * `publications`: the hub's presence publications meanwhile (one per batch window; its
     * /metrics), which the frames per client follow; absent in older reports.
     */
    points: { clients: number; frames: number; publications?: number }[];
  };
  /** File-descriptor limits and the size they refused, if any (issue 19 target 5). */
  limits?: { fdSoft: number; fdHard: number; refused?: string } & Partial<
    ScaleLimits & { hubNofile: number; generatorNofile: number }
  >;
  /** `--nodes N`: 1 and N hub nodes on PostgreSQL (+ Redis); the SQLite steps do not run then. */
  nodes?: NodesComparison;
  hubWarnings: Record<string, number>;
}

/** Bytes to MB with one decimal. */
export const toMb = (n: number): number => Math.round((n / 1048576) * 10) / 10;

/** Machine facts for the report. */
export function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}

/** A number with `digits` decimals, or — when it is not a finite number. */
export const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** A whole number with thousands separators (1,000,000). */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
