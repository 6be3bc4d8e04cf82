import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { EventSink, HubEvent } from '../ops/HubEvent.ts';
import { type BusBody, type DisconnectTarget, decodeEnvelope, encodeEnvelope, seqOf } from './busEnvelope.ts';

/**
 * Events this node's clients may have missed. The hub answers it by making them catch up
 * (docs/architecture.md, "Several nodes": close with 4002, and a catch-up from `floorSeq`).
 */
export interface GapSignal {
  /**
   * `reconnected`: this node's subscription was lost (Redis down or unreachable) and is back, so
   * any other node's events in between never arrived. `lost`: another node's counter jumped, so
   * some of its publishes never arrived (it could not publish, or Redis dropped them).
   */
  kind: 'reconnected' | 'lost';
  /** The other node (`lost`). */
  node?: string;
  /** How many of its publishes are missing (`lost`). */
  missed?: number;
  /**
   * The highest message-sequence position this node had delivered locally when the gap began:
   * whatever was missed comes after it, so a catch-up from here recovers it.
   */
  floorSeq: number;
}

/** Since start, for /healthz and /metrics. */
export interface BusCounts {
  /** Envelopes Redis accepted from this node. */
  published: number;
  /** Envelopes not published because Redis was unreachable (local delivery went on). */
  dropped: number;
  /** Other nodes' events and disconnects handed to the local sink. */
  received: number;
  /** Gap signals raised. */
  gaps: number;
  /** Envelopes refused as malformed, or seen twice. */
  refused: number;
}

/** How a {@link RedisEventBus} is set up. */
export interface RedisEventBusOptions {
  /** `redis://host:port[/db]` (ioredis's URL form; `rediss://` for TLS). */
  url: string;
  /** This node's name in logs and envelopes (a process restarted under it is still told apart). */
  nodeId: string;
  /** This node's own fan-out (the ConnectionRegistry). */
  local: EventSink;
  log: Logger;
  /** Called when this node's clients may have missed events; must not throw (it is caught and logged). */
  onGap: (gap: GapSignal) => void;
  /** The one channel every node of a hub publishes on. */
  channel?: string;
  /** How often this node says how far it has published (lost envelopes show within about this). */
  beatMs?: number;
}

interface Origin {
  node: string;
  last: number;
  /** This node's highest delivered sequence position when `last` arrived. */
  floorSeq: number;
  heardAt: number;
}

/**
 * An {@link EventSink} for one of several hub nodes: every event and disconnect goes to this node's
 * own sink at once and, as JSON on one Redis channel, to every other node, whose bus hands it to
 * theirs. Redis is a relay, never a dependency of local delivery: while it is unreachable the
 * node's own clients are served as before, publishes are dropped (and counted), and the gap is
 * signalled once the subscription is back; a receiver also signals a gap when another node's
 * counter jumps. Redis keeps the order of one connection's publishes, so each node's events reach
 * every other node in the order it published them, exactly once (a repeat is refused by its counter).
 */
export class RedisEventBus implements EventSink {
  readonly counts: BusCounts = { published: 0, dropped: 0, received: 0, gaps: 0, refused: 0 };
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly inst = randomBytes(8).toString('hex');
  private readonly origins = new Map<string, Origin>();
  private readonly beatTimer: ReturnType<typeof setInterval>;
  /** This instance's publish attempts (the envelopes' `n`). */
  private counter = 0;
  /** The highest message-sequence position delivered to the local sink. */
  private maxSeq = 0;
  private subscribed = false;
  /** The subscription was lost (or never made on the first try) since it was last made. */
  private missedSince: number | null = null;
  private pubDown = false;
  private closed = false;
  private firstSubscription: Promise<void>;
  private resolveFirst!: () => void;

  constructor(private readonly options: RedisEventBusOptions) {
    this.channel = options.channel ?? 'beseda:events';
    this.firstSubscription = new Promise((resolve) => (this.resolveFirst = resolve));
    const connection: RedisOptions = {
      // A publish while Redis is away is dropped at once, never queued to arrive late and out of
      // order, and never resent after a reconnect: the counter tells receivers what is missing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // The bus subscribes itself on every `ready`, so it knows when the subscription is back.
      autoResubscribe: false,
      connectTimeout: 5000,
      // Forever, at most a second apart: a restarted Redis is found again within about a second.
      retryStrategy: (times) => Math.min(times * 100, 1000),
    };
    this.pub = new Redis(options.url, { ...connection, connectionName: `beseda-pub-${options.nodeId}` });
    this.sub = new Redis(options.url, { ...connection, connectionName: `beseda-sub-${options.nodeId}` });
    this.watchPublisher();
    this.watchSubscriber();
    const beatMs = options.beatMs ?? 2000;
    this.beatTimer = setInterval(() => this.beat(beatMs), beatMs);
    this.beatTimer.unref();
  }

  /** Resolves once the node hears the other nodes (the first subscription is made). */
  ready(): Promise<void> {
    return this.firstSubscription;
  }

  /** Whether events travel both ways now. */
  get connected(): boolean {
    return this.subscribed && this.pub.status === 'ready';
  }

  publish(event: HubEvent): void {
    this.local.publish(event);
    this.noteSeq(event);
    this.send({ kind: 'event', event });
  }

  disconnect(target: DisconnectTarget, code: number, reason: string): void {
    this.local.disconnect(target, code, reason);
    this.send({ kind: 'disconnect', target, code, reason });
  }

  /** Stops relaying; pending publishes are flushed when Redis is reachable. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.beatTimer);
    await Promise.all([this.pub, this.sub].map((c) => closeConnection(c)));
  }

  private get local(): EventSink {
    return this.options.local;
  }

  private noteSeq(event: HubEvent): void {
    const seq = seqOf(event);
    if (seq > this.maxSeq) this.maxSeq = seq;
  }

  private send(body: BusBody): void {
    if (this.closed) return;
    const n = ++this.counter;
    if (this.pub.status !== 'ready') {
      this.counts.dropped++;
      return;
    }
    const text = encodeEnvelope({ node: this.options.nodeId, inst: this.inst, n }, body);
    this.pub.publish(this.channel, text).then(
      () => this.counts.published++,
      () => this.counts.dropped++,
    );
  }

  /** Tells the others how far this instance has published (no counter step of its own). */
  private beat(beatMs: number): void {
    const now = Date.now();
    // Instances unheard of for a while are gone (restarted or stopped): forget their counters.
    for (const [inst, o] of this.origins) if (now - o.heardAt > beatMs * 10) this.origins.delete(inst);
    if (this.closed || this.pub.status !== 'ready') return;
    const text = encodeEnvelope({ node: this.options.nodeId, inst: this.inst, n: this.counter }, { kind: 'beat' });
    this.pub.publish(this.channel, text).catch(() => undefined);
  }

  private receive(text: string): void {
    if (this.closed) return;
    const envelope = decodeEnvelope(text);
    if ('error' in envelope) {
      this.counts.refused++;
      this.options.log.warn({ error: envelope.error, channel: this.channel }, 'event bus: envelope refused');
      return;
    }
    if (envelope.inst === this.inst) return; // our own, delivered locally when published
    const origin = this.inOrder(envelope);
    if (!origin) return;
    if (envelope.kind === 'disconnect') {
      this.counts.received++;
      this.local.disconnect(envelope.target, envelope.code, envelope.reason);
    } else if (envelope.kind === 'event') {
      this.counts.received++;
      this.local.publish(envelope.event);
      this.noteSeq(envelope.event);
    }
    // Whatever of this origin's is lost from now on comes after what was just delivered.
    origin.floorSeq = this.maxSeq;
  }

  /** Checks the origin's counter: signals a jump, refuses a repeat; the origin, or null to drop it. */
  private inOrder(e: { node: string; inst: string; n: number; kind: BusBody['kind'] }): Origin | null {
    const now = Date.now();
    let origin = this.origins.get(e.inst);
    if (!origin) {
      // First word from this instance since we subscribed: where it stands is where we start.
      origin = { node: e.node, last: e.n, floorSeq: this.maxSeq, heardAt: now };
      this.origins.set(e.inst, origin);
      return origin;
    }
    origin.heardAt = now;
    // A beat repeats the last counter; an event or disconnect must be the next one.
    const expected = e.kind === 'beat' ? origin.last : origin.last + 1;
    if (e.n < expected) {
      this.counts.refused++;
      return null;
    }
    if (e.n > expected) this.signal({ kind: 'lost', node: e.node, missed: e.n - expected, floorSeq: origin.floorSeq });
    origin.last = e.n;
    return origin;
  }

  private signal(gap: GapSignal): void {
    this.counts.gaps++;
    this.options.log.warn({ gap, node: this.options.nodeId }, 'event bus: events may have been missed');
    try {
      this.options.onGap(gap);
    } catch (err) {
      this.options.log.error({ err }, 'event bus: the gap handler failed');
    }
  }

  private watchPublisher(): void {
    this.pub.on('error', (err: Error) => {
      if (this.pubDown) return;
      this.pubDown = true;
      this.options.log.warn({ err: err.message, node: this.options.nodeId }, 'event bus: cannot publish to Redis');
    });
    this.pub.on('ready', () => {
      if (this.pubDown) this.options.log.info({ node: this.options.nodeId }, 'event bus: publishing to Redis again');
      this.pubDown = false;
    });
  }

  private watchSubscriber(): void {
    // Errors come once per failed reconnect attempt: logged once per outage (the listener also
    // keeps ioredis from reporting them as unhandled).
    let quiet = false;
    this.sub.on('error', (err: Error) => {
      if (quiet) return;
      quiet = true;
      this.options.log.warn({ err: err.message, node: this.options.nodeId }, 'event bus: Redis unreachable');
    });
    this.sub.on('close', () => {
      // Other nodes' events from now on are missed: remember where this node's clients were.
      this.missedSince ??= this.maxSeq;
      this.subscribed = false;
    });
    this.sub.on('message', (_channel: string, text: string) => this.receive(text));
    this.sub.on('ready', () => {
      this.sub.subscribe(this.channel).then(
        () => {
          if (this.closed) return;
          quiet = false;
          this.subscribed = true;
          // Counters start afresh: what went missing meanwhile is this one gap, not one per node.
          this.origins.clear();
          const floorSeq = this.missedSince;
          this.missedSince = null;
          this.resolveFirst();
          if (floorSeq !== null) {
            this.options.log.info({ node: this.options.nodeId }, 'event bus: subscribed to Redis again');
            this.signal({ kind: 'reconnected', floorSeq });
          }
        },
        // The connection dropped before the reply: the next `ready` subscribes again.
        () => undefined,
      );
    });
  }
}

async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
