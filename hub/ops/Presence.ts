import type { ChosenStatus, PresenceStatus } from '../../common/protocol/model.ts';
import type { HubContext } from './HubContext.ts';
import type { StopPresence } from '../store/AccountStore.ts';
import type { LocalPresence, PresenceRelay } from './PresenceRelay.ts';

interface UserPresence {
  /** Live connections and whether each reports its user idle. */
  connections: Map<string, boolean>;
  chosen: ChosenStatus;
  /**
   * The status others were last told. With a relay: this node's own view, told only while the
   * relay is away (the cluster-wide status is the relay's).
   */
  published: PresenceStatus;
  lastSeen: number | null;
  /** Pending switch to offline after the last connection closed. */
  graceTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Presence frames per second the whole hub may send (every frame to every socket counted). A batch
 * may reach every connected person's every socket (each hears the entries of the users it watches),
 * so batching for a fixed time could make the frames sent while N people arrive grow with N²
 * (when batches went to everyone, 20,000 arrivals in 25 s were 850,000 frames). Stretching the window with the audience bounds
 * frames per second whatever N, so the frames of a morning arrival grow with its duration (∝ N),
 * about budget ÷ arrivals per second + 1 frames per person (≈ 2.3 at 800 arrivals/s). 1,000
 * rather than more keeps that under 4 per person on a 2-core machine where arrivals are slower,
 * at the price of a window of 1 s per 1,000 sockets.
 */
export const defaultPresenceFramesPerSecond = 1000;

/**
 * How long people online when a lone hub stopped count as online after it starts: clients retry
 * at most every 4 s for a minute after the hub said it is restarting (common/client/Connection.ts
 * restartCapMs), so they are back well within it.
 */
export const restartGraceMs = 30_000;

/** A stop longer ago than this is not a restart: who was online then says nothing now. */
export const restartMaxGapMs = 5 * 60_000;

/** The longest a presence change waits, however many are connected: staler than this misleads. */
export const maxPresenceWindowMs = 10_000;

/**
 * A batch this large goes out at once: about 60 bytes an entry keeps the frame near 6 MB, under the
 * desktop app's 8 MiB frame limit (main/createWsSocket.ts), even in a reconnect storm of a huge hub.
 */
const maxBatchEntries = 100_000;

/**
 * Who is online, in memory. A status change is published as an ephemeral event to the connections
 * watching the user (those that looked them up: hub/server/PresenceWatchers.ts); a user
 * whose last connection closes stays as they were for a grace period, so a reconnect does not
 * flicker them offline and back.
 *
 * With a {@link PresenceRelay} (several hub nodes) the connections are still counted here, but what
 * others see is the status across nodes: each change of this node's totals is reported to the relay,
 * and only the cluster-wide changes it hands back (each to exactly one node) are published. While
 * the relay is away the node falls back to its own view, as a lone hub.
 */
export class Presence {
  private readonly users = new Map<number, UserPresence>();
  /** Users who connected with a bot token. */
  private readonly bots = new Set<number>();

  /** Changes waiting for the next batch, latest per user. */
  private readonly batch = new Map<number, { status: PresenceStatus; lastSeen: number | null }>();
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Closing with a relay: the changes of leaving the cluster go out at once, last seen is written in bulk. */
  private closing = false;
  /** How long the pending batch has already waited (the timer re-arms when the audience grew). */
  private batchWaitedMs = 0;
  /** Open connections that hear `everyone` events (people's, not bots'): a batch's frame count. */
  private audience = 0;
  /** People (not bots) with a live connection here: with a relay, scales the audience to every node's. */
  private peopleHere = 0;
  /** Last-seen times of cluster-wide offline changes, written together (queueLastSeen). */
  private readonly lastSeenWrites: { userId: number; ts: number }[] = [];

  /**
   * @param batchMs gather changes at least this long and send them as one frame: at 9 o'clock
   *   everyone arrives, and one frame per arrival per person online grows with the square of the
   *   staff. 0 publishes each change at once (and ignores the budget).
   * @param framesPerSecond the presence frame budget: with many sockets connected the window
   *   stretches to audience ÷ budget (at most {@link maxPresenceWindowMs}).
   * @param relay presence across hub nodes; none: this hub is the only one.
   */
  constructor(
    private readonly ctx: HubContext,
    private readonly graceMs: number,
    private readonly batchMs = 0,
    private readonly framesPerSecond = defaultPresenceFramesPerSecond,
    private readonly relay?: PresenceRelay,
  ) {
    relay?.attach((userId, status) => this.clusterChanged(userId, status));
  }

  /** Registers a connection of a user (`isBot`: a bot's socket, never told about the general room). */
  connect(userId: number, connectionId: string, isBot = false): void {
    if (isBot) this.bots.add(userId);
    const p = this.entry(userId);
    if (p.graceTimer) clearTimeout(p.graceTimer);
    p.graceTimer = undefined;
    // Bots' sockets never hear presence (ConnectionRegistry leaves them out of `everyone`).
    if (!isBot && !p.connections.has(connectionId)) {
      this.audience++;
      if (p.connections.size === 0) this.peopleHere++;
    }
    p.connections.set(connectionId, false);
    p.lastSeen = this.ctx.clock();
    void this.update(userId, p);
  }

  /** Removes a connection; the last one starts the grace period. */
  disconnect(userId: number, connectionId: string): void {
    const p = this.users.get(userId);
    if (!p || !p.connections.delete(connectionId)) return;
    if (!this.bots.has(userId)) {
      this.audience--;
      if (p.connections.size === 0) this.peopleHere--;
    }
    p.lastSeen = this.ctx.clock();
    if (p.connections.size > 0) {
      void this.update(userId, p);
      return;
    }
    this.startGrace(userId, p, this.graceMs, () => this.ctx.clock());
  }

  /**
   * After a restart of a lone hub: the people online when it stopped stay as they were for
   * {@link restartGraceMs}, as if each had just lost a connection. Their clients come back within
   * seconds (the restart back-off), and then nothing changed that others must hear: without this,
   * everyone went offline-to-online in one batch frame to every socket (5,000 people: a frame of about 280 KB
   * to each of 5,000 sockets, the reconnect storm's longest part in the bench). Whoever is not back
   * when it ends goes offline, last seen at the stop. A stop older than {@link restartMaxGapMs} says
   * nothing about now and is ignored.
   */
  resumeAfterStop(stop: StopPresence): void {
    const now = this.ctx.clock();
    if (this.relay || now - stop.at > restartMaxGapMs || now < stop.at) return;
    for (const { userId, status } of stop.online) {
      const p = this.entry(userId);
      if (p.connections.size > 0) continue;
      p.published = status;
      // Do-not-disturb is only ever chosen; away may have been idleness, so it is not assumed.
      if (status === 'dnd') p.chosen = 'dnd';
      p.lastSeen = stop.at;
      this.startGrace(userId, p, Math.max(this.graceMs, restartGraceMs), () => stop.at);
    }
  }

  /** The grace period of a user without connections: when it ends with none back, they go offline. */
  private startGrace(userId: number, p: UserPresence, ms: number, lastSeenAt: () => number): void {
    if (p.graceTimer) clearTimeout(p.graceTimer);
    p.graceTimer = setTimeout(() => {
      p.graceTimer = undefined;
      if (p.connections.size > 0) return;
      p.lastSeen = lastSeenAt();
      // With a live relay the node that sees the cluster-wide offline writes it (once, and only
      // when no other node still has a connection).
      if (!this.relay || this.relay.statusOf(userId) === null) void this.persistLastSeen(userId, p.lastSeen);
      void this.update(userId, p);
    }, ms);
    p.graceTimer.unref?.();
  }

  /**
   * Applies a chosen status and/or this connection's idleness; returns the derived status (with a
   * relay, once the cluster has answered: the status across nodes).
   */
  set(
    userId: number,
    connectionId: string,
    change: { status?: ChosenStatus; idle?: boolean },
  ): PresenceStatus | Promise<PresenceStatus> {
    const p = this.entry(userId);
    if (change.status !== undefined) p.chosen = change.status;
    if (change.idle !== undefined && p.connections.has(connectionId)) p.connections.set(connectionId, change.idle);
    const before = this.statusOf(userId);
    const reported = this.update(userId, p, change.status);
    if (!reported) {
      this.tellOwnDevices(userId, before, p.published, p.lastSeen);
      return p.published;
    }
    return reported.then((cluster) => {
      const status = cluster ?? p.published;
      this.tellOwnDevices(userId, before, status, p.lastSeen);
      return status;
    });
  }

  /** The status other users see (with a relay: across nodes, or this node's view while it is away). */
  statusOf(userId: number): PresenceStatus {
    const local = this.users.get(userId)?.published ?? 'offline';
    const cluster = this.relay?.statusOf(userId) ?? null;
    // Offline across nodes while connected here: this node's report is still on its way.
    return cluster === null || cluster === 'offline' ? local : cluster;
  }

  /**
   * When the user was last connected per memory, else what the database says (with a relay, the
   * later of the two: another node may have written a newer time than this one remembers).
   */
  lastSeenOf(userId: number, stored: number | null): number | null {
    const memory = this.users.get(userId)?.lastSeen ?? null;
    if (this.relay && memory !== null && stored !== null) return Math.max(memory, stored);
    return memory ?? stored;
  }

  /**
   * How long changes are gathered now: batchMs, stretched so that one frame to each of the
   * audience's sockets per window stays within the budget, capped at maxPresenceWindowMs.
   */
  windowMs(): number {
    const byBudget = Math.min(maxPresenceWindowMs, Math.ceil((this.heardBy() * 1000) / this.framesPerSecond));
    return Math.max(this.batchMs, byBudget);
  }

  /**
   * Sockets a batch reaches. With a relay every node's batches reach every node's sockets: a window
   * fitted to this node's sockets alone would let each socket hear (nodes × budget) frames per
   * second. Other nodes' sockets are not known here, so they are estimated from who is online
   * across the cluster, at this node's sockets per person.
   */
  private heardBy(): number {
    const online = this.relay?.onlineCount() ?? null;
    if (online === null) return this.audience;
    if (this.peopleHere === 0) return Math.max(this.audience, online);
    return Math.max(this.audience, Math.round((this.audience * online) / this.peopleHere));
  }

  /**
   * Leaves the cluster (its changes published at once), stops the timers and records when everyone
   * still connected was last seen; resolves once recorded.
   */
  async close(): Promise<void> {
    if (this.relay && !this.closing) {
      this.closing = true;
      await this.relay.close();
      this.flushBatch();
    }
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.batchWaitedMs = 0;
    this.batch.clear();
    const now = this.ctx.clock();
    const entries: { userId: number; ts: number }[] = [];
    const online: StopPresence['online'] = [];
    for (const [userId, p] of this.users) {
      if (p.graceTimer) clearTimeout(p.graceTimer);
      p.graceTimer = undefined;
      if (p.connections.size > 0 || p.published !== 'offline') entries.push({ userId, ts: now });
      if (p.published !== 'offline' && !this.bots.has(userId)) online.push({ userId, status: p.published });
    }
    // One write for everyone (one write each made a restart with 5,000 connected take seconds);
    // the hub closes its storage after this, so it is awaited. A lone hub also keeps who was
    // online for its next start (resumeAfterStop); with a relay the other nodes hold the view.
    try {
      if (!this.relay) await this.ctx.store.accounts.recordStop(entries, { at: now, online });
      else if (entries.length > 0) await this.ctx.store.accounts.setLastSeenMany(entries);
    } catch (err) {
      this.ctx.log.warn({ err, users: entries.length }, 'could not record last seen');
    }
  }

  private entry(userId: number): UserPresence {
    let p = this.users.get(userId);
    if (!p) {
      p = { connections: new Map(), chosen: 'online', published: 'offline', lastSeen: null, graceTimer: undefined };
      this.users.set(userId, p);
    }
    return p;
  }

  private derive(p: UserPresence): PresenceStatus {
    if (p.connections.size === 0) return p.graceTimer ? p.published : 'offline';
    if (p.chosen === 'dnd') return 'dnd';
    if (p.chosen === 'away') return 'away';
    for (const idle of p.connections.values()) if (!idle) return 'online';
    return 'away';
  }

  /**
   * Derives this node's view after a change and publishes it, or, with a relay, reports it (the
   * relay's answer is returned) and publishes it only while the relay is away.
   */
  private update(userId: number, p: UserPresence, chosen?: ChosenStatus): Promise<PresenceStatus | null> | undefined {
    const status = this.derive(p);
    const reported = this.relay?.report(userId, this.totalsOf(p, chosen));
    if (status === p.published) return reported;
    p.published = status;
    if (!this.relay || this.relay.statusOf(userId) === null) this.enqueue(userId, status, p.lastSeen);
    return reported;
  }

  /** What this node reports of a user: a connection within its grace period still counts. */
  private totalsOf(p: UserPresence, chosen: ChosenStatus | undefined): LocalPresence {
    let idle = 0;
    for (const isIdle of p.connections.values()) if (isIdle) idle++;
    const connections = p.connections.size === 0 && p.graceTimer ? 1 : p.connections.size;
    return chosen === undefined ? { connections, idle } : { connections, idle, chosen };
  }

  /** A status change across nodes that this node is the one to publish. */
  private clusterChanged(userId: number, status: PresenceStatus): void {
    const p = this.users.get(userId);
    let lastSeen = p?.lastSeen ?? null;
    if (status === 'offline') {
      // Also when another node died holding the last connection: it could not write the time.
      lastSeen = this.ctx.clock();
      if (p) p.lastSeen = lastSeen;
      // Closing: everyone still connected here gets one bulk write in close().
      if (!this.closing) this.queueLastSeen(userId, lastSeen);
    }
    this.enqueue(userId, status, lastSeen);
  }

  private enqueue(userId: number, status: PresenceStatus, lastSeen: number | null): void {
    // Kept even when it returns to what was last sent: someone who connected meanwhile may have
    // read the status in between (users.get answers with `published`) and must hear it change back.
    this.batch.set(userId, { status, lastSeen });
    // Closing: leaving the cluster takes many people offline at once; close() sends them in one frame.
    if ((this.batchMs <= 0 && !this.closing) || this.batch.size >= maxBatchEntries) this.flushBatch();
    else if (!this.batchTimer && !this.closing) this.armBatch(this.windowMs());
  }

  /**
   * The person's own other devices show their status as theirs: told at once, not after the window
   * (a handful of frames, whatever the audience; everyone else hears it with the batch). Bots hear
   * no presence (and may not set theirs).
   */
  private tellOwnDevices(
    userId: number,
    before: PresenceStatus,
    status: PresenceStatus,
    lastSeen: number | null,
  ): void {
    if (status !== before && this.batchMs > 0 && !this.bots.has(userId))
      this.ctx.events.publish({
        audience: { to: 'users', userIds: [userId] },
        frame: { type: 'presence', userId, status, lastSeen },
        ephemeral: true,
      });
  }

  private armBatch(delayMs: number): void {
    this.batchTimer = setTimeout(() => {
      this.batchWaitedMs += delayMs;
      // Arrivals during the window enlarge the audience: wait on until the window fits the budget
      // for the audience this frame actually goes to.
      const more = this.windowMs() - this.batchWaitedMs;
      if (more > 0) this.armBatch(more);
      else this.flushBatch();
    }, delayMs);
  }

  /** Publishes the gathered changes: a lone change as `presence`, several as one `presence.batch`. */
  private flushBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.batchWaitedMs = 0;
    const updates = [...this.batch].map(([userId, u]) => ({ userId, status: u.status, lastSeen: u.lastSeen }));
    this.batch.clear();
    if (updates.length === 0) return;
    this.ctx.events.publish({
      audience: { to: 'watchers' },
      frame: updates.length === 1 ? { type: 'presence', ...updates[0]! } : { type: 'presence.batch', updates },
      ephemeral: true,
    });
  }

  /**
   * Gathers the last-seen times of one batch of changes into one write: a dead node's sweep takes
   * all its people offline in one reply (one write each would be thousands at once).
   */
  private queueLastSeen(userId: number, ts: number): void {
    if (this.lastSeenWrites.push({ userId, ts }) > 1) return;
    queueMicrotask(async () => {
      const entries = this.lastSeenWrites.splice(0);
      try {
        await this.ctx.store.accounts.setLastSeenMany(entries);
      } catch (err) {
        this.ctx.log.warn({ err, users: entries.length }, 'could not record last seen');
      }
    });
  }

  /** Never rejects. */
  private async persistLastSeen(userId: number, ts: number): Promise<void> {
    try {
      await this.ctx.store.accounts.setLastSeen(userId, ts);
    } catch (err) {
      // Losing a last-seen time (e.g. disk full) must not take presence down.
      this.ctx.log.warn({ err, userId }, 'could not record last seen');
    }
  }
}
