// /healthz and /metrics report a node's dependencies (issue 20): the store (PostgreSQL answers a
// SELECT 1; SQLite always) and, with --redis, the event bus's link and counts. Either one down makes
// the node `degraded` (503) with a reason, and it is `ok` again once it is back — on a real hub
// process with a real PostgreSQL and Redis that the test stops and starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgresStore, postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import type { RedisHealth } from '../../hub/server/startClusterParts.ts';
import { scrape, valueOf } from '../ops/metricsText.ts';

const available = postgresAvailable && redisAvailable;

interface Health {
  status: string;
  reason?: string;
  store?: { kind: string; ok: boolean; error?: string; pool?: { max: number } };
  redis?: RedisHealth;
}

async function healthz(hub: TestHub): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${hub.url}/healthz`);
  return { code: res.status, body: (await res.json()) as Health };
}

/** Polls /healthz until `match` holds (the dependency's state is noticed within a second or so). */
async function healthWhen(hub: TestHub, what: string, match: (h: Health) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last: { code: number; body: Health } | undefined;
  for (;;) {
    last = await healthz(hub);
    if (match(last.body)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!available)('/healthz and /metrics: the store and Redis', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let node: TestHub;
  let single: TestHub;

  beforeAll(async () => {
    pg = await startPostgres();
    redis = await startRedis();
    const db = await pg.createDatabase();
    node = await startHub({ args: ['--store', db, '--redis', redis.url, '--node-id', 'h1', '--store-pool', '4'] });
    single = await startHub(); // a plain single hub (its own SQLite file, unless the run puts every hub on PostgreSQL)
  }, 120_000);
  afterAll(async () => {
    await Promise.all([node?.stop(), single?.stop()]);
    await redis?.close();
    await pg?.close();
  }, 60_000);

  it('reports both ok, with the store kind, pool and bus counts', async () => {
    const shared = (h: Health) => h.redis?.ok === true && h.redis.presence && h.redis.limits;
    const { code, body } = await healthWhen(node, 'redis ok, presence and limits shared', shared);
    expect(code).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.store).toMatchObject({ kind: 'postgres', ok: true, pool: { max: 4 } });
    expect(body.redis).toMatchObject({ ok: true, dropped: 0, gaps: 0 });
    const m = await scrape(node.url);
    expect(valueOf(m, 'beseda_store_up', { kind: 'postgres' })).toBe(1);
    expect(valueOf(m, 'beseda_redis_up')).toBe(1);
    expect(valueOf(m, 'beseda_bus_gaps_total')).toBe(0);
    expect(valueOf(m, 'beseda_store_pool_connections', { state: 'max' })).toBe(4);
  });

  it.skipIf(onPostgresStore)('a single SQLite hub reports its store and no Redis', async () => {
    const { code, body } = await healthz(single);
    expect(code).toBe(200);
    expect(body.store).toEqual({ kind: 'sqlite', ok: true, ms: 0 });
    expect(body.redis).toBeUndefined();
    const m = await scrape(single.url);
    expect(valueOf(m, 'beseda_store_up', { kind: 'sqlite' })).toBe(1);
    expect(valueOf(m, 'beseda_redis_up')).toBeUndefined();
  });

  it('Redis stopped: degraded (503, redis_unreachable); back: ok, with the gap counted', async () => {
    await redis.stop();
    const down = await healthWhen(node, 'redis down', (h) => h.redis?.ok === false);
    expect(down.code).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', reason: 'redis_unreachable', store: { ok: true } });
    expect(valueOf(await scrape(node.url), 'beseda_redis_up')).toBe(0);

    await redis.start();
    const up = await healthWhen(node, 'redis back', (h) => h.status === 'ok');
    expect(up.code).toBe(200);
    expect(up.body.redis?.ok).toBe(true);
    await healthWhen(node, 'presence and limits shared again', (h) => !!h.redis?.presence && !!h.redis.limits);
    // The subscription was lost: one gap, answered by the node (its clients would catch up).
    const gaps = await healthWhen(node, 'the gap counted', (h) => (h.redis?.gaps ?? 0) >= 1);
    expect(gaps.body.redis?.gaps).toBe(1);
    const m = await scrape(node.url);
    expect(valueOf(m, 'beseda_redis_up')).toBe(1);
    expect(valueOf(m, 'beseda_bus_gaps_total')).toBe(1);
  }, 60_000);

  it('PostgreSQL stopped: degraded (503, store_unreachable) with the reason locally; back: ok', async () => {
    await pg.stop('fast');
    const down = await healthWhen(node, 'store down', (h) => h.store?.ok === false);
    expect(down.code).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', reason: 'store_unreachable' });
    expect(down.body.store?.error).toEqual(expect.any(String)); // asked from the hub's own machine
    expect(valueOf(await scrape(node.url), 'beseda_store_up', { kind: 'postgres' })).toBe(0);

    await pg.start();
    const up = await healthWhen(node, 'store back', (h) => h.status === 'ok');
    expect(up.code).toBe(200);
    expect(up.body.store).toMatchObject({ kind: 'postgres', ok: true });
  }, 60_000);
});
