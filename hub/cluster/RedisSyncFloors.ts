import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Keeps the lower of the stored floor and ARGV[1], for ARGV[2] ms. */
const lowerScript = `
local had = redis.call('GET', KEYS[1])
if (not had) or tonumber(had) > tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1`;

/** How a {@link RedisSyncFloors} is set up. */
export interface RedisSyncFloorsOptions {
  url: string;
  log: Logger;
  /** Key prefix, the same on every node; default `beseda:floor:`. */
  prefix?: string;
  /** A question Redis has not answered in this long is answered "no floor"; default 200 ms. */
  timeoutMs?: number;
}

/**
 * Sessions' sync floors (hub/server/SyncFloors.ts) shared by every node, so a client that
 * reconnects after a gap's 4002 to another node is still served from where the gap began: one key
 * per session, `beseda:floor:<sessionId>`, the lowest floor kept, expiring with the floor. Redis away
 * or slow: no floor is found (the session catches up from its own cursor, as on one node) and
 * nothing waits. A fresh floor is written right after a gap, which is usually signalled when
 * Redis is back.
 */
export class RedisSyncFloors {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private warned = false;
  /** Floors given while Redis was not ready (a gap is signalled as Redis comes back): written on `ready`. */
  private readonly pending = new Map<number, { seq: number; until: number }>();

  constructor(private readonly options: RedisSyncFloorsOptions) {
    this.prefix = options.prefix ?? 'beseda:floor:';
    this.timeoutMs = options.timeoutMs ?? 200;
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5000,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    // Errors come once per failed reconnect attempt: the bus already logs the outage.
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => this.flush());
  }

  /** Gives each session the floor `seq` for `keepMs` (the lower one when it has one already). */
  share(sessionIds: readonly number[], seq: number, keepMs: number): void {
    const until = Date.now() + keepMs;
    for (const id of sessionIds) {
      const had = this.pending.get(id);
      this.pending.set(id, { seq: had ? Math.min(had.seq, seq) : seq, until });
    }
    if (this.redis.status === 'ready') this.flush();
  }

  /** The session's shared floor, or null (none, or Redis away or slow). */
  async lookup(sessionId: number): Promise<number | null> {
    if (this.redis.status !== 'ready') return null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.timeoutMs)));
    try {
      const found = await Promise.race([this.redis.get(this.key(sessionId)), late]);
      return found === null ? null : Number(found);
    } catch (err) {
      this.failed(err);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The session caught up: its floor is dropped everywhere. */
  forget(sessionId: number): void {
    if (this.redis.status !== 'ready') return;
    this.redis.del(this.key(sessionId)).catch((err: unknown) => this.failed(err));
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const now = Date.now();
    const batch = this.redis.pipeline();
    for (const [id, floor] of this.pending)
      if (floor.until > now) batch.eval(lowerScript, 1, this.key(id), String(floor.seq), String(floor.until - now));
    this.pending.clear();
    batch.exec().catch((err: unknown) => this.failed(err));
  }

  private key(sessionId: number): string {
    return `${this.prefix}${sessionId}`;
  }

  private failed(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.options.log.warn({ err: (err as Error)?.message }, 'sync floors: Redis did not take or answer a floor');
  }
}
