import { defaultBackoff } from '../common/client/backoffDelay.ts';
import { restartCapMs } from '../common/client/Connection.ts';
import { parseMix, type Mix } from './workload.ts';

/** Everything a benchmark run can be told. */
export interface BenchOptions {
  full: boolean;
  /** Idle authenticated connections held for the memory figure. */
  connections: number;
  /** Connected clients during the mixed workload. */
  clients: number;
  /** Messages per second in the mixed workload. */
  rate: number;
  durationS: number;
  saturateS: number;
  /** Sends in flight per generator during saturation. */
  window: number;
  /** Clients in the reconnect storm, and missed messages each. */
  storm: number;
  missed: number;
  stormSignal: 'SIGTERM' | 'SIGKILL';
  /**
   * Ceiling of the storm clients' reconnect back-off in ms: the real client's (30,000,
   * common/client/ChatClient) unless a what-if run asks for another.
   */
  stormBackoffCapMs: number;
  generators: number;
  mix: Mix;
  roomSize: number;
  /** Share of sends preceded by a typing notice. */
  typing: number;
  /** Presence changes per second (all clients together). */
  presence: number;
  /** Size of the file uploaded and downloaded in the files step, in MB. */
  fileMb: number;
  /** Messages in the database the search step queries. */
  searchMessages: number;
  skip: Set<string>;
  /**
   * Hub nodes to compare with one (`--nodes N`, N ≥ 2): both on PostgreSQL, the N over Redis; the
   * SQLite steps do not run then. 1 (the default): the single-node SQLite bench.
   */
  nodes: number;
  out: string;
  seed: number;
}

/** Defaults: a run of a few minutes on a 2-core machine. */
const defaults: Omit<BenchOptions, 'skip'> = {
  full: false,
  connections: 2000,
  clients: 500,
  rate: 100,
  durationS: 20,
  saturateS: 10,
  window: 64,
  storm: 1000,
  missed: 20,
  stormSignal: 'SIGTERM',
  stormBackoffCapMs: defaultBackoff.capMs,
  generators: 2,
  mix: { general: 0.02, rooms: 0.6, direct: 0.38 },
  roomSize: 20,
  typing: 0.5,
  presence: 2,
  fileMb: 256,
  searchMessages: 1_000_000,
  nodes: 1,
  out: 'bench-results',
  seed: 1,
};

/** The target sizes of the issue (`--full`). */
const full: Partial<BenchOptions> = {
  full: true,
  connections: 50000,
  clients: 2000,
  rate: 200,
  durationS: 60,
  saturateS: 20,
  storm: 5000,
};

export const benchUsage = `npm run bench -- [--full] [--connections N] [--clients N] [--rate MSG/S]
  [--duration S] [--saturate-duration S] [--window N] [--storm N] [--missed N]
  [--storm-signal SIGTERM|SIGKILL] [--storm-backoff-cap MS] [--generators N] [--mix general=0.02,rooms=0.6,direct=0.38]
  [--room-size N] [--typing SHARE] [--presence PER_S] [--file-mb MB]
  [--search-messages N] [--skip connections,saturate,bare,storm,abuse,files,search,renderer,web] [--out DIR] [--seed N]
  [--nodes N]  (N ≥ 2: instead of the SQLite steps, 1 node and N nodes on PostgreSQL + Redis, both
               started by the bench; --clients, --rate, --duration, --saturate-duration, --skip saturate apply)`;

/** Parses the command line; flags override `--full`, which overrides the defaults. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${benchUsage}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'full' || name === 'help') flags.set(name, 'true');
    else flags.set(name, inline ?? argv[++i] ?? '');
  }
  if (flags.has('help')) throw new Error(benchUsage);
  const o: BenchOptions = { ...defaults, ...(flags.has('full') ? full : {}), skip: new Set() };
  const num = (flag: string, key: keyof BenchOptions) => {
    const v = flags.get(flag);
    if (v === undefined) return;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag}: "${v}" is not a number`);
    (o as unknown as Record<string, number>)[key] = n;
  };
  num('connections', 'connections');
  num('clients', 'clients');
  num('rate', 'rate');
  num('duration', 'durationS');
  num('saturate-duration', 'saturateS');
  num('window', 'window');
  num('storm', 'storm');
  num('missed', 'missed');
  num('storm-backoff-cap', 'stormBackoffCapMs');
  num('generators', 'generators');
  num('room-size', 'roomSize');
  num('typing', 'typing');
  num('presence', 'presence');
  num('file-mb', 'fileMb');
  num('search-messages', 'searchMessages');
  num('seed', 'seed');
  num('nodes', 'nodes');
  if (flags.has('mix')) o.mix = parseMix(flags.get('mix')!);
  if (flags.has('out')) o.out = flags.get('out')!;
  if (flags.has('skip')) o.skip = new Set(flags.get('skip')!.split(',').filter(Boolean));
  const signal = flags.get('storm-signal');
  if (signal !== undefined) {
    if (signal !== 'SIGTERM' && signal !== 'SIGKILL') throw new Error('--storm-signal: SIGTERM or SIGKILL');
    o.stormSignal = signal;
  }
  const known = new Set([
    'full',
    'connections',
    'clients',
    'rate',
    'duration',
    'saturate-duration',
    'window',
    'storm',
    'missed',
    'storm-signal',
    'storm-backoff-cap',
    'generators',
    'mix',
    'room-size',
    'typing',
    'presence',
    'file-mb',
    'search-messages',
    'skip',
    'out',
    'seed',
    'nodes',
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}\n${benchUsage}`);
  if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > 16) throw new Error('--nodes: a whole number, 1 to 16');
  if (o.fileMb <= 0) throw new Error('--file-mb: more than 0');
  if (o.generators < 1 || o.clients < 2 || o.roomSize < 2)
    throw new Error('need ≥ 1 generator, ≥ 2 clients, rooms ≥ 2');
  if (!flags.has('storm-backoff-cap')) o.stormBackoffCapMs = realStormBackoffCapMs(o.stormSignal);
  return o;
}

/** The most sockets a run holds at once: every account is connected during the connections step. */
export function populationOf(o: BenchOptions): number {
  return Math.max(o.skip.has('connections') ? 0 : o.connections, o.clients, o.skip.has('storm') ? 0 : o.storm);
}

/**
 * The retry ceiling the real client uses in the storm: after SIGTERM every client heard 1001
 * "restarting" and caps its waits at restartCapMs for a minute; after SIGKILL it heard nothing.
 */
export function realStormBackoffCapMs(signal: BenchOptions['stormSignal']): number {
  return signal === 'SIGTERM' ? restartCapMs : defaultBackoff.capMs;
}
