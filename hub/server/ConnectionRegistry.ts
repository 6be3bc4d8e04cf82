import type { Logger } from 'pino';
import type { EventSink, HubEvent } from '../ops/HubEvent.ts';
import { CloseCode } from '../../common/protocol/errors.ts';
import type { Connection } from './Connection.ts';
import { OutgoingFrame } from './OutgoingFrame.ts';
import { PresenceWatchers } from './PresenceWatchers.ts';
import { SocketCork } from './SocketCork.ts';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';

/**
 * The in-process fan-out: every live connection by user and session, and delivery of published
 * events with back-pressure. A multi-node hub would put a Redis-backed sink in front of one of
 * these per node; operations do not change.
 */
export class ConnectionRegistry implements EventSink {
  private readonly byUser = new Map<number, Set<Connection>>();
  private readonly all = new Set<Connection>();
  /** Every fan-out write goes through here: one writev per socket per turn, spread over turns. */
  private readonly cork = new SocketCork();
  /** Who hears whose presence: presence goes to watchers, not to everyone. */
  private readonly watchers = new PresenceWatchers();
  /** Frames dropped for slow consumers (ephemeral) since start; exposed on /healthz. */
  droppedEphemeral = 0;
  slowConsumersCut = 0;
  /** Messages published since start, and how many sockets each was written to (read by /metrics). */
  messagesPublished = 0;
  messageDeliveries = 0;
  /**
   * Presence publications (one per batch window, or per change when not batched) and the frames
   * they were written as (one per watching socket), since start: read by /metrics.
   */
  presencePublished = 0;
  presenceFrames = 0;

  constructor(
    private readonly log: Logger,
    private readonly softBufferBytes: number,
    private readonly hardBufferBytes: number,
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** People (and chat sessions' users) with at least one open connection. */
  get users(): number {
    return this.byUser.size;
  }

  add(conn: Connection): void {
    this.all.add(conn);
    let set = this.byUser.get(conn.actor.userId);
    if (!set) this.byUser.set(conn.actor.userId, (set = new Set()));
    set.add(conn);
    // Everyone hears their own presence (their other devices show it as theirs).
    this.watchers.watch(conn, [conn.actor.userId]);
  }

  remove(conn: Connection): void {
    this.all.delete(conn);
    this.watchers.forget(conn);
    const set = this.byUser.get(conn.actor.userId);
    if (set) {
      set.delete(conn);
      if (set.size === 0) this.byUser.delete(conn.actor.userId);
    }
  }

  connections(): Iterable<Connection> {
    return this.all;
  }

  publish(event: HubEvent): void {
    const ephemeral = event.ephemeral === true;
    let written = 0;
    if (event.audience.to === 'watchers') {
      written = this.publishToWatchers(event.frame, ephemeral);
      this.presencePublished++;
      this.presenceFrames += written;
    } else {
      // Serialised and framed once, whatever the audience's size.
      const data = OutgoingFrame.of(event.frame);
      if (event.audience.to === 'everyone') {
        const except = event.audience.except;
        for (const conn of this.all)
          if (!conn.actor.isBot && conn.actor.userId !== except && this.deliver(conn, data, ephemeral)) written++;
      } else {
        for (const userId of event.audience.userIds) {
          const set = this.byUser.get(userId);
          if (set) for (const conn of set) if (this.deliver(conn, data, ephemeral)) written++;
        }
      }
    }
    if (event.ackTo !== undefined)
      for (const conn of this.byUser.get(event.ackTo) ?? []) if (conn.socket) this.cork.hurry(conn.socket);
    // Plain counts read at scrape time: nothing else on the fan-out path.
    if (event.frame.type === 'message') {
      this.messagesPublished++;
      this.messageDeliveries += written;
    }
  }

  /** `conn` hears these users' presence from now on (see PresenceWatchers). */
  watch(conn: Connection, userIds: Iterable<number>): void {
    this.watchers.watch(conn, userIds);
  }

  /**
   * A presence frame to the connections watching its users, each with only its watched entries.
   * Each entry is serialised once; connections hearing the same entries share one framed buffer.
   */
  private publishToWatchers(frame: ServerFrame, ephemeral: boolean): number {
    const updates = frame.type === 'presence.batch' ? frame.updates : frame.type === 'presence' ? [frame] : [];
    const entries = updates.map((u, index) => ({
      userId: u.userId,
      status: u.status,
      lastSeen: u.lastSeen,
      index,
      json: JSON.stringify({ userId: u.userId, status: u.status, lastSeen: u.lastSeen }),
    }));
    const framed = new Map<string, OutgoingFrame>();
    let written = 0;
    for (const [conn, mine] of this.watchers.split(entries)) {
      const key = mine.length === entries.length ? '*' : mine.map((e) => e.index).join(',');
      let data = framed.get(key);
      if (!data) {
        const json =
          mine.length === 1
            ? `{"type":"presence",${mine[0]!.json.slice(1)}`
            : `{"type":"presence.batch","updates":[${mine.map((e) => e.json).join(',')}]}`;
        framed.set(key, (data = OutgoingFrame.ofJson(json)));
      }
      if (this.deliver(conn, data, ephemeral)) written++;
    }
    return written;
  }

  /**
   * Sends one serialised frame, shedding ephemeral frames first and cutting off hopeless consumers.
   * Whether it was written to the socket.
   */
  deliver(conn: Connection, data: OutgoingFrame, ephemeral = false): boolean {
    if (!conn.ready || conn.ws.readyState !== conn.ws.OPEN) return false;
    const buffered = conn.ws.bufferedAmount;
    if (buffered > this.hardBufferBytes) {
      this.slowConsumersCut++;
      this.log.warn({ conn: conn.id, userId: conn.actor.userId, buffered }, 'slow consumer cut off');
      conn.ws.close(CloseCode.SlowConsumer, 'slow consumer: reconnect and catch up');
      // A peer that does not read will not read a close frame either.
      setTimeout(() => conn.ws.terminate(), 1000).unref();
      conn.ready = false;
      return false;
    }
    if (ephemeral && buffered > this.softBufferBytes) {
      this.droppedEphemeral++;
      return false;
    }
    if (conn.socket) this.cork.write(conn.socket, data.wire);
    else conn.ws.send(data.payload, { binary: false });
    return true;
  }

  disconnect(target: { userId: number } | { sessionId: number }, code: number, reason: string): void {
    const victims: Connection[] = [];
    if ('userId' in target) victims.push(...(this.byUser.get(target.userId) ?? []));
    else for (const conn of this.all) if (conn.actor.sessionId === target.sessionId) victims.push(conn);
    for (const conn of victims) {
      conn.ready = false;
      conn.ws.close(code, reason);
      setTimeout(() => conn.ws.terminate(), 1000).unref();
    }
  }

  /** Closes every socket with "going away" (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const conn of this.all) {
      conn.ready = false;
      conn.ws.close(code, reason);
    }
  }
}
