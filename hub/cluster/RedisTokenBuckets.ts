import { Redis } from 'ioredis';

/**
 * hub/ops/TokenBucket.ts's arithmetic, in one atomic script on Redis's clock: every node takes from
 * the same bucket, so a person spreading sends over several nodes gets the limit once, not once
 * per node. The bucket expires when it would be full again (nothing to remember).
 * KEYS[1] the bucket; ARGV perSecond, burst; answers 0 (taken) or the milliseconds to wait.
 * Also used by hub/cluster/RedisSharedLimits.ts.
 */
export const takeScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return wait
`;

/**
 * Token buckets shared by every node of a hub, on a connection of their own. The hub itself uses the
 * same script through hub/cluster/RedisSharedLimits.ts (with the sign-in back-off, one connection).
 * When Redis is away `take` answers null and the caller falls back to its own node's bucket: a
 * limit per node for that time rather than none, and never a refusal caused by the outage.
 */
export class RedisTokenBuckets {
  private readonly redis: Redis;

  constructor(
    url: string,
    /** Key prefix (`beseda:rate:` by default; tests use one of their own). */
    private readonly prefix = 'beseda:rate:',
  ) {
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 5000,
      retryStrategy: (times) => Math.min(times * 100, 1000),
      connectionName: 'beseda-rate',
    });
    // Failures surface as null answers; the listener keeps ioredis from reporting them as unhandled.
    this.redis.on('error', () => undefined);
  }

  /**
   * Takes one token from bucket `key` (e.g. `send:42`): 0 when taken, else the milliseconds until
   * one is available; null when Redis could not be asked.
   */
  async take(key: string, rate: { perSecond: number; burst: number }): Promise<number | null> {
    if (this.redis.status !== 'ready') return null;
    try {
      const wait = await this.redis.eval(takeScript, 1, this.prefix + key, rate.perSecond, rate.burst);
      return Number(wait);
    } catch {
      return null;
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}
