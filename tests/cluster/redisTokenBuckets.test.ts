// Rate limits shared by hub nodes (hub/cluster/RedisTokenBuckets.ts) on a real redis-server: two
// nodes take from one bucket, so the burst is granted once across them; a Redis that is away gives
// "ask your own bucket" (null), never a refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenBuckets } from '../../hub/cluster/RedisTokenBuckets.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.ts';

const suite = redisAvailable ? describe : describe.skip;

async function ready(buckets: RedisTokenBuckets): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await buckets.take('warm-up', { perSecond: 1000, burst: 1000 })) === null) {
    if (Date.now() > deadline) throw new Error('Redis did not answer');
    await new Promise((r) => setTimeout(r, 20));
  }
}

suite('RedisTokenBuckets on a real redis-server', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    await redis?.close();
  });

  it('grants one burst across two nodes, then says how long to wait', async () => {
    const a = new RedisTokenBuckets(redis.url, 't1:');
    const b = new RedisTokenBuckets(redis.url, 't1:');
    try {
      await Promise.all([ready(a), ready(b)]);
      // A slow refill (one token a minute) so the test does not depend on how fast it runs.
      const rate = { perSecond: 1 / 60, burst: 5 };
      const answers: (number | null)[] = [];
      for (let i = 0; i < 5; i++) answers.push(await (i % 2 === 0 ? a : b).take('send:42', rate));
      expect(answers).toEqual([0, 0, 0, 0, 0]);
      const waitA = await a.take('send:42', rate);
      const waitB = await b.take('send:42', rate);
      for (const wait of [waitA, waitB]) {
        expect(wait).toBeGreaterThan(50_000);
        expect(wait).toBeLessThanOrEqual(60_000);
      }
      // Another person's bucket is their own.
      expect(await b.take('send:43', rate)).toBe(0);
    } finally {
      a.close();
      b.close();
    }
  }, 60_000);

  it('refills at the rate', async () => {
    const a = new RedisTokenBuckets(redis.url, 't2:');
    try {
      await ready(a);
      // One a second: two takes in a row are well within it even on a loaded machine.
      const rate = { perSecond: 1, burst: 1 };
      expect(await a.take('k', rate)).toBe(0);
      const wait = await a.take('k', rate);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1000);
      await new Promise((r) => setTimeout(r, wait! + 20));
      expect(await a.take('k', rate)).toBe(0);
    } finally {
      a.close();
    }
  }, 60_000);

  it('answers null while Redis is away, and works again once it is back', async () => {
    const a = new RedisTokenBuckets(redis.url, 't3:');
    try {
      await ready(a);
      await redis.stop();
      expect(await a.take('k', { perSecond: 1, burst: 1 })).toBeNull();
      await redis.start();
      await ready(a);
      expect(await a.take('k', { perSecond: 1, burst: 1 })).toBe(0);
    } finally {
      a.close();
    }
  }, 90_000);
});
