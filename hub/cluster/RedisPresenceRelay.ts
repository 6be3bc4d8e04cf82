import type { Logger } from 'pino';
import type { PresenceStatus } from '../../common/protocol/model.ts';
import type { LocalPresence, PresenceChangeHandler, PresenceRelay } from '../ops/PresenceRelay.ts';
import { ClusterPresence } from './ClusterPresence.ts';
import { PresenceMirror } from './PresenceMirror.ts';
import { statusChannel } from './presenceScripts.ts';

/**
 * The longest a caller waits for Redis's answer to a report (presence.set waits for it) before
 * going on with its own view; the report itself goes on.
 */
const reportWaitMs = 1500;
/** The longest closing waits for leaving the cluster; past it the node expires like a dead one. */
const leaveWaitMs = 5000;

/** Resolves with the promise's value, or with `fallback` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** How a {@link RedisPresenceRelay} is set up. */
export interface RedisPresenceRelayOptions {
  /** `redis://host:port[/db]`. */
  url: string;
  /** This node's id: unique among the running nodes, not starting with `~`. */
  nodeId: string;
  log: Logger;
  /** Key and channel prefix, the same on every node; default `beseda:presence:`. */
  prefix?: string;
  /** How often the node says it is alive and sweeps dead ones; default 2000 ms. */
  beatMs?: number;
  /** A node silent this long is dead: its connections stop counting; default 3 beats. */
  lifetimeMs?: number;
}

/**
 * The {@link PresenceRelay} of a hub node on Redis: this node's totals go to
 * {@link ClusterPresence} (per-node counts, derived atomically in Redis, dead nodes swept), and
 * statusOf answers from a {@link PresenceMirror} of every status, kept current by the scripts'
 * announcements. While Redis is away (either connection, or the mirror not yet seeded) it is not
 * `live`: statusOf answers null and the node shows its own view; reports made meanwhile are
 * repeated by ClusterPresence once Redis is back.
 */
export class RedisPresenceRelay implements PresenceRelay {
  private readonly cluster: ClusterPresence;
  private readonly mirror: PresenceMirror;
  private handler: PresenceChangeHandler | undefined;
  /** Changes this node saw before Presence attached (a dead node swept while the hub opens). */
  private readonly early = new Map<number, PresenceStatus>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: RedisPresenceRelayOptions) {
    const prefix = options.prefix ?? 'beseda:presence:';
    this.mirror = new PresenceMirror({
      url: options.url,
      channel: statusChannel(prefix),
      nodeId: options.nodeId,
      log: options.log,
      snapshot: () => this.cluster.snapshot(),
    });
    this.cluster = new ClusterPresence({
      url: options.url,
      nodeId: options.nodeId,
      log: options.log,
      prefix,
      ...(options.beatMs !== undefined ? { beatMs: options.beatMs } : {}),
      ...(options.lifetimeMs !== undefined ? { lifetimeMs: options.lifetimeMs } : {}),
      onChange: (userId, status) => this.changed(userId, status),
    });
  }

  /** Whether the cluster-wide view is available now (Redis answers and the mirror is seeded). */
  get live(): boolean {
    return this.closing === undefined && this.cluster.ready && this.mirror.seeded;
  }

  attach(onChange: PresenceChangeHandler): void {
    this.handler = onChange;
    const early = [...this.early];
    this.early.clear();
    for (const [userId, status] of early) this.hand(userId, status);
  }

  report(userId: number, local: LocalPresence): Promise<PresenceStatus | null> {
    return within(this.cluster.put(userId, local), reportWaitMs, null);
  }

  statusOf(userId: number): PresenceStatus | null {
    return this.live ? this.mirror.statusOf(userId) : null;
  }

  onlineCount(): number | null {
    return this.live ? this.mirror.onlineCount() : null;
  }

  /** Users online (any status but offline) on any node; null while not {@link live}. */
  onlineUserIds(): number[] | null {
    return this.live ? this.mirror.onlineUserIds() : null;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Leaving first: the changes it causes are handed to Presence while it can still publish.
      await within(this.cluster.close(), leaveWaitMs, undefined);
      this.mirror.close();
    })();
    return this.closing;
  }

  private changed(userId: number, status: PresenceStatus): void {
    this.mirror.applyOwn(userId, status);
    if (this.handler) this.hand(userId, status);
    else this.early.set(userId, status);
  }

  private hand(userId: number, status: PresenceStatus): void {
    try {
      this.handler!(userId, status);
    } catch (err) {
      this.options.log.error({ err, userId }, 'presence: publishing a change failed');
    }
  }
}

/** Builds the presence relay of a node connected to Redis at `url` (see {@link RedisPresenceRelay}). */
export function createRedisPresenceRelay(options: RedisPresenceRelayOptions): RedisPresenceRelay {
  return new RedisPresenceRelay(options);
}
