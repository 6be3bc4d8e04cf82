import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChosenStatus, PresenceStatus } from '../../common/protocol/model.ts';
import { beatScript, leaveScript, setScript, statusVersionKey } from './presenceScripts.ts';

/** How a {@link ClusterPresence} is set up. */
export interface ClusterPresenceOptions {
  /** `redis://host:port[/db]`. */
  url: string;
  /** This node's id (unique among the running nodes; not starting with `~`). */
  nodeId: string;
  log: Logger;
  /**
   * A user's status across the cluster changed, and this node is the one that saw it (each change
   * reaches exactly one node): publish it to everyone. Must not throw.
   */
  onChange: (userId: number, status: PresenceStatus) => void;
  /** Key prefix (tests use one per test). */
  prefix?: string;
  /** How often this node says it is alive and sweeps dead ones. */
  beatMs?: number;
  /** A node silent this long is dead: its connections no longer count (default 3 beats). */
  lifetimeMs?: number;
}

interface Local {
  connections: number;
  idle: number;
  chosen: ChosenStatus;
}

/** Every published status at one moment, and how many changes led to it (the status hash's version). */
export interface PresenceSnapshot {
  version: number;
  /** Users not listed are offline. */
  statuses: Map<number, PresenceStatus>;
}

type Reply = [string, number];
/** [1 when this node was unlisted, then userId, status pairs]. */
type SweepReply = (string | number)[];

/**
 * Presence across hub nodes, in Redis: each node reports how many connections (and how many idle)
 * it has of each user, and the status is derived from every live node's counts in one atomic
 * script, so a person connected to two nodes stays online until the last connection anywhere is
 * gone. Nodes beat; a node that stops beating (SIGKILL, lost network) is swept by the next beat of
 * any other, and its users go offline unless connected elsewhere. A node that finds itself unlisted
 * (swept while paused, or Redis restarted empty) reports all its users again; so does one whose
 * reports failed while Redis was away.
 */
export class ClusterPresence {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly lifetimeMs: number;
  private readonly local = new Map<number, Local>();
  private readonly timer: ReturnType<typeof setInterval>;
  /** A report failed: the next successful beat reports everything again. */
  private dirty = false;
  /**
   * Not yet cleared what an earlier process under this node id left: one that crashed and came back
   * within its lifetime is still listed, so its dead connections would count as this process's.
   */
  private fresh = true;
  private closed = false;

  constructor(private readonly options: ClusterPresenceOptions) {
    if (!options.nodeId || options.nodeId.startsWith('~')) throw new Error('presence: a node id is required');
    this.prefix = options.prefix ?? 'beseda:presence:';
    const beatMs = options.beatMs ?? 2000;
    this.lifetimeMs = options.lifetimeMs ?? beatMs * 3;
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 5000,
      // A Redis that accepts but never answers must not hold reports (and a closing hub) forever:
      // a command failed this way is a failed report, made again by the next beat.
      commandTimeout: 5000,
      retryStrategy: (times) => Math.min(times * 100, 1000),
      connectionName: `beseda-presence-${options.nodeId}`,
    });
    let quiet = false;
    this.redis.on('error', (err: Error) => {
      if (quiet) return;
      quiet = true;
      options.log.warn({ err: err.message, node: options.nodeId }, 'presence: Redis unreachable');
    });
    this.redis.on('ready', () => {
      quiet = false;
      void this.beat();
    });
    this.timer = setInterval(() => void this.beat(), beatMs);
    this.timer.unref();
  }

  /** A connection of the user opened on this node. */
  connect(userId: number): Promise<PresenceStatus | null> {
    const l = this.entry(userId);
    l.connections++;
    return this.report(userId, l, '');
  }

  /** A connection of the user closed on this node (after the caller's grace period). */
  disconnect(userId: number, wasIdle = false): Promise<PresenceStatus | null> {
    const l = this.local.get(userId);
    if (!l || l.connections === 0) return Promise.resolve(null);
    l.connections--;
    if (wasIdle) l.idle = Math.max(0, l.idle - 1);
    return this.report(userId, l, '');
  }

  /** One of the user's connections here became idle or active again, and/or they chose a status. */
  set(userId: number, change: { idleDelta?: -1 | 1; status?: ChosenStatus }): Promise<PresenceStatus | null> {
    const l = this.entry(userId);
    if (change.idleDelta) l.idle = Math.min(l.connections, Math.max(0, l.idle + change.idleDelta));
    if (change.status) l.chosen = change.status;
    return this.report(userId, l, change.status ?? '');
  }

  /**
   * Sets this node's totals of a user outright (the caller counts its connections itself); `chosen`
   * when the user just chose a status. Answers as {@link connect} does.
   */
  put(
    userId: number,
    totals: { connections: number; idle: number; chosen?: ChosenStatus },
  ): Promise<PresenceStatus | null> {
    const l = this.entry(userId);
    l.connections = Math.max(0, Math.floor(totals.connections));
    l.idle = Math.min(l.connections, Math.max(0, Math.floor(totals.idle)));
    if (totals.chosen) l.chosen = totals.chosen;
    return this.report(userId, l, totals.chosen ?? '');
  }

  /** Whether Redis answers now (reports made while not are repeated once it does). */
  get ready(): boolean {
    return !this.closed && this.redis.status === 'ready';
  }

  /** Every published status with its version, read atomically; null when Redis is away. */
  async snapshot(): Promise<PresenceSnapshot | null> {
    if (!this.ready) return null;
    try {
      const replies = await this.redis
        .multi()
        .get(statusVersionKey(this.prefix))
        .hgetall(`${this.prefix}status`)
        .exec();
      const [[versionErr, version], [hashErr, hash]] = replies as [
        [Error | null, string | null],
        [Error | null, Record<string, string>],
      ];
      if (versionErr || hashErr) return null;
      const statuses = new Map<number, PresenceStatus>();
      for (const [uid, status] of Object.entries(hash)) statuses.set(Number(uid), status as PresenceStatus);
      return { version: Number(version ?? 0), statuses };
    } catch {
      return null;
    }
  }

  /** The statuses last published for these users (offline when not listed), or null when Redis is away. */
  async statuses(userIds: readonly number[]): Promise<Map<number, PresenceStatus> | null> {
    if (userIds.length === 0) return new Map();
    try {
      const values = await this.redis.hmget(`${this.prefix}status`, ...userIds.map(String));
      return new Map(userIds.map((id, i) => [id, (values[i] as PresenceStatus | null) ?? 'offline']));
    } catch {
      return null;
    }
  }

  /** Stops beating and takes this node's connections out at once (a clean shutdown). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.redis.status === 'ready') {
      try {
        this.changes(await this.sweep(leaveScript));
      } catch (err) {
        this.options.log.warn({ err }, 'presence: could not leave; the node expires instead');
      }
    }
    this.redis.disconnect();
  }

  private entry(userId: number): Local {
    let l = this.local.get(userId);
    if (!l) this.local.set(userId, (l = { connections: 0, idle: 0, chosen: 'online' }));
    return l;
  }

  /** Sends this node's count of one user; the cluster-wide status, or null when Redis is away. */
  private async report(userId: number, l: Local, chosen: string): Promise<PresenceStatus | null> {
    if (this.closed) return null;
    const p = this.prefix;
    const keys = [`${p}nodes`, `${p}u:${userId}`, `${p}n:${this.options.nodeId}`, `${p}status`];
    const args = [this.options.nodeId, userId, l.connections, l.idle, chosen, this.lifetimeMs];
    if (l.connections === 0 && l.chosen === 'online') this.local.delete(userId);
    try {
      const [status, changed] = (await this.run(setScript, keys, args)) as Reply;
      if (changed === 1) this.notify(userId, status as PresenceStatus);
      return status as PresenceStatus;
    } catch {
      this.dirty = true;
      return null;
    }
  }

  private async beat(): Promise<void> {
    if (this.closed || this.redis.status !== 'ready') return;
    let reply: SweepReply;
    try {
      if (this.fresh) {
        // First thing on the first connection (issued before any report can be): leave, as the
        // crashed process could not; its people go offline unless connected elsewhere.
        this.changes(await this.sweep(leaveScript));
        this.fresh = false;
      }
      reply = await this.sweep(beatScript);
    } catch {
      return;
    }
    this.changes(reply);
    if (reply[0] === 1 || this.dirty) {
      // Unlisted (swept, or Redis came back empty) or reports were lost: say everything again.
      this.dirty = false;
      for (const [userId, l] of [...this.local]) void this.report(userId, l, l.chosen === 'online' ? '' : l.chosen);
    }
  }

  /** Runs the beat or the leave script (same keys and arguments). */
  private async sweep(script: string): Promise<SweepReply> {
    const keys = [`${this.prefix}nodes`, `${this.prefix}status`];
    return (await this.run(script, keys, [this.options.nodeId, this.lifetimeMs, this.prefix])) as SweepReply;
  }

  /** Publishes the swept users' changes: [added, uid, status, uid, status, …]. */
  private changes(reply: SweepReply): void {
    for (let i = 1; i + 1 < reply.length; i += 2) this.notify(Number(reply[i]), reply[i + 1] as PresenceStatus);
  }

  private notify(userId: number, status: PresenceStatus): void {
    try {
      this.options.onChange(userId, status);
    } catch (err) {
      this.options.log.error({ err }, 'presence: the change handler failed');
    }
  }

  private run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.redis.eval(script, keys.length, ...keys, ...args);
  }
}
