import { Histogram } from '../../bench/Histogram.ts';
import type { OutboxClient } from './OutboxClient.ts';

/** Round trips of a probe, in ms; `maxGapMs` is the longest time without any answer (a stall). */
export interface ProbeFigures {
  p50: number;
  p99: number;
  max: number;
  count: number;
  failed: number;
  maxGapMs: number;
}

/**
 * A probe: one client asking the hub a cheap question (`users.get` of itself) in a loop and
 * recording the round trips, to see what an attack or a stall does to everyone else's latency.
 */
export function startProbe(client: OutboxClient, intervalMs = 25): { stop(): Promise<ProbeFigures> } {
  const h = new Histogram();
  let failed = 0;
  let running = true;
  let lastOk = performance.now();
  let maxGap = 0;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        await client.request('users.get', { ids: [client.userId] }, 15_000);
        const now = performance.now();
        h.record(now - t0);
        maxGap = Math.max(maxGap, now - lastOk);
        lastOk = now;
      } catch {
        failed++;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      maxGap = Math.max(maxGap, performance.now() - lastOk);
      const round = (n: number) => Math.round(n * 10) / 10;
      return {
        p50: round(h.percentile(50)),
        p99: round(h.percentile(99)),
        max: round(h.max),
        count: h.count,
        failed,
        maxGapMs: round(maxGap),
      };
    },
  };
}
