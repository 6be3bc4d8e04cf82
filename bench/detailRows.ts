// The report's figures beside issue 19's targets (targets.ts): what each step measured, with the
// bounds earlier issues set where they set one (ingest, the web client's rows, abuse, durability).
import type { AttackFigures } from './abuseBench.ts';
import { fixed as f, int, type BenchReport, type PhaseFigures } from './report.ts';
import type { SearchFigures } from './searchBench.ts';

/** One row: metric, measured, bound (empty when none), within the bound ('yes' / 'NO' / empty). */
export type DetailRow = [metric: string, measured: string, bound: string, within: string];

const check = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'yes' : 'NO');
const row = (metric: string, measured: string, bound = '', within = ''): DetailRow => [metric, measured, bound, within];

/** The detail rows of `r`, step by step. */
export function detailRows(r: BenchReport): DetailRow[] {
  return [
    ...probeRows(r),
    ...connectionRows(r),
    ...loadRows(r),
    ...stormRows(r),
    ...webRows(r),
    ...abuseRows(r),
    ...filesRows(r),
    ...(r.search ? searchRows(r.search) : []),
    ...(r.durability
      ? [
          row(
            'Durability: acknowledged messages found in the database',
            `${int(r.durability.stored)} stored ≥ ${int(r.durability.acked)} acked, ${r.durability.duplicates} duplicates`,
            'all',
            check(r.durability.ok),
          ),
        ]
      : []),
  ];
}

function probeRows(r: BenchReport): DetailRow[] {
  const x = r.fsync;
  if (!x) return [];
  return [
    row(
      `Disk: write + ${x.method} of ${x.blockBytes / 1024} KiB, as a SQLite WAL commit — p50 / p99 / max (the hub's data disk)`,
      `${f(x.p50Ms, 3)} / ${f(x.p99Ms, 3)} / ${f(x.maxMs, 3)} ms (${int(x.samples)} commits in ${f(x.elapsedS)} s; load average ${x.loadAverage})`,
    ),
  ];
}

function connectionRows(r: BenchReport): DetailRow[] {
  const c = r.connections;
  if (!c) return [];
  return [
    row(
      `Time to connect ${int(c.count)} clients / until the hub is idle again; presence frames sent meanwhile`,
      `${f(c.connectS)} s / ${f(c.settleS)} s; ${int(c.presenceFrames)}`,
    ),
  ];
}

function loadRows(r: BenchReport): DetailRow[] {
  const out: DetailRow[] = [];
  const phase = (system: PhaseFigures['system'], mode: PhaseFigures['mode']) =>
    r.phases.find((p) => p.system === system && p.mode === mode);
  const latency = (p: PhaseFigures) => `${f(p.latencyMs.p50)} / ${f(p.latencyMs.p99)} / ${f(p.latencyMs.max)} ms`;
  const mixed = phase('beseda', 'rate');
  const bareMixed = phase('bare', 'rate');
  if (mixed) {
    out.push(
      row(
        `Mixed workload: ${int(mixed.clients)} clients, ${int(r.options.rate)} msg/s — delivery p50 / p99 / max, hub` +
          (bareMixed ? ' / bare relay' : ''),
        latency(mixed) + (bareMixed ? ` / ${latency(bareMixed)}` : ''),
      ),
      row(
        'Mixed workload: accepted msg/s, deliveries/s, send → durable ack p50 / p99',
        `${f(mixed.acceptedPerS)} / ${int(mixed.deliveriesPerS)} / ${f(mixed.ackLatencyMs.p50)} / ${f(mixed.ackLatencyMs.p99)} ms`,
      ),
      row(
        'Mixed workload: hub CPU' + (bareMixed ? ' (bare relay)' : '') + ', RSS, event-loop delay p99 / max (/healthz)',
        `${f(mixed.serverCpuPercent, 0)} %` +
          (bareMixed ? ` (${f(bareMixed.serverCpuPercent, 0)} %)` : '') +
          `, ${f(mixed.serverRssMb)} MB, ` +
          (mixed.eventLoopMs ? `${f(mixed.eventLoopMs.p99Ms)} / ${f(mixed.eventLoopMs.maxMs)} ms` : 'n/a'),
      ),
    );
  }
  const sat = phase('beseda', 'saturate');
  const ingest = phase('beseda', 'ingest');
  const bare = phase('bare', 'saturate');
  if (ingest)
    out.push(
      row(
        'Ingest (direct messages, as fast as acks return): accepted and durably committed msg/s',
        `${int(ingest.acceptedPerS)} (ack p99 ${f(ingest.ackLatencyMs.p99)} ms, hub CPU ${f(ingest.serverCpuPercent, 0)} %)`,
        '≥ 2,000/s',
        check(ingest.acceptedPerS >= 2000),
      ),
    );
  if (sat) {
    out.push(
      row(
        'Saturation, mixed fan-out: accepted msg/s; deliveries/s hub' + (bare ? ' / bare relay' : ''),
        `${int(sat.acceptedPerS)}; ${int(sat.deliveriesPerS)}` + (bare ? ` / ${int(bare.deliveriesPerS)}` : ''),
      ),
      row(
        'Saturation: server CPU, hub' + (bare ? ' / bare relay' : '') + '; load generators',
        `${f(sat.serverCpuPercent, 0)} %` +
          (bare ? ` / ${f(bare.serverCpuPercent, 0)} %` : '') +
          `; ${f(sat.generatorCpuPercent, 0)} %`,
      ),
    );
  }
  if (r.saturationRatio !== undefined)
    out.push(
      row(
        'Saturation deliveries/s, hub ÷ bare relay (as measured: the generators share the machine)',
        `${f(r.saturationRatio * 100, 0)} %`,
      ),
    );
  return out;
}

function stormRows(r: BenchReport): DetailRow[] {
  const s = r.storm;
  if (!s) return [];
  return [
    row(
      'Reconnect storm: hub restart; posting the missed messages; catch-up p50 / p99; connect retries; presence frames',
      `${f(s.restartS)} s; ${f(s.postS)} s; ${f(s.p50S, 2)} / ${f(s.p99S, 2)} s; ${int(s.connectRetries)}; ${int(s.presenceFrames)}` +
        (Object.keys(s.errors).length ? `; errors ${JSON.stringify(s.errors)}` : ''),
    ),
    row(
      'Reconnect storm: messages owed / received; anomalies (a message twice or outside the client’s conversations)',
      `${int(s.expectedTotal)} / ${int(s.receivedTotal)}; ${s.anomalies}`,
      'all, none',
      check(s.receivedTotal === s.expectedTotal && s.anomalies === 0),
    ),
  ];
}

function webRows(r: BenchReport): DetailRow[] {
  const out: DetailRow[] = [];
  const kb = (n: number) => `${f(n / 1024)} KB`;
  for (const n of r.webLoad?.networks ?? [])
    for (const [kind, v] of [
      ['first visit (empty cache)', n.cold],
      ['repeat visit (same profile)', n.warm],
    ] as const)
      out.push(
        row(
          `Web client load, ${n.network}, ${kind}: requests (to the hub); transferred; to the sign-in form (min–max)`,
          `${v.requests} (${v.fromNetwork}); ${kb(v.transferredBytes)}; ${v.formMs.p50} ms (${v.formMs.min}–${v.formMs.max}; ${r.webLoad!.runs} runs)`,
        ),
      );
  const w = r.renderer;
  if (w) {
    const worst = Math.max(w.warmOpenMs.max, ...w.coldOpenMs);
    out.push(
      row(
        `Web client (Chromium): open a ${int(w.messagesPerConversation)}-message conversation → newest messages painted, first time / again (p50)`,
        `${w.coldOpenMs.map((ms) => `${ms} ms`).join(', ')} / ${w.warmOpenMs.p50} ms`,
        '≤ 150 ms',
        check(worst <= 150),
      ),
      row(
        'Web client: message rows in the DOM (most seen)',
        String(w.maxRowsInDom),
        '≤ 100',
        check(w.maxRowsInDom <= 100),
      ),
    );
  }
  return out;
}

function abuseRows(r: BenchReport): DetailRow[] {
  if (!r.abuse) return [];
  // The bounds the hostile-input tests used to assert, kept here where speed is measured.
  const attack = (label: string, a: AttackFigures, floorMs: number, times: number) => {
    const u = a.underAttackMs;
    const bound = Math.max(floorMs, a.quietMs.p99 * times);
    return row(
      `${label} — another client's round trip p50 / p99 / max (quiet p99; load average)`,
      `${f(u.p50)} / ${f(u.p99)} / ${f(u.max)} ms (${f(a.quietMs.p99)} ms; ${a.loadAverage})` +
        (u.failed > 0 ? `, ${int(u.failed)} unanswered` : ''),
      `p99 ≤ ${int(floorMs)} ms or ≤ ${times}× quiet, none unanswered`,
      check(u.failed === 0 && u.p99 <= bound),
    );
  };
  const { flood, hostile } = r.abuse;
  return [
    attack(`Flood at production limits (${int(flood.framesSent)} frames, cut off ${flood.cutOffs}×)`, flood, 500, 20),
    attack(
      `${int(hostile.framesSent)} hostile frames in ${f(hostile.durationS)} s, frame limits lifted`,
      hostile,
      2000,
      50,
    ),
  ];
}

function filesRows(r: BenchReport): DetailRow[] {
  const x = r.files;
  if (!x) return [];
  const pct = (ratio: number) => `${f(ratio * 100, 0)} % of the copy`;
  return [
    row(
      `Files: ${int(x.sizeMb)} MB upload / download through the hub (HTTP, fsynced) — MB/s`,
      `${f(x.uploadMbPerS)} (${pct(x.uploadRatio)}) / ${f(x.downloadMbPerS)} (${pct(x.downloadRatio)})`,
    ),
    row(
      'Files: plain stream copy of the same file on the same disk, fsynced — MB/s (before / after)',
      x.copiesMbPerS.map((c) => f(c)).join(' / '),
    ),
    row(
      'Files: hub CPU upload / download; hub RSS idle → upload peak / download peak',
      `${f(x.uploadCpuPercent, 0)} % / ${f(x.downloadCpuPercent, 0)} %; ${f(x.hubRssMb.before)} → ` +
        `${f(x.hubRssMb.upload)} / ${f(x.hubRssMb.download)} MB`,
    ),
    row('Files: the downloaded bytes are the uploaded ones (SHA-256)', x.intact ? 'yes' : 'NO', 'yes', check(x.intact)),
  ];
}

/** The search step's lines: all queries together, each kind, the index size and the build. */
function searchRows(x: SearchFigures): DetailRow[] {
  const n = int(x.messages);
  return [
    row(
      `Search: ${n} messages, a person in ${x.searcherRooms} of ${x.rooms} rooms — round trip p50 / p99 / max (all queries)`,
      `${f(x.allMs.p50)} / ${f(x.allMs.p99)} / ${f(x.allMs.max)} ms (${x.allMs.samples} queries; load average ${x.loadAverage})`,
    ),
    ...x.queries.map((q) =>
      row(`Search: ${q.label} (${q.query}) — p50 / p99`, `${f(q.p50Ms)} / ${f(q.p99Ms)} ms, ${q.hits} hits`),
    ),
    row(
      'Search: index size (FTS5 tables) / whole database',
      `${f(x.indexBytes / 1048576)} MB / ${f(x.databaseBytes / 1048576)} MB = ${f(x.indexPercent)} %`,
    ),
    row(
      'Search: writing the messages with their index rows (one transaction, once per run)',
      `${f(x.buildS)} s (${int(x.buildPerS)} messages/s)`,
    ),
  ];
}
