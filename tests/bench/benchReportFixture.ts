// A complete benchmark report with made-up figures, for the report and targets tests (no bench run).
import type { BenchReport, PhaseFigures } from '../../bench/report.ts';
import { parseBenchOptions } from '../../bench/benchOptions.ts';

/** One load phase's figures; `over` replaces any of them. */
export function phaseFigures(
  system: PhaseFigures['system'],
  mode: PhaseFigures['mode'],
  over: Partial<PhaseFigures> = {},
): PhaseFigures {
  return {
    system,
    mode,
    clients: 2000,
    durationS: 60,
    sent: 12_000,
    acked: 12_000,
    acceptedPerS: 200,
    deliveries: 600_000,
    deliveriesPerS: 10_000,
    ephemeral: 1000,
    latencyMs: { p50: 5, p99: 40, max: 90, samples: 600_000 },
    ackLatencyMs: { p50: 2, p99: 1, max: 20 },
    errors: {},
    closes: {},
    unacked: 0,
    serverCpuPercent: 50,
    serverCpuMsPer1000Deliveries: 10,
    generatorCpuPercent: 80,
    serverRssMb: 300,
    loadAverage: 1.5,
    ...over,
  };
}

/**
 * A report where every target is met at the sizes the issue names (`--full`, 50,000 connections):
 * tests change one figure at a time from here.
 */
export function fullReport(): BenchReport {
  const o = parseBenchOptions(['--full', '--connections', '50000']);
  return {
    date: '2026-12-03T05:00:00.000Z',
    machine: {
      cpu: 'Test CPU',
      cores: 2,
      ramGb: 8,
      node: 'v20.20.2',
      os: 'Linux 6.1',
      loadAverageAtStart: 0.4,
    },
    options: { ...o, skip: [] },
    argv: ['--full', '--connections', '50000'],
    hubFlags: ['--scrypt-n', '1024'],
    setup: { users: 50_000, createUsersPerS: 1000, loginsPerS: 500, rooms: 2500, directs: 4000 },
    connections: {
      count: 50_000,
      failed: 0,
      connectS: 60,
      settleS: 5,
      baselineRssMb: 100,
      rssMb: 500,
      rssMbPer1000: 8,
      presenceFrames: 150_000,
    },
    presence: {
      points: [
        { clients: 1000, frames: 3000 },
        { clients: 20_000, frames: 60_000 },
      ],
    },
    limits: { fdSoft: 1_048_576, fdHard: 1_048_576 },
    phases: [
      phaseFigures('beseda', 'rate', { latencyMs: { p50: 5, p99: 44, max: 90, samples: 600_000 } }),
      phaseFigures('beseda', 'saturate', { serverCpuMsPer1000Deliveries: 10 }),
      phaseFigures('beseda', 'ingest'),
      phaseFigures('bare', 'rate', { latencyMs: { p50: 4, p99: 40, max: 80, samples: 600_000 } }),
      phaseFigures('bare', 'saturate', { serverCpuMsPer1000Deliveries: 9.5 }),
    ],
    storm: {
      clients: 5000,
      missedEach: 20,
      signal: 'SIGTERM',
      restartS: 1,
      postS: 2,
      caughtUp: 5000,
      allCaughtUpS: 8,
      p50S: 4,
      p99S: 7.5,
      expectedTotal: 100_000,
      receivedTotal: 100_000,
      anomalies: 0,
      connectRetries: 0,
      errors: {},
      serverCpuPercent: 95,
      presenceFrames: 20_000,
      breakdown: {
        restartS: 0.8,
        awayS: 2,
        backoffWait: { p50: 0.5, p99: 1.5, max: 2 },
        connect: { p50: 0.2, p99: 1, max: 1.5 },
        sync: { p50: 1, p99: 3, max: 4 },
        syncRoundTrips: { total: 5000, max: 1, pageSize: 500 },
        failedAttempts: 0,
        hubCpuPercent: 95,
        hubCpuSamples: [90, 100, 95],
        sampleMs: 250,
        hubIdleShare: 0.05,
        generatorCpuPercent: 60,
        listenOverflows: 0,
        hubStates: { S: 2, R: 8 },
      },
    },
    fsync: {
      method: 'fsync',
      blockBytes: 4096,
      samples: 3000,
      p50Ms: 0.2,
      p99Ms: 0.5,
      maxMs: 3,
      meanMs: 0.25,
      elapsedS: 1,
      loadAverage: 0.5,
    },
    files: {
      sizeMb: 256,
      copyMbPerS: 500,
      copiesMbPerS: [480, 500],
      uploadMbPerS: 300,
      downloadMbPerS: 400,
      uploadRatio: 0.6,
      downloadRatio: 0.8,
      uploadCpuPercent: 60,
      downloadCpuPercent: 30,
      hubRssMb: { before: 100, upload: 130, download: 120 },
      intact: true,
      loadAverage: 1.2,
    },
    search: {
      messages: 1_000_000,
      rooms: 100,
      searcherRooms: 10,
      buildS: 60,
      buildPerS: 16_000,
      indexBytes: 200 * 1048576,
      databaseBytes: 600 * 1048576,
      indexPercent: 33,
      allMs: { p50: 12, p99: 80, max: 120, samples: 400 },
      queries: [{ label: 'one word', query: 'счёт', hits: 20, p50Ms: 10, p99Ms: 60, maxMs: 70 }],
      loadAverage: 1.1,
    },
    webLoad: {
      runs: 3,
      networks: [
        {
          network: 'loopback',
          cold: { requests: 6, fromNetwork: 6, transferredBytes: 123_000, formMs: { p50: 300, min: 250, max: 400 } },
          warm: { requests: 6, fromNetwork: 1, transferredBytes: 1_000, formMs: { p50: 150, min: 120, max: 200 } },
        },
      ],
      loadAverage: 1.3,
    },
    durability: { acked: 24_000, sent: 24_000, stored: 24_000, duplicates: 0, ok: true },
    hubWarnings: {},
  };
}
