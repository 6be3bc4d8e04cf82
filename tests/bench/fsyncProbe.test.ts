// The fsync probe (issue 19, target 1's denominator) on a temp folder: real writes, real fsyncs.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsyncProbe, percentileOf } from '../../bench/fsyncProbe.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-fsync-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fsyncProbe', () => {
  it('measures write + fsync of 4 KiB pages and leaves nothing behind', { timeout: 120_000 }, async () => {
    const figures = await fsyncProbe(dir, { samples: 300, maxMs: 30_000 });
    expect(figures.method).toBe('fsync');
    expect(figures.blockBytes).toBe(4096);
    expect(figures.samples).toBeGreaterThan(0);
    expect(figures.samples).toBeLessThanOrEqual(300);
    // Sane: a commit takes some time, and less than a second at the median even on a busy disk.
    expect(figures.p50Ms).toBeGreaterThan(0);
    expect(figures.p50Ms).toBeLessThan(1000);
    expect(figures.p99Ms).toBeGreaterThanOrEqual(figures.p50Ms);
    expect(figures.maxMs).toBeGreaterThanOrEqual(figures.p99Ms);
    expect(figures.meanMs).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops at its time budget', { timeout: 120_000 }, async () => {
    const figures = await fsyncProbe(dir, { samples: 10_000_000, maxMs: 500 });
    expect(figures.samples).toBeLessThan(10_000_000);
    expect(figures.elapsedS).toBeLessThan(60);
  });

  it('takes percentiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileOf(sorted, 50)).toBe(50);
    expect(percentileOf(sorted, 99)).toBe(99);
    expect(percentileOf(sorted, 100)).toBe(100);
    expect(percentileOf([7], 99)).toBe(7);
    expect(percentileOf([], 50)).toBe(0);
  });
});
