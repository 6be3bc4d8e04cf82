import { Counter, Gauge, type Registry } from 'prom-client';
import type { Hub } from '../ops/Hub.ts';

/**
 * The bot callback queue's metrics (issue 18): `beseda_bot_deliveries_total{result}` (ok: a 2xx
 * acknowledged it; retry: an attempt failed and waits for its back-off; dropped: not
 * acknowledged within 24 h, or the bot lost its URL) and `beseda_bot_delivery_queue`. Returns
 * the refresh run at scrape time (a failed reading leaves them out, as the other readings do).
 */
export function botDeliveryMetrics(register: Registry, hub: Hub, failed: (what: string) => (err: unknown) => null) {
  const total = new Counter({
    name: 'beseda_bot_deliveries_total',
    help: "Attempts to deliver messages to bots' callback URLs since start, by result: ok, retry, dropped.",
    labelNames: ['result'],
    registers: [register],
  });
  const queue = new Gauge({
    name: 'beseda_bot_delivery_queue',
    help: 'Message deliveries to bots waiting to be acknowledged (durable; retried with back-off).',
    registers: [register],
  });
  return async function refresh(): Promise<void> {
    const stats = await hub.callbacks.stats().catch(failed('bot deliveries'));
    total.reset();
    queue.reset();
    if (!stats) return;
    for (const [result, n] of Object.entries(stats.counts)) total.inc({ result }, n);
    queue.set(stats.queued);
  };
}
