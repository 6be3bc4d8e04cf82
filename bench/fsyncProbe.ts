// The disk's own commit latency, the denominator of "send → durable ack p99 ≤ 3× fsync p99"
// (issue 19): in a folder on the same disk as the hub's data, a few thousand commits made the way
// SQLite commits in WAL mode with synchronous=FULL — write one 4 KiB page at the end of a log,
// then fsync it. better-sqlite3's SQLite is built without HAVE_FDATASYNC (its addon imports
// fsync, not fdatasync), so fsync is what the hub's commits call. The log wraps at 4 MiB, as the
// WAL restarts from its start after SQLite's default checkpoint at 1,000 pages, so the first
// thousand writes grow the file and the rest overwrite it. The loop runs in a child process of
// its own: neither the orchestrator's event loop nor its garbage collector sits inside a sample.
import { execFile } from 'node:child_process';
import type * as nodeFs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the probe measured: one write + fsync of `blockBytes` per sample, in ms. */
export interface FsyncFigures {
  method: 'fsync';
  blockBytes: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** How long the probe ran (it stops at `samples` or its time budget, whichever comes first). */
  elapsedS: number;
  /** The machine's 1-minute load average when the probe ended. */
  loadAverage: number;
}

/** How many commits, for how long at most. */
export interface FsyncProbeOptions {
  samples?: number;
  maxMs?: number;
}

/** Commits skipped before measuring: the file's creation and the first extents are not a WAL's steady state. */
const warmUp = 20;

/**
 * The loop itself, run in the child as source text (`toString()`): it must use nothing but its
 * arguments, which is also why `fs` comes in as one. Returns each sample's duration in ms.
 */
function commitLoop(fs: typeof nodeFs, file: string, samples: number, maxMs: number, warm: number): number[] {
  const block = 4096;
  const wrapAt = 1000;
  const page = Buffer.alloc(block, 0x5a);
  const fd = fs.openSync(file, 'w');
  const out: number[] = [];
  const deadline = Date.now() + maxMs;
  try {
    for (let i = 0; out.length < samples && Date.now() < deadline; i++) {
      page.writeUInt32LE(i, 0);
      const t0 = process.hrtime.bigint();
      fs.writeSync(fd, page, 0, block, (i % wrapAt) * block);
      fs.fsyncSync(fd);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= warm) out.push(ms);
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** Percentile p (0–100) of ascending `sorted` (nearest rank); 0 when empty. */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Measures write + fsync of 4 KiB pages in a temp folder inside `dir` (give it the hub's data
 * folder, or its parent: the same disk) and removes the folder again. Defaults: 3,000 commits or
 * 15 s, whichever comes first.
 */
export async function fsyncProbe(dir: string, options: FsyncProbeOptions = {}): Promise<FsyncFigures> {
  const samples = options.samples ?? 3000;
  const maxMs = options.maxMs ?? 15_000;
  const work = mkdtempSync(path.join(dir, 'fsync-probe-'));
  const file = path.join(work, 'probe-wal');
  const source =
    `const fs = require('node:fs');` +
    `const [file, samples, maxMs, warm] = JSON.parse(process.argv[1]);` +
    `process.stdout.write(JSON.stringify((${commitLoop.toString()})(fs, file, samples, maxMs, warm)));`;
  const started = performance.now();
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['-e', source, JSON.stringify([file, samples, maxMs, warmUp])],
        { maxBuffer: 64 * 1024 * 1024, timeout: maxMs + 60_000 },
        (err, out, errOut) => (err ? reject(new Error(`fsync probe failed: ${err.message} ${errOut}`)) : resolve(out)),
      );
    });
    const times = (JSON.parse(stdout) as number[]).sort((a, b) => a - b);
    if (times.length === 0) throw new Error('fsync probe: no sample within its time budget');
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return {
      method: 'fsync',
      blockBytes: 4096,
      samples: times.length,
      p50Ms: round(percentileOf(times, 50)),
      p99Ms: round(percentileOf(times, 99)),
      maxMs: round(times.at(-1)!),
      meanMs: round(times.reduce((s, t) => s + t, 0) / times.length),
      elapsedS: Math.round(performance.now() - started) / 1000,
      loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
