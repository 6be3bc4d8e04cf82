import { Histogram } from '../../bench/Histogram.ts';
import { OutboxClient } from './OutboxClient.ts';

/**
 * Round trips of a probe, in ms; `maxGapMs` is the longest time without any answer (a stall);
 * `dropped` counts the probe's connection closing while it ran (each close fails the requests
 * that follow until the client is back).
 */
export interface ProbeFigures {
  p50: number;
  p99: number;
  max: number;
  count: number;
  failed: number;
  maxGapMs: number;
  dropped: number;
}

/**
 * The client a probe asks through. Its own dead-connection check waits a minute for a pong: the
 * default (a pong within half a second) cuts a healthy connection whenever a loaded machine
 * answers slowly (seen at load average 16: 17 self-inflicted reconnects and 380 failed probe
 * requests in one run), and the probe would then report the harness client, not the hub.
 */
export function createProbeClient(url: () => string, token: string, userId: number): OutboxClient {
  return new OutboxClient({ url, token, userId, pingMs: 60_000 });
}

/**
 * A probe: one client asking the hub a cheap question (`users.get` of itself) in a loop and
 * recording the round trips, to see what an attack or a stall does to everyone else's latency.
 */
export function startProbe(
  client: OutboxClient,
  intervalMs = 25,
): { stop(): Promise<ProbeFigures>; readonly answered: number } {
  const h = new Histogram();
  let failed = 0;
  let running = true;
  let lastOk = performance.now();
  let maxGap = 0;
  const closesBefore = closeCount(client);
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        // Unanswered for 30 s counts as failed: a stall, not a slow machine.
        await client.request('users.get', { ids: [client.userId] }, 30_000);
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
    /** Requests answered so far (read while an attack still runs: answers during it). */
    get answered() {
      return h.count;
    },
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
        dropped: closeCount(client) - closesBefore,
      };
    },
  };
}

/** How many times the client's connection has closed so far. */
function closeCount(client: OutboxClient): number {
  return Object.values(client.closes).reduce((sum, n) => sum + n, 0);
}
