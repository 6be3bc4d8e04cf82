import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PresenceStatus } from '../../common/protocol/model.ts';
import type { PresenceSnapshot } from './ClusterPresence.ts';

/** How a {@link PresenceMirror} is set up. */
export interface PresenceMirrorOptions {
  url: string;
  /** The channel the presence scripts publish every change on (presenceScripts.ts statusChannel). */
  channel: string;
  nodeId: string;
  log: Logger;
  /** Every published status and its version, read atomically (ClusterPresence.snapshot); null: not now. */
  snapshot: () => Promise<PresenceSnapshot | null>;
  /** How soon a failed seeding is tried again; default 1000 ms. */
  retryMs?: number;
}

/**
 * This node's copy of every user's cluster-wide status, so `statusOf` answers at once, without a
 * round trip to Redis per user listed. Kept current by the presence scripts' own announcements
 * (each change, whichever node made it, is published with a version number on one channel) rather
 * than by re-reading the status hash on a timer: a timer costs a read of every user's status per
 * node per tick and is still stale up to a tick, while the announcements arrive in milliseconds.
 * Pub/sub may lose messages only across a broken connection, and the version shows any loss: the
 * mirror is seeded from (version, HGETALL) read atomically each time the subscription is (re)made,
 * and again whenever a version is skipped. Until seeded, it knows nothing (`version` null).
 */
export class PresenceMirror {
  private readonly sub: Redis;
  private statuses = new Map<number, PresenceStatus>();
  /** The last change applied; null: not seeded (no subscription, or seeding). */
  private version: number | null = null;
  /** Announcements that arrived while seeding, applied after the snapshot. */
  private queued: string[] | null = null;
  /** Bumped by each seeding and each lost connection: a seeding overtaken by either is dropped. */
  private generation = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: PresenceMirrorOptions) {
    this.sub = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false, // subscribed again on every 'ready', then seeded: the order matters
      connectTimeout: 5000,
      retryStrategy: (times) => Math.min(times * 100, 1000),
      connectionName: `beseda-presence-mirror-${options.nodeId}`,
    });
    let quiet = false;
    this.sub.on('error', (err: Error) => {
      if (quiet) return;
      quiet = true;
      options.log.warn({ err: err.message, node: options.nodeId }, 'presence mirror: Redis unreachable');
    });
    this.sub.on('close', () => {
      this.generation++;
      this.version = null;
      this.queued = null;
    });
    this.sub.on('ready', () => {
      quiet = false;
      void this.subscribe();
    });
    this.sub.on('message', (_channel: string, message: string) => this.receive(message));
  }

  /** Whether the mirror is current (subscribed and seeded). */
  get seeded(): boolean {
    return this.version !== null;
  }

  /** A user's status as last announced (offline when not listed); null when not {@link seeded}. */
  statusOf(userId: number): PresenceStatus | null {
    if (this.version === null) return null;
    return this.statuses.get(userId) ?? 'offline';
  }

  /** How many users are not offline across the cluster; null when not {@link seeded}. */
  onlineCount(): number | null {
    return this.version === null ? null : this.statuses.size;
  }

  /**
   * Users not offline across the cluster (null when not {@link seeded}); a copy, as the caller may
   * keep it while changes arrive.
   */
  onlineUserIds(): number[] | null {
    return this.version === null ? null : [...this.statuses.keys()];
  }

  /**
   * A change this node's own report just caused: applied at once (its announcement follows and
   * confirms it), so what this node publishes and what it answers agree from the start.
   */
  applyOwn(userId: number, status: PresenceStatus): void {
    if (this.version !== null) this.set(userId, status);
  }

  /** Unsubscribes and disconnects. */
  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.version = null;
    this.sub.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.sub.subscribe(this.options.channel);
    } catch {
      return; // the connection broke again: its next 'ready' subscribes
    }
    await this.seed();
  }

  /** Reads the snapshot; announcements arriving meanwhile wait, and those newer than it are applied after. */
  private async seed(): Promise<void> {
    if (this.closed) return;
    const generation = ++this.generation;
    this.version = null;
    this.queued = [];
    const snapshot = await this.options.snapshot();
    // Overtaken: the subscription broke meanwhile (the next 'ready' seeds), or a later seeding began.
    if (this.closed || generation !== this.generation) return;
    const queued = this.queued ?? [];
    this.queued = null;
    if (!snapshot) {
      if (this.retry) clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.seed(), this.options.retryMs ?? 1000);
      this.retry.unref();
      return;
    }
    this.statuses = snapshot.statuses;
    this.version = snapshot.version;
    for (const message of queued) this.receive(message);
  }

  private receive(message: string): void {
    if (this.queued !== null) {
      this.queued.push(message);
      return;
    }
    if (this.version === null) return; // a seeding follows
    const [v, uid, status] = message.split(' ');
    const version = Number(v);
    const userId = Number(uid);
    if (!Number.isSafeInteger(version) || !Number.isSafeInteger(userId) || !status) return;
    if (version <= this.version) return; // already in the snapshot
    if (version > this.version + 1) {
      this.options.log.warn(
        { node: this.options.nodeId, had: this.version, got: version },
        'presence mirror: announcements were lost; reading every status again',
      );
      void this.seed();
      return;
    }
    this.version = version;
    this.set(userId, status as PresenceStatus);
  }

  private set(userId: number, status: PresenceStatus): void {
    if (status === 'offline') this.statuses.delete(userId);
    else this.statuses.set(userId, status);
  }
}
