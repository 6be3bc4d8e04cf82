import { Counter, Gauge, type Registry } from 'prom-client';
import type { Hub } from '../ops/Hub.ts';
import type { RedisHealth } from '../server/startClusterParts.ts';

/** How long a scrape waits for the store's `SELECT 1`. */
const storePingMs = 2000;

/**
 * The hub's dependencies (issue 20): `beseda_store_up{kind}` (1 while the store answers a
 * `SELECT 1`; SQLite always), `beseda_store_pool_connections{state}` (PostgreSQL's pool), and
 * with `--redis` `beseda_redis_up` plus the event bus's counters since start. Returns the refresh
 * run at scrape time.
 */
export function dependencyMetrics(register: Registry, hub: Hub, redis: (() => RedisHealth) | undefined) {
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [register] });
  const counter = (name: string, help: string) => new Counter({ name, help, registers: [register] });
  const storeUp = gauge('beseda_store_up', '1 while the store answers (PostgreSQL: SELECT 1 within 2 s).', ['kind']);
  const pool = gauge(
    'beseda_store_pool_connections',
    "PostgreSQL connections of this node's pool: total open, idle, callers waiting, max (the cap).",
    ['state'],
  );
  const bus = redis && {
    up: gauge('beseda_redis_up', '1 while the event bus publishes to and hears the other nodes through Redis.'),
    published: counter('beseda_bus_published_total', 'Events and disconnects this node published to Redis.'),
    received: counter('beseda_bus_received_total', "Other nodes' events and disconnects received through Redis."),
    dropped: counter(
      'beseda_bus_dropped_total',
      'Events not published because Redis was unreachable (local clients still got them).',
    ),
    gaps: counter(
      'beseda_bus_gaps_total',
      "Times this node may have missed other nodes' events (its clients were made to catch up).",
    ),
  };
  const setCounter = (c: Counter, value: number) => {
    c.reset();
    c.inc(value);
  };
  return async function refresh(): Promise<void> {
    const ping = await hub.storePing(storePingMs);
    storeUp.reset();
    storeUp.set({ kind: ping.kind }, ping.ok ? 1 : 0);
    pool.reset();
    if (ping.pool) for (const [state, n] of Object.entries(ping.pool)) pool.set({ state }, n);
    if (!bus || !redis) return;
    const health = redis();
    bus.up.set(health.ok ? 1 : 0);
    setCounter(bus.published, health.published);
    setCounter(bus.received, health.received);
    setCounter(bus.dropped, health.dropped);
    setCounter(bus.gaps, health.gaps);
  };
}
