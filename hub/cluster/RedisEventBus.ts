import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { EventSink, HubEvent } from '../ops/HubEvent.ts';
import type { GapSignal } from './GapSignal.ts';
import {
  type BusBody,
  type BusEnvelope,
  type DisconnectTarget,
  countsInK,
  decodeEnvelope,
  encodeEnvelope,
  seqOf,
} from './busEnvelope.ts';

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
  /**
   * A gap's `floorSeq` is what was delivered this long before the gap began (0: at that moment).
   * Publishes in flight when it began may carry lower seqs than what was delivered just before (a
   * message committed on another node is published after its commit, while later ones committed
   * here are delivered at once): a few seconds back costs only some duplicates in the catch-up.
   */
  floorLagMs?: number;
}

interface Origin {
  node: string;
  last: number;
  lastK: number;
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
  /** This instance's publish attempts (the envelopes' `n`), and those of non-ephemeral bodies (`k`). */
  private counter = 0;
  private counterK = 0;
  private readonly beatMs: number;
  /**
   * After a resubscription: the gap is signalled once every node known before has been heard from
   * (or a beat and a half passed), so what they could not publish meanwhile joins this one signal.
   */
  private settling: {
    floorSeq: number;
    pending: Set<string>;
    timer: ReturnType<typeof setTimeout>;
    /** Everyone was heard (or the wait is over) before the subscription was confirmed. */
    due: boolean;
  } | null = null;
  /** The highest message-sequence position delivered to the local sink. */
  private maxSeq = 0;
  /** `maxSeq` at each beat, oldest first, for {@link RedisEventBus.floorNow}. */
  private readonly seqSamples: { at: number; seq: number }[] = [{ at: Date.now(), seq: 0 }];
  private subscribed = false;
  /** The subscription was lost (or never made on the first try) since it was last made. */
  private missedSince: number | null = null;
  /** When the subscription was lost (the outage behind `missedSince` began). */
  private lostAt = 0;
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
    const beatMs = (this.beatMs = options.beatMs ?? 2000);
    this.beatTimer = setInterval(() => this.beat(), beatMs);
    this.beatTimer.unref();
  }

  /** Resolves once the node hears the other nodes (the first subscription is made). */
  ready(): Promise<void> {
    return this.firstSubscription;
  }

  /** Whether events travel both ways now. */
  /**
   * The subscription was lost and the gap it causes is not signalled yet (down, or settling): the
   * catch-up that gap brings is still to come.
   */
  get awaitingGap(): boolean {
    return !this.subscribed || this.missedSince !== null || this.settling !== null;
  }

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
    if (this.settling) clearTimeout(this.settling.timer);
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
    this.counter++;
    if (countsInK(body)) this.counterK++;
    if (this.pub.status !== 'ready') {
      this.counts.dropped++;
      return;
    }
    const text = encodeEnvelope(this.header(), body);
    this.pub.publish(this.channel, text).then(
      () => this.counts.published++,
      () => this.counts.dropped++,
    );
  }

  private header(): { node: string; inst: string; n: number; k: number } {
    return { node: this.options.nodeId, inst: this.inst, n: this.counter, k: this.counterK };
  }

  /** Tells the others how far this instance has published (no counter step of its own). */
  private beat(): void {
    const now = Date.now();
    this.seqSamples.push({ at: now, seq: this.maxSeq });
    // Kept a little past the lag: the newest sample at least the lag old must stay.
    const keepFrom = now - (this.options.floorLagMs ?? 5000) - 3 * this.beatMs;
    while (this.seqSamples.length > 1 && this.seqSamples[1]!.at <= keepFrom) this.seqSamples.shift();
    // Instances unheard of for a while are gone (restarted or stopped): forget their counters
    // (not while this node hears nobody: it must notice what they missed once it hears again).
    if (this.subscribed)
      for (const [inst, o] of this.origins) if (now - o.heardAt > this.beatMs * 10) this.origins.delete(inst);
    if (this.closed || this.pub.status !== 'ready') return;
    this.pub.publish(this.channel, encodeEnvelope(this.header(), { kind: 'beat' })).catch(() => undefined);
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
    origin.floorSeq = this.floorNow();
  }

  /** Where this node's clients stood a lag ago: what a catch-up after a gap beginning now starts from. */
  private floorNow(): number {
    const lag = this.options.floorLagMs ?? 5000;
    if (lag <= 0) return this.maxSeq;
    const before = Date.now() - lag;
    let floor = this.seqSamples[0]!.seq;
    for (const sample of this.seqSamples) if (sample.at <= before) floor = sample.seq;
    return Math.min(floor, this.maxSeq);
  }

  /** Checks the origin's counter: signals a jump, refuses a repeat; the origin, or null to drop it. */
  private inOrder(e: BusEnvelope): Origin | null {
    const now = Date.now();
    let origin = this.origins.get(e.inst);
    if (!origin) {
      // First word from this instance: where it stands is where we start.
      origin = { node: e.node, last: e.n, lastK: e.k, floorSeq: this.floorNow(), heardAt: now };
      this.origins.set(e.inst, origin);
      this.heardAfterGap(e.inst);
      return origin;
    }
    origin.heardAt = now;
    // A beat repeats the last counter; an event or disconnect must be the next one.
    const expected = e.kind === 'beat' ? origin.last : origin.last + 1;
    if (e.n < expected) {
      this.counts.refused++;
      return null;
    }
    if (e.n > expected) {
      const missedK = e.k - origin.lastK - (countsInK(e) ? 1 : 0);
      const gap: GapSignal = {
        kind: 'lost',
        node: e.node,
        missed: e.n - expected,
        onlyEphemeral: missedK <= 0,
        floorSeq: origin.floorSeq,
      };
      if (this.settling) this.settling.floorSeq = Math.min(this.settling.floorSeq, gap.floorSeq);
      else this.signal(gap);
    }
    origin.last = e.n;
    origin.lastK = e.k;
    this.heardAfterGap(e.inst);
    return origin;
  }

  /**
   * Subscribing again: the gap waits to take in what the other nodes could not publish meanwhile.
   * Started before the SUBSCRIBE is sent, as messages may be handed over before its reply resolves.
   */
  private settle(floorSeq: number): void {
    // Instances already silent for two beats when the subscription was lost are gone (a node killed
    // or stopped just before): waiting for them would only hold the signal back a beat and a half.
    const alive = [...this.origins].filter(([, o]) => o.heardAt >= this.lostAt - 2 * this.beatMs);
    const pending = new Set(alive.map(([inst]) => inst));
    const now = Date.now();
    for (const o of this.origins.values()) o.heardAt = now;
    if (this.settling) clearTimeout(this.settling.timer);
    const timer = setTimeout(() => this.settled(), this.beatMs * 1.5);
    timer.unref();
    this.settling = { floorSeq, pending, timer, due: pending.size === 0 };
  }

  private heardAfterGap(inst: string): void {
    if (!this.settling) return;
    this.settling.pending.delete(inst);
    if (this.settling.pending.size === 0) this.settled();
  }

  private settled(): void {
    const settling = this.settling;
    if (!settling || this.closed) return;
    if (!this.subscribed) {
      settling.due = true;
      return;
    }
    clearTimeout(settling.timer);
    this.settling = null;
    this.signal({ kind: 'reconnected', floorSeq: settling.floorSeq });
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
      // At once: the others learn what this node could not publish without waiting for a beat.
      this.beat();
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
      // Other nodes' events from now on are missed: remember where this node's clients were
      // (or were when an earlier gap, not yet signalled, began).
      const now = this.floorNow();
      const floor = Math.min(this.missedSince ?? now, this.settling?.floorSeq ?? now);
      if (this.missedSince === null) this.lostAt = Date.now();
      this.missedSince = floor;
      if (this.settling) clearTimeout(this.settling.timer);
      this.settling = null;
      this.subscribed = false;
    });
    this.sub.on('message', (_channel: string, text: string) => this.receive(text));
    this.sub.on('ready', () => {
      if (this.missedSince !== null) this.settle(this.missedSince);
      this.sub.subscribe(this.channel).then(
        () => {
          if (this.closed) return;
          quiet = false;
          this.subscribed = true;
          this.missedSince = null;
          this.resolveFirst();
          if (this.settling) {
            this.options.log.info({ node: this.options.nodeId }, 'event bus: subscribed to Redis again');
            if (this.settling.due || this.settling.pending.size === 0) this.settled();
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
