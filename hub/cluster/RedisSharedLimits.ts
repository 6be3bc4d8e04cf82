import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { HubLog } from '../ops/HubContext.ts';
import type { LoginOutcome, LoginReservation, LoginThrottlePolicies, LoginTicket } from '../ops/LoginThrottle.ts';
import type { LoginScope, Rate, SharedLimits, UserLimitKind } from '../ops/SharedLimits.ts';
import { loginKeys, policyArgs, reserveLoginScript, settleLoginScript } from './loginScripts.ts';
import { takeScript } from './RedisTokenBuckets.ts';

/** How {@link createRedisSharedLimits} is set up. */
export interface RedisSharedLimitsOptions {
  /** `redis://host:port[/db]` (ioredis's URL form; `rediss://` for TLS). */
  url: string;
  /** Told once when Redis stops answering (each node then limits on its own) and once when it is back. */
  log: HubLog;
  /** Key prefix; default `beseda:limits:` (tests use one of their own). */
  prefix?: string;
  /** A question Redis has not answered in this long is answered by the node's own limits; default 200. */
  timeoutMs?: number;
  /** After a failed or slow answer, Redis is not asked again for this long; default 1000. */
  pauseMs?: number;
}

/** Until Redis first answers, the node's own limits apply without a warning (a node is starting). */
const startGraceMs = 5000;

/** A Lua script run by its SHA1 (one small round trip), sent whole only when Redis does not know it yet. */
class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

/**
 * Rate limits and the sign-in back-off of every node in one Redis (issue 20): per-user token buckets
 * (hub/cluster/RedisTokenBuckets.ts's script) and LoginThrottle's counters (loginScripts.ts), each
 * check one atomic script, one round trip. Redis away, or slower than `timeoutMs`: every method
 * answers null / false at once and the caller uses its node's own limits; the outage is logged once,
 * and the recovery once, never per call.
 */
class RedisSharedLimits implements SharedLimits {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly pauseMs: number;
  private readonly startedAt = Date.now();
  private readonly take = new Script(takeScript);
  private readonly reserve = new Script(reserveLoginScript);
  private readonly settle = new Script(settleLoginScript);
  /** Redis is not asked before this time (it just failed or was slow). */
  private pausedUntil = 0;
  private answered = false;
  private degraded = false;
  private closed = false;

  constructor(private readonly options: RedisSharedLimitsOptions) {
    this.prefix = options.prefix ?? 'beseda:limits:';
    this.pauseMs = options.pauseMs ?? 1000;
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: options.timeoutMs ?? 200,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 100, 1000),
      connectionName: 'beseda-limits',
    });
    // Failures surface as null answers (and one log line); this keeps ioredis from reporting each retry.
    this.redis.on('error', () => undefined);
  }

  get shared(): boolean {
    return !this.closed && !this.degraded && this.redis.status === 'ready';
  }

  async takeToken(kind: UserLimitKind, userId: number, rate: Rate): Promise<number | null> {
    const answer = await this.run(this.take, [`${this.prefix}rate:${kind}:${userId}`], [rate.perSecond, rate.burst]);
    return answer === null ? null : Number(answer);
  }

  async reserveLogin(
    scope: LoginScope,
    account: string,
    source: string,
    policies: LoginThrottlePolicies,
  ): Promise<LoginReservation | null> {
    const keys = loginKeys(`${this.prefix}login:${scope}:`, account, source);
    const answer = await this.run(this.reserve, keys, policyArgs(policies));
    if (!Array.isArray(answer)) return null;
    const [ok, value] = answer.map(Number);
    if (ok !== 1) return { ok: false, retryAfterMs: value ?? 0 };
    return { ok: true, ticket: { account, source, known: value === 1 } };
  }

  async settleLogin(
    scope: LoginScope,
    ticket: LoginTicket,
    outcome: LoginOutcome,
    policies: LoginThrottlePolicies,
  ): Promise<boolean> {
    const keys = loginKeys(`${this.prefix}login:${scope}:`, ticket.account, ticket.source);
    const args = [...policyArgs(policies), outcome, ticket.known ? 1 : 0, policies.knownForMs];
    return (await this.run(this.settle, keys, args)) !== null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.redis.disconnect();
  }

  /** Runs a script: its answer, or null when Redis is away, slow or paused after a failure. */
  private async run(script: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (this.closed) return null;
    if (this.redis.status !== 'ready') {
      this.fellBack('not connected');
      return null;
    }
    if (Date.now() < this.pausedUntil) return null;
    try {
      let answer: unknown;
      try {
        answer = await this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (err) {
        // A Redis that restarted has forgotten the scripts: send this one whole, once.
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        answer = await this.redis.eval(script.source, keys.length, ...keys, ...args);
      }
      this.answeredAgain();
      return answer;
    } catch (err) {
      this.pausedUntil = Date.now() + this.pauseMs;
      this.fellBack(err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  private fellBack(reason: string): void {
    // A node that is starting has not reached Redis yet: not an outage.
    if (this.degraded || (!this.answered && Date.now() - this.startedAt < startGraceMs)) return;
    this.degraded = true;
    this.options.log.warn(
      { reason },
      'shared limits: Redis does not answer; each node applies its own rate limits and sign-in back-off until it does',
    );
  }

  private answeredAgain(): void {
    this.answered = true;
    if (!this.degraded) return;
    this.degraded = false;
    this.options.log.info({}, 'shared limits: Redis answers again; rate limits and sign-in back-off are shared again');
  }
}

/**
 * Rate limits and the sign-in back-off shared through Redis by every node of a hub; give it to
 * createHub (`sharedLimits`) and `close()` it when the node stops. Connects in the background: until
 * Redis answers, the node's own limits apply.
 */
export function createRedisSharedLimits(options: RedisSharedLimitsOptions): SharedLimits {
  return new RedisSharedLimits(options);
}
