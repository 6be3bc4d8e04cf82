// Issue 19's targets, each defined once: its bound, the size it applies at, and how its value and
// verdict come out of a report. The table `npm run bench` prints and the `targets` of its JSON
// are both made from this one list, so a bound is written in one place only.
import { realStormBackoffCapMs } from './benchOptions.ts';
import { fixed, int, type BenchReport, type PhaseFigures } from './report.ts';

/** A target's verdict; 'not measured' always comes with the reason. */
export type Verdict = 'met' | 'NOT met' | 'not measured';

/** One target's outcome, as printed and as written in the report's JSON. */
export interface TargetResult {
  id: string;
  /** The number of the target in issue 19 (1–6). */
  issueTarget: number;
  name: string;
  goal: string;
  /** The measured value in words (with what it was compared with). */
  measured: string;
  /** The number compared with the bound (null when not measured or when the target has no bound). */
  value: number | null;
  verdict: Verdict;
  /** False when the run was smaller than the size the target names (the verdict holds for the size run). */
  atTargetSize: boolean;
  /** Why it was not measured, or what a smaller run means. */
  note?: string;
}

/** The bounds and sizes of issue 19, in one place. */
export const bounds = {
  deliveryP99VsBare: 1.2,
  ackP99VsFsync: 3,
  cpuShareOfBare: 0.9,
  /** `hubIdleShare`: samples with the hub's main thread asleep waiting for work while clients still wait ("no idle hub", room for noise). */
  storm: { clients: 5000, missed: 20, allCaughtUpS: 10, hubIdleShare: 0.1 },
  presence: { clients: 20_000, framesPerClient: 4, growthExponent: 1.1 },
  connections: 50_000,
  rssMbPer1000: 10,
  searchMessages: 1_000_000,
} as const;

/** What a definition's evaluation says; `ok` undefined means not measured (then `note` says why). */
interface Outcome {
  measured: string;
  value: number | null;
  ok?: boolean;
  atTargetSize?: boolean;
  note?: string;
}

interface TargetDefinition {
  id: string;
  issueTarget: number;
  name: string;
  goal: string;
  evaluate(r: BenchReport): Outcome;
}

const notMeasured = (note: string): Outcome => ({ measured: '—', value: null, note });
const skipped = (r: BenchReport, step: string): string | undefined =>
  r.options.skip.includes(step) ? `skipped (--skip ${step})` : undefined;
const phase = (r: BenchReport, system: PhaseFigures['system'], mode: PhaseFigures['mode']) =>
  r.phases.find((p) => p.system === system && p.mode === mode);
const smaller = (size: string) => `smaller run: ${size}`;
const ratio = (n: number) => `${fixed(n, 2)}×`;
const pct = (n: number) => `${fixed(n * 100, 0)} %`;

/** The storm's size against the target's, and whether its clients backed off as the real client does. */
function stormNote(r: BenchReport, s: NonNullable<BenchReport['storm']>): { atTargetSize: boolean; note?: string } {
  const atTargetSize = s.clients >= bounds.storm.clients && s.missedEach >= bounds.storm.missed;
  const cap = r.options.stormBackoffCapMs;
  const notes = [
    atTargetSize ? undefined : smaller(`${int(s.clients)} × ${s.missedEach}`),
    cap === undefined || cap === realStormBackoffCapMs(r.options.stormSignal)
      ? undefined
      : `what-if: back-off capped at ${int(cap)} ms, the real client's is ${int(realStormBackoffCapMs(r.options.stormSignal))} ms`,
  ].filter(Boolean);
  return { atTargetSize, note: notes.length ? notes.join('; ') : undefined };
}

/** Shares of the hub main thread's sampled states (R running, S sleeping, D disk), e.g. "R 40 % S 60 %". */
function stateShares(states: Record<string, number> | undefined): string {
  const total = Object.values(states ?? {}).reduce((a, b) => a + b, 0);
  if (!states || total === 0) return '';
  return Object.entries(states)
    .sort(([, a], [, b]) => b - a)
    .map(([state, n]) => `${state} ${pct(n / total)}`)
    .join(' ');
}

/** The mixed workload at the same load on both servers, or why there is none. */
function mixedPair(r: BenchReport): { hub: PhaseFigures; bare: PhaseFigures } | string {
  const hub = phase(r, 'beseda', 'rate');
  if (!hub) return 'the mixed workload did not run';
  const bare = phase(r, 'bare', 'rate');
  if (!bare) return skipped(r, 'bare') ?? 'the bare relay did not run the mixed workload';
  return { hub, bare };
}

/** The same-run pair the CPU ratio comes from: saturation when it ran, else the mixed workload. */
function cpuPair(r: BenchReport): { hub: PhaseFigures; bare: PhaseFigures; label: string } | string {
  const hub = phase(r, 'beseda', 'saturate');
  const bare = phase(r, 'bare', 'saturate');
  if (hub && bare) return { hub, bare, label: 'saturation' };
  const mixed = mixedPair(r);
  return typeof mixed === 'string' ? mixed : { ...mixed, label: 'mixed workload (saturation not run)' };
}

/** Issue 19's targets in its order. */
export const targetDefinitions: readonly TargetDefinition[] = [
  {
    id: 'delivery-p99-vs-bare',
    issueTarget: 1,
    name: 'Delivery p99, hub ÷ bare relay at the same load (mixed workload)',
    goal: `≤ ${bounds.deliveryP99VsBare}×`,
    evaluate(r) {
      const pair = mixedPair(r);
      if (typeof pair === 'string') return notMeasured(pair);
      const { hub, bare } = pair;
      if (hub.latencyMs.samples === 0 || bare.latencyMs.samples === 0 || bare.latencyMs.p99 <= 0)
        return notMeasured('no deliveries measured in one of the two runs');
      const value = hub.latencyMs.p99 / bare.latencyMs.p99;
      return {
        value,
        ok: value <= bounds.deliveryP99VsBare,
        measured:
          `${ratio(value)} (${fixed(hub.latencyMs.p99)} ÷ ${fixed(bare.latencyMs.p99)} ms; ` +
          `${int(hub.clients)} clients, ${int(r.options.rate)} msg/s)`,
      };
    },
  },
  {
    id: 'ack-p99-vs-fsync',
    issueTarget: 1,
    name: 'Send → durable ack p99 ÷ fsync p99 of the same disk (mixed workload; probe in the same run)',
    goal: `≤ ${bounds.ackP99VsFsync}×`,
    evaluate(r) {
      const hub = phase(r, 'beseda', 'rate');
      if (!hub) return notMeasured('the mixed workload did not run');
      if (!r.fsync) return notMeasured('the fsync probe did not run');
      if (hub.acked === 0) return notMeasured('no send was acknowledged');
      const value = hub.ackLatencyMs.p99 / r.fsync.p99Ms;
      // Where the time goes: the hub's own part, and what an ack costs with no hub work at all.
      const own = hub.hubSendAckMs;
      const bare = phase(r, 'bare', 'rate');
      return {
        value,
        ok: value <= bounds.ackP99VsFsync,
        measured:
          `${fixed(value)}× (${fixed(hub.ackLatencyMs.p99)} ms ÷ ${fixed(r.fsync.p99Ms, 2)} ms; ` +
          `fsync of 4 KiB p50 ${fixed(r.fsync.p50Ms, 2)} ms, ${int(r.fsync.samples)} samples)` +
          (own
            ? `; inside the hub (frame received → ack written) p99 ${fixed(own.p99Ms)} ms, p50 ${fixed(own.p50Ms)} ms`
            : '') +
          (bare && bare.acked > 0 ? `; the bare relay's ack p99 (no storage) ${fixed(bare.ackLatencyMs.p99)} ms` : ''),
      };
    },
  },
  {
    id: 'deliveries-per-cpu-second',
    issueTarget: 2,
    name: "Deliveries per server CPU-second, hub ÷ bare relay's",
    goal: `≥ ${pct(bounds.cpuShareOfBare)}`,
    evaluate(r) {
      const pair = cpuPair(r);
      if (typeof pair === 'string') return notMeasured(pair);
      const { hub, bare, label } = pair;
      const hubCost = hub.serverCpuMsPer1000Deliveries;
      const bareCost = bare.serverCpuMsPer1000Deliveries;
      if (!(hubCost > 0) || !(bareCost > 0)) return notMeasured('no deliveries or no CPU time measured');
      const value = bareCost / hubCost;
      return {
        value,
        ok: value >= bounds.cpuShareOfBare,
        measured: `${pct(value)} (${label}: ${fixed(hubCost)} vs ${fixed(bareCost)} ms of CPU per 1,000 deliveries)`,
      };
    },
  },
  {
    id: 'storm-all-caught-up',
    issueTarget: 3,
    name: `Reconnect storm ${int(bounds.storm.clients)} × ${bounds.storm.missed} missed: all caught up`,
    goal: `≤ ${bounds.storm.allCaughtUpS} s, every client`,
    evaluate(r) {
      const s = r.storm;
      if (!s) return notMeasured(skipped(r, 'storm') ?? 'the storm did not run');
      const all = s.caughtUp === s.clients;
      return {
        value: s.allCaughtUpS,
        ok: all && s.allCaughtUpS <= bounds.storm.allCaughtUpS,
        ...stormNote(r, s),
        measured:
          (all
            ? `${fixed(s.allCaughtUpS, 2)} s`
            : `${int(s.caughtUp)} of ${int(s.clients)} in ${fixed(s.allCaughtUpS, 2)} s`) +
          ` (${int(s.clients)} × ${s.missedEach}, ${s.signal}; p50 ${fixed(s.p50S, 2)} s; hub CPU ${fixed(s.serverCpuPercent, 0)} %)`,
      };
    },
  },
  {
    id: 'storm-hub-not-idle',
    issueTarget: 3,
    name: 'Reconnect storm: where the time goes; the hub idle (main thread asleep) while clients wait, share of samples',
    goal: `≤ ${pct(bounds.storm.hubIdleShare)}`,
    evaluate(r) {
      const s = r.storm;
      if (!s) return notMeasured(skipped(r, 'storm') ?? 'the storm did not run');
      const b = s.breakdown;
      if (!b) return notMeasured('the storm measured no breakdown');
      const stage = (x: { p50: number; max: number }) => `${fixed(x.p50, 2)} / ${fixed(x.max, 2)} s`;
      const states = stateShares(b.hubStates);
      return {
        value: b.hubIdleShare,
        ok: b.hubIdleShare <= bounds.storm.hubIdleShare,
        ...stormNote(r, s),
        measured:
          `${pct(b.hubIdleShare)} idle (hub CPU ${fixed(b.hubCpuPercent, 0)} %, generators ${fixed(b.generatorCpuPercent, 0)} %` +
          (states ? `; hub main thread ${states}` : '') +
          '); ' +
          `restart ${fixed(b.restartS)} s, away ${fixed(b.awayS)} s; p50 / max: back-off ${stage(b.backoffWait)}, ` +
          `connect ${stage(b.connect)}` +
          (b.upgrade ? ` (upgrade ${stage(b.upgrade)})` : '') +
          `, sync ${stage(b.sync)} (≤ ${b.syncRoundTrips.max} pages of ${b.syncRoundTrips.pageSize}); ` +
          `${int(b.failedAttempts)} failed attempts, ${int(b.listenOverflows)} listen overflows`,
      };
    },
  },
  {
    id: 'presence-frames-per-client',
    issueTarget: 4,
    name: `Presence frames per client while ${int(bounds.presence.clients)} clients connect`,
    goal: `≤ ${bounds.presence.framesPerClient}`,
    evaluate(r) {
      const c = r.connections;
      if (!c) return notMeasured(skipped(r, 'connections') ?? 'the connections step did not run');
      if (c.count === 0) return notMeasured('no connection was held');
      const value = c.presenceFrames / c.count;
      return {
        value,
        ok: value <= bounds.presence.framesPerClient,
        atTargetSize: c.count >= bounds.presence.clients,
        note: c.count >= bounds.presence.clients ? undefined : smaller(`${int(c.count)} clients`),
        measured:
          `${fixed(value, 2)} (${int(c.presenceFrames)} frames to ${int(c.count)} clients` +
          (c.watchPerClient ? `, each looking up ${c.watchPerClient} people)` : ')'),
      };
    },
  },
  {
    id: 'presence-linear',
    issueTarget: 4,
    name: 'Presence frames while N clients connect grow linearly in N (exponent k of frames ∝ Nᵏ)',
    goal: `k ≤ ${bounds.presence.growthExponent}`,
    evaluate(r) {
      const points = (r.presence?.points ?? []).filter((p) => p.clients > 0 && p.frames > 0);
      if (points.length < 2) return notMeasured('needs two sizes of N; the run measured fewer');
      const sorted = [...points].sort((a, b) => a.clients - b.clients);
      const small = sorted[0]!;
      const large = sorted.at(-1)!;
      if (large.clients === small.clients) return notMeasured('the sizes measured are all the same N');
      const value = Math.log(large.frames / small.frames) / Math.log(large.clients / small.clients);
      return {
        value,
        ok: value <= bounds.presence.growthExponent,
        measured:
          `k = ${fixed(value, 2)} (` +
          sorted
            .map(
              (p) =>
                `${int(p.clients)}: ${int(p.frames)} frames` +
                (p.publications === undefined ? '' : ` in ${int(p.publications)} publications`),
            )
            .join(', ') +
          ')',
      };
    },
  },
  {
    id: 'connections-held',
    issueTarget: 5,
    name: 'Idle authenticated connections one hub holds',
    goal: `${int(bounds.connections)} where file descriptors allow`,
    evaluate(r) {
      const refused = r.limits?.refused;
      const c = r.connections;
      if (!c) return notMeasured(refused ?? skipped(r, 'connections') ?? 'the connections step did not run');
      const asked = r.options.connections;
      const fd = r.limits ? `; the hub's open-file limit ${int(r.limits.hubNofile ?? r.limits.fdSoft)}` : '';
      return {
        value: c.count,
        ok: c.count >= asked && c.failed === 0,
        atTargetSize: c.count >= bounds.connections,
        measured: `${int(c.count)} of ${int(asked)} asked, ${int(c.failed)} failed${fd}`,
        note: refused ?? (c.count >= bounds.connections ? undefined : smaller(`${int(c.count)} connections`)),
      };
    },
  },
  {
    id: 'fd-exhaustion',
    issueTarget: 5,
    name: 'Out of file descriptors: the hub keeps its connections, logs once, /healthz and the admin socket answer',
    goal: 'holds',
    evaluate: () => notMeasured('a behaviour, not a figure: tests/hub/fdExhaustion.test.ts checks it'),
  },
  {
    id: 'rss-per-1000',
    issueTarget: 5,
    name: 'Hub RSS per 1,000 idle connections (minus the baseline)',
    goal: `≤ ${bounds.rssMbPer1000} MB`,
    evaluate(r) {
      const c = r.connections;
      if (!c) return notMeasured(skipped(r, 'connections') ?? 'the connections step did not run');
      // Idle connections: the figure after they sat idle (older reports: right after connecting).
      const value = c.idle?.rssMbPer1000 ?? c.rssMbPer1000;
      const heap = c.heap?.find((h) => h.at === 'idle');
      return {
        value,
        ok: value <= bounds.rssMbPer1000,
        atTargetSize: c.count >= bounds.connections,
        note: c.count >= bounds.connections ? undefined : smaller(`${int(c.count)} connections`),
        measured: c.idle
          ? `${fixed(value)} MB after ${c.idle.idleS} s idle (${fixed(c.baselineRssMb)} → ${fixed(c.idle.rssMb)} MB at ${int(c.count)}` +
            (heap ? `; V8 heap ${fixed(heap.usedMb)} MB used of ${fixed(heap.totalMb)}` : '') +
            `); right after connecting ${fixed(c.rssMbPer1000)} MB (${fixed(c.rssMb)} MB)`
          : `${fixed(c.rssMbPer1000)} MB (${fixed(c.baselineRssMb)} → ${fixed(c.rssMb)} MB at ${int(c.count)})`,
      };
    },
  },
  {
    id: 'search',
    issueTarget: 6,
    name: `Search round trip p50 / p99 on ${int(bounds.searchMessages)} messages`,
    goal: 'reported',
    evaluate(r) {
      const s = r.search;
      if (!s) return notMeasured(skipped(r, 'search') ?? 'the search step did not run (--search-messages 0)');
      return {
        value: null,
        ok: true,
        atTargetSize: s.messages >= bounds.searchMessages,
        note: s.messages >= bounds.searchMessages ? undefined : smaller(`${int(s.messages)} messages`),
        measured: `${fixed(s.allMs.p50)} / ${fixed(s.allMs.p99)} ms (${int(s.messages)} messages, ${int(s.allMs.samples)} queries)`,
      };
    },
  },
  {
    id: 'files-throughput',
    issueTarget: 6,
    name: 'File upload / download through the hub beside a plain copy on the same disk (MB/s)',
    goal: 'reported, bytes intact',
    evaluate(r) {
      const x = r.files;
      if (!x) return notMeasured(skipped(r, 'files') ?? 'the files step did not run');
      return {
        value: null,
        ok: x.intact,
        measured:
          `${fixed(x.uploadMbPerS)} / ${fixed(x.downloadMbPerS)} vs copy ${fixed(x.copyMbPerS)} ` +
          `(${pct(x.uploadRatio)} / ${pct(x.downloadRatio)}; ${int(x.sizeMb)} MB)`,
      };
    },
  },
  {
    id: 'web-first-load',
    issueTarget: 6,
    name: 'Web client first load to the sign-in form, cold / warm cache: bytes, ms (median)',
    goal: 'reported',
    evaluate(r) {
      const w = r.webLoad;
      if (!w) return notMeasured(r.webLoadSkipped ?? skipped(r, 'web') ?? 'the web-load step did not run');
      const kb = (n: number) => `${fixed(n / 1024)} KB`;
      return {
        value: null,
        ok: true,
        measured: w.networks
          .map(
            (n) =>
              `${n.network}: ${kb(n.cold.transferredBytes)}, ${int(n.cold.formMs.p50)} ms / ${kb(n.warm.transferredBytes)}, ${int(n.warm.formMs.p50)} ms`,
          )
          .join('; '),
      };
    },
  },
];

/** Every target's value and verdict for `r`, in the issue's order. */
export function evaluateTargets(r: BenchReport): TargetResult[] {
  return targetDefinitions.map((d) => {
    let o: Outcome;
    try {
      o = d.evaluate(r);
    } catch (err) {
      // A report from an older run may lack a figure a definition reads: say so instead of failing the table.
      o = notMeasured(`not in this report (${(err as Error).message})`);
    }
    const verdict: Verdict = o.ok === undefined ? 'not measured' : o.ok ? 'met' : 'NOT met';
    const out: TargetResult = {
      id: d.id,
      issueTarget: d.issueTarget,
      name: d.name,
      goal: d.goal,
      measured: o.measured,
      value: o.value === null || !Number.isFinite(o.value) ? null : Math.round(o.value * 1000) / 1000,
      verdict,
      atTargetSize: o.atTargetSize ?? true,
    };
    if (o.note) out.note = o.note;
    return out;
  });
}

/** A verdict as a table cell: the verdict, and why or on what size. */
export function verdictCell(t: TargetResult): string {
  if (t.verdict === 'not measured') return `not measured: ${t.note ?? 'no figure'}`;
  return t.note ? `${t.verdict} (${t.note})` : t.verdict;
}
