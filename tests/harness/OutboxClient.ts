import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { Message } from '../../common/protocol/model.ts';
import type { LateLive } from './checkInvariants.ts';
import { subprotocolFor, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';

/**
 * How long a reply may take before the request counts as lost (`timeout`). A loaded machine with a
 * backlog answers late, not never: 10 s was passed in the disk-full scenario at load 16, and the
 * late replies then showed up as unsolicited.
 */
const replyDeadlineMs = 30_000;

/** Send errors after which the message stays in the outbox and is sent again later. */
const retryable = new Set(['rate_limited', 'storage_full', 'unavailable', 'internal', 'closed', 'timeout']);

/** One message waiting for its acknowledgement. */
interface OutboxEntry {
  conversationId: number;
  clientId: string;
  text: string;
  attempts: number;
  lastAttempt: number;
  /** Attempts still waiting for their reply. */
  inFlight: number;
  /** Not before this time (rate_limited → retryAfterMs). */
  notBefore: number;
}

/** Options of an {@link OutboxClient}. */
export interface OutboxClientOptions {
  /** The WebSocket URL to (re)connect to; a function, because a restarted hub or a proxy may move. */
  url: () => string;
  token: string;
  userId: number;
  /** Resend an unacknowledged message after this long on the same connection. */
  resendMs?: number;
  /**
   * While an attempt still waits for its reply, resend only after this long (default 5 s): its
   * reply may have been lost. Resending every `resendMs` regardless piled copies onto a loaded hub
   * whose replies took longer than that, which slowed it further (23,000 storage_full replies and
   * connections cut in the disk-full scenario at load 20).
   */
  lostReplyMs?: number;
  /** Client-side ping; a connection that misses a pong is dropped and reconnected. */
  pingMs?: number;
  /**
   * How long a ping may go unanswered before the connection counts as dead (default 10 s). Not
   * the next ping: a loaded machine answers pongs late, and the old half-second deadline cut
   * healthy connections (64 times in one crash-harness run at load 20, failing a catch-up).
   */
  deadAfterMs?: number;
}

type Reply =
  | { type: 'result'; id: string; result: Record<string, unknown> }
  | {
      type: 'error';
      id: string | null;
      code: string;
      message: string;
      retryAfterMs?: number;
    };

/**
 * A protocol client for the fault harness, built like a real one: every message goes into an
 * outbox and stays there until the hub acknowledges it, and is resent with the SAME clientId
 * after a lost reply, a reconnect or a hub restart; after every reconnect it catches up with
 * `sync` from the highest seq it has. It logs everything it received, so the invariants can be
 * checked against the database afterwards.
 */
export class OutboxClient {
  readonly outbox = new Map<string, OutboxEntry>();
  /** Acknowledged messages by clientId, as the hub returned them. */
  readonly acked = new Map<string, Message>();
  /** Sends refused for good (bad_request, forbidden, …), by code. */
  readonly rejected = new Map<string, string>();
  /** Every message this client has, by seq (live or sync). */
  readonly received = new Map<number, Message>();
  /** The seq the client's view starts after (hello.lastSeq of its first connection). */
  startSeq = -1;
  lastSeq = 0;
  /** Live messages below one already received live (checkInvariants decides which are disorder). */
  readonly lateLive: LateLive[] = [];
  /** Client ids sent more than once. */
  readonly resent = new Set<string>();
  /** Ordering and protocol violations seen (should stay empty). */
  readonly violations: string[] = [];
  readonly errors: Record<string, number> = {};
  readonly closes: Record<string, number> = {};
  connects = 0;
  resends = 0;
  /** Set after a 401 or a terminal close code: the client stops reconnecting. */
  terminal: string | undefined;

  private ws: WebSocket | undefined;
  private ready = false;
  private stopped = false;
  private nextReq = 1;
  private readonly pending = new Map<string, (reply: Reply) => void>();
  /** Per connection: the last live seq per conversation (order check). */
  private liveOrder = new Map<number, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private awaitingPong = false;
  private lastPing = 0;
  private backoff = 50;
  private syncing: Promise<void> | undefined;
  /** The newest live seq seen while a catch-up was running (applied once it completes). */
  private liveDuringSync = 0;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly options: OutboxClientOptions) {}

  get userId(): number {
    return this.options.userId;
  }

  get connected(): boolean {
    return this.ready;
  }

  /** Starts connecting (and reconnecting until stopped); resolves at the first hello. */
  start(): Promise<void> {
    this.stopped = false;
    this.connect();
    this.timer = setInterval(() => this.tick(), 100);
    return this.whenReady();
  }

  /** Resolves when the client is connected and caught up. */
  whenReady(): Promise<void> {
    if (this.ready && !this.syncing) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Queues a message; returns its clientId. */
  send(conversationId: number, text: string): string {
    const clientId = `h${randomBytes(9).toString('base64url')}`;
    const entry: OutboxEntry = {
      conversationId,
      clientId,
      text,
      attempts: 0,
      lastAttempt: 0,
      inFlight: 0,
      notBefore: 0,
    };
    this.outbox.set(clientId, entry);
    if (this.ready && !this.syncing) this.attempt(entry);
    return clientId;
  }

  /** Sends any request (not through the outbox); rejects when the connection drops. */
  async request<T>(type: string, params: Record<string, unknown> = {}, timeoutMs = replyDeadlineMs): Promise<T> {
    const reply = await this.raw(type, params, timeoutMs);
    if (reply.type === 'error') throw Object.assign(new Error(`${reply.code}: ${reply.message}`), { code: reply.code });
    return reply.result as T;
  }

  /** Waits until the outbox is empty (everything acknowledged or refused for good). */
  async drain(timeoutMs = 20_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.outbox.size > 0 && Date.now() < end) await sleep(50);
    return this.outbox.size === 0;
  }

  /** Syncs until the hub says there is nothing more. */
  async catchUp(): Promise<void> {
    await this.whenReady();
    const run = this.syncFrom();
    this.syncing = run;
    try {
      await run;
    } finally {
      if (this.syncing === run) this.syncing = undefined;
    }
  }

  /** From now on, every message of the client's conversations must reach it (the setup is over). */
  markStart(): void {
    this.startSeq = this.lastSeq;
  }

  /** Closes the socket without stopping (the client reconnects). */
  dropConnection(): void {
    this.ws?.terminate();
  }

  /** Stops: closes the socket, no more reconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000);
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    }
  }

  private connect(): void {
    if (this.stopped || this.terminal) return;
    const ws = new WebSocket(this.options.url(), [subprotocolFor(1), tokenSubprotocolPrefix + this.options.token], {
      perMessageDeflate: false,
      handshakeTimeout: 3000,
    });
    this.ws = ws;
    this.liveOrder = new Map();
    this.awaitingPong = false;
    ws.on('pong', () => (this.awaitingPong = false));
    ws.on('message', (data) => this.onFrame(JSON.parse(data.toString()) as Record<string, unknown>));
    ws.on('unexpected-response', (_req, res) => {
      if (res.statusCode === 401 || res.statusCode === 403) this.terminal = `HTTP ${res.statusCode}`;
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.closes[code] = (this.closes[code] ?? 0) + 1;
      this.ready = false;
      this.ws = undefined;
      const pending = [...this.pending.entries()];
      this.pending.clear();
      for (const [id, resolve] of pending) resolve({ type: 'error', id, code: 'closed', message: 'connection closed' });
      if (code === 4101 || code === 4103) this.terminal = `close ${code}`;
      if (this.stopped || this.terminal) return;
      const delay = this.backoff + Math.random() * this.backoff;
      this.backoff = Math.min(1000, this.backoff * 2);
      setTimeout(() => this.connect(), delay);
    });
  }

  private onFrame(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case 'hello': {
        const lastSeq = frame.lastSeq as number;
        if (this.startSeq < 0) {
          this.startSeq = lastSeq;
          this.lastSeq = lastSeq;
        }
        this.connects++;
        this.backoff = 50;
        this.ready = true;
        // Catch up first, then resend the outbox: the order a real client uses.
        this.syncing = this.syncFrom()
          .catch(() => undefined)
          .finally(() => {
            this.syncing = undefined;
            if (!this.ready) return;
            for (const entry of this.outbox.values()) this.attempt(entry);
            for (const w of this.readyWaiters.splice(0)) w();
          });
        return;
      }
      case 'message': {
        const m = frame.message as Message;
        const last = this.liveOrder.get(m.conversationId) ?? 0;
        if (m.seq <= last)
          this.lateLive.push({
            seq: m.seq,
            after: last,
            conversationId: m.conversationId,
            senderId: m.senderId,
            clientId: m.clientId,
          });
        this.liveOrder.set(m.conversationId, m.seq);
        // While a catch-up is under way, a live message must not move the catch-up point: if the
        // sync is cut off, the next one has to start before the messages it never returned.
        this.take(m, !this.syncing);
        return;
      }
      case 'result':
      case 'error': {
        const id = frame.id as string | null;
        const resolve = id === null ? undefined : this.pending.get(id);
        if (!resolve) {
          if (frame.type === 'error') this.count(`unsolicited ${String(frame.code)}`);
          return;
        }
        this.pending.delete(id!);
        resolve(frame as Reply);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Records a message the client now has (deduplicated by seq, as a real client does); `advance`
   * moves the cursor, false notes it as live during a sync, 'kept' leaves the cursor alone (acks).
   */
  private take(m: Message, advance: boolean | 'kept' = true): void {
    const had = this.received.get(m.seq);
    if (had && (had.clientId !== m.clientId || had.text !== m.text))
      this.violations.push(`seq ${m.seq} delivered with different content`);
    this.received.set(m.seq, m);
    if (m.seq > this.lastSeq && advance !== 'kept') {
      if (advance) this.lastSeq = m.seq;
      else this.liveDuringSync = Math.max(this.liveDuringSync, m.seq);
    }
  }

  private async syncFrom(): Promise<void> {
    for (;;) {
      const reply = await this.raw('sync', { since: this.lastSeq, limit: 1000 });
      if (reply.type === 'error') throw new Error(reply.code);
      const { messages, more } = reply.result as { messages: Message[]; more: boolean };
      let prev = 0;
      for (const m of messages) {
        if (m.seq <= prev) this.violations.push(`sync page out of order: ${m.seq} after ${prev}`);
        prev = m.seq;
        this.take(m);
      }
      if (!more) {
        // Caught up completely: what came live meanwhile follows on without a gap.
        this.lastSeq = Math.max(this.lastSeq, this.liveDuringSync);
        this.liveDuringSync = 0;
        return;
      }
    }
  }

  private attempt(entry: OutboxEntry): void {
    const now = Date.now();
    if (now < entry.notBefore) return;
    if (entry.attempts > 0) {
      this.resends++;
      this.resent.add(entry.clientId);
    }
    entry.attempts++;
    entry.lastAttempt = now;
    entry.inFlight++;
    void this.raw('send', { conversationId: entry.conversationId, clientId: entry.clientId, text: entry.text }).then(
      (reply) => {
        entry.inFlight--;
        if (reply.type === 'result') {
          const m = (reply.result as { message: Message }).message;
          // Every acknowledgement of one clientId, first or resent, must name the same message.
          const before = this.acked.get(entry.clientId);
          if (before && before.seq !== m.seq)
            this.violations.push(`clientId ${entry.clientId} acknowledged as seq ${before.seq} and ${m.seq}`);
          this.acked.set(entry.clientId, m);
          this.outbox.delete(entry.clientId);
          // Kept, but the cursor does not move (the real client's 'ack' source does not either):
          // with several nodes an ack can come before a lower seq another node committed reaches
          // this node's live stream, and a cursor moved past it would skip it after a reconnect.
          this.take(m, 'kept');
          return;
        }
        if (!this.outbox.has(entry.clientId)) return;
        this.count(reply.code);
        if (retryable.has(reply.code)) {
          if (reply.retryAfterMs) entry.notBefore = Date.now() + reply.retryAfterMs;
          return;
        }
        this.rejected.set(entry.clientId, reply.code);
        this.outbox.delete(entry.clientId);
      },
    );
  }

  private raw(type: string, params: Record<string, unknown>, timeoutMs = replyDeadlineMs): Promise<Reply> {
    const id = (this.nextReq++).toString(36);
    return new Promise<Reply>((resolve) => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        resolve({ type: 'error', id, code: 'closed', message: 'not connected' });
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ type: 'error', id, code: 'timeout', message: 'no reply' });
      }, timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      ws.send(JSON.stringify({ type, id, ...params }));
    });
  }

  private tick(): void {
    const now = Date.now();
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (this.awaitingPong) {
      // A black-holed connection shows as a missing pong: drop it and reconnect.
      if (now - this.lastPing >= (this.options.deadAfterMs ?? 10_000)) {
        ws.terminate();
        return;
      }
    } else if (now - this.lastPing >= (this.options.pingMs ?? 500)) {
      this.lastPing = now;
      this.awaitingPong = true;
      ws.ping();
    }
    if (!this.ready || this.syncing) return;
    const resendMs = this.options.resendMs ?? 1000;
    const lostReplyMs = Math.max(resendMs, this.options.lostReplyMs ?? 5000);
    for (const entry of this.outbox.values()) {
      const wait = entry.inFlight > 0 ? lostReplyMs : resendMs;
      if (now - entry.lastAttempt >= wait && now >= entry.notBefore) this.attempt(entry);
    }
  }

  private count(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
