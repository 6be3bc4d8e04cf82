// Load phases: the mixed workload at a fixed rate, saturation and ingest, against the hub or the
// bare relay; all generators measure the same window.
import os from 'node:os';
import type { RunResult, RunSpec } from './genProtocol.ts';
import { Histogram } from './Histogram.ts';
import type { Health } from './HubProcess.ts';
import { hubSendAck, parseSendAckBuckets, type AckBuckets } from './hubSendAck.ts';
import { log, sleep, type PhaseContext } from './PhaseContext.ts';
import { CpuMeter, rssOf } from './procStats.ts';
import { toMb, type PhaseFigures } from './report.ts';
import { nowMs } from './workload.ts';

/** Acknowledged and sent messages of the hub's phases, for the durability check. */
export interface AckTally {
  acked: number;
  sent: number;
}

/**
 * Runs one load phase against the server `pid` (or several hub nodes: their CPU and RSS are added
 * up), appends its figures to the report and returns them.
 */
export async function loadPhase(
  ctx: PhaseContext,
  system: 'beseda' | 'bare',
  mode: PhaseFigures['mode'],
  pid: number | readonly number[],
  acks: AckTally,
  healthOf?: () => Promise<Health>,
  /** The hub's /metrics text, scraped before and after the phase for its own send → ack time. */
  metricsOf?: () => Promise<string>,
): Promise<PhaseFigures> {
  const { o, gens } = ctx;
  const G = gens.size;
  const durationMs = (mode === 'rate' ? o.durationS : o.saturateS) * 1000;
  await healthOf?.().catch(() => undefined);
  const scrapeAcks = async (): Promise<AckBuckets | undefined> =>
    metricsOf ? parseSendAckBuckets(await metricsOf().catch(() => '')) : undefined;
  const acksBefore = await scrapeAcks();
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
  const pids = typeof pid === 'number' ? [pid] : pid;
  const meters = pids.map((p) => new CpuMeter(p));
  const genMeters = gens.pids.map((p) => new CpuMeter(p));
  await sleep(startAt + durationMs - nowMs());
  const cpu = meters
    .map((m) => m.read())
    .reduce((a, b) => ({ ...a, cpuMs: a.cpuMs + b.cpuMs, percent: a.percent + b.percent }));
  const genCpu = genMeters.reduce((s, m) => s + m.read().percent, 0);
  const rss = pids.reduce((s, p) => s + rssOf(p), 0);
  const h = await healthOf?.().catch(() => undefined);
  const results = await pending;
  // After the drain, so every send of the window has been answered.
  const acksAfter = await scrapeAcks();
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
    hubSendAckMs: acksBefore && acksAfter ? hubSendAck(acksBefore, acksAfter) : undefined,
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
  ctx.report.phases.push(figures);
  return figures;
}
