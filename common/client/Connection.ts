import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import { CloseCode, terminalCloseCodes } from '../protocol/errors.ts';
import { parseServerFrame } from '../protocol/serverFrame.ts';
import type { ResultMap, ServerFrame, ServerFrameOf } from '../protocol/serverFrame.ts';
import { subprotocolFor, supportedProtocolVersions, tokenSubprotocolPrefix } from '../protocol/version.ts';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoffDelay.ts';
import { ConnectionError } from './connectionErrors.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';
import type { Timers } from './Timers.ts';
import { cookieSessionToken } from './cookieSession.ts';
import { socketOpen, type CreateSocket, type WebSocketLike } from './WebSocketLike.ts';

/** How the link to the hub stands (the signed-out state is the client's, not the link's). */
export type LinkStatus = 'connecting' | 'connected' | 'offline';

/** What a failed connect attempt turned out to mean, asked of the hub over HTTP. */
export type SessionCheck = 'valid' | 'revoked' | 'disabled' | 'unreachable';

/** Settings and callbacks of a {@link Connection}. */
export interface ConnectionOptions {
  createSocket: CreateSocket;
  timers: Timers;
  random: () => number;
  now: () => number;
  backoff?: BackoffPolicy;
  /** A request (and the wait for hello) without an answer in this time fails, and the socket is dropped. */
  requestTimeoutMs?: number;
  /** After this long without a frame from the hub, {@link ConnectionOptions.probe} checks the socket. */
  idleProbeMs?: number;
  /**
   * A browser cannot see why an upgrade was refused, so after a failed attempt the connection asks
   * (GET /api/v1/me) whether the session still holds.
   */
  checkSession(): Promise<SessionCheck>;
  /** A cheap request that proves the socket is alive (its timeout drops a dead socket). */
  probe?(): Promise<unknown>;
  /**
   * `catchUp`: the previous socket was closed with 4002 ("reconnect and catch up"): the hub asks
   * for a catch-up even when hello's lastSeq says nothing is new (a node that missed events).
   */
  onHello(hello: ServerFrameOf<'hello'>, how: { catchUp: boolean }): void;
  /** Every frame that is not hello or a reply. */
  onEvent(frame: ServerFrame): void;
  onStatus(status: LinkStatus, error: ConnectionError | null): void;
  /** The session is over (revoked or account disabled): the connection has stopped for good. */
  onSignedOut(reason: ConnectionError): void;
}

interface PendingRequest {
  resolve(result: unknown): void;
  reject(error: RequestError): void;
  timer: unknown;
}

/** The ceiling of retry waits for a minute after the hub said it is restarting. */
export const restartCapMs = 4000;
const restartWindowMs = 60_000;

/**
 * One logical connection to a hub: opens the WebSocket with the session token, waits for hello,
 * correlates requests with their one reply (with a timeout), and reconnects with exponential
 * back-off and full jitter until stopped or signed out.
 */
export class Connection {
  private readonly requestTimeoutMs: number;
  private readonly idleProbeMs: number;
  private readonly backoff: BackoffPolicy;
  /**
   * Until when retries use the short restart ceiling: after the hub said it is restarting (1001),
   * the usual doubling up to 30 s left clients waiting 8–16 s after a 1–2 s restart while the hub
   * sat idle (issue 19's storm breakdown); a restart taking longer falls back to the usual back-off.
   */
  private restartUntil = 0;
  private url = '';
  private token = '';
  private running = false;
  private socket: WebSocketLike | null = null;
  /** Bumped for every socket and every stop, so late callbacks of an old one are ignored. */
  private generation = 0;
  private ready = false;
  /** The last socket was closed with 4002: the next hello is told to catch up. */
  private catchUpAsked = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private helloTimer: unknown = null;
  private idleTimer: unknown = null;
  private lastFrameAt = 0;
  private nextId = 0;
  private readonly pending = new Map<string, PendingRequest>();
  private statusNow: LinkStatus = 'offline';
  /** What a refused upgrade said, when the socket implementation tells (Node's `ws` does). */
  private refusalStatus: number | null = null;

  constructor(private readonly options: ConnectionOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.idleProbeMs = options.idleProbeMs ?? 90_000;
    this.backoff = options.backoff ?? defaultBackoff;
  }

  /** The link's status now. */
  get status(): LinkStatus {
    return this.statusNow;
  }

  /** Whether hello has arrived on the current socket (requests can be sent). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Starts connecting to `url` with `token` (replacing any previous connection). */
  start(url: string, token: string): void {
    this.stop();
    this.url = url;
    this.token = token;
    this.running = true;
    this.attempt = 0;
    this.setStatus('connecting', null);
    this.connect();
  }

  /** Closes the connection for good (sign-out, dispose): no reconnect. */
  stop(): void {
    this.running = false;
    this.generation++;
    this.clearTimer('retryTimer');
    this.dropSocket(LocalErrorCode.Disconnected, 'the connection was closed');
  }

  /**
   * The network came back or the machine resumed: skip the back-off and connect now, or, when
   * the socket looks open, check that it still is.
   */
  reconnectNow(): void {
    if (!this.running) return;
    if (this.ready) {
      this.options.probe?.().catch(() => undefined);
      return;
    }
    this.attempt = 0;
    this.clearTimer('retryTimer');
    this.generation++;
    this.dropSocket(LocalErrorCode.Disconnected, 'reconnecting');
    this.connect();
  }

  /** Sends a request and resolves with its result; rejects with a {@link RequestError}. */
  request<T extends RequestType>(
    type: T,
    params: ParamsOf<T>,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<ResultMap[T]> {
    const socket = this.socket;
    if (!this.ready || !socket || socket.readyState !== socketOpen) {
      return Promise.reject(new RequestError(LocalErrorCode.Offline, 'not connected to the hub'));
    }
    const id = `c${++this.nextId}`;
    return new Promise<ResultMap[T]>((resolve, reject) => {
      const timer = this.options.timers.setTimeout(() => {
        if (!this.pending.delete(id)) return;
        reject(new RequestError(LocalErrorCode.Timeout, `no reply to ${type} in ${timeoutMs} ms`));
        // No reply in time: the socket is as good as dead (a half-open TCP connection looks like this).
        if (this.socket === socket) this.lose(ConnectionError.ConnectionLost);
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer });
      try {
        socket.send(JSON.stringify({ ...params, type, id }));
      } catch {
        this.options.timers.clearTimeout(timer);
        this.pending.delete(id);
        reject(new RequestError(LocalErrorCode.Disconnected, 'the connection is closing'));
      }
    });
  }

  private connect(): void {
    if (!this.running) return;
    const generation = ++this.generation;
    this.ready = false;
    this.refusalStatus = null;
    // A session in the web client's cookie: the browser sends the cookie with the upgrade itself.
    const tokenProtocol = this.token === cookieSessionToken ? [] : [tokenSubprotocolPrefix + this.token];
    const protocols = [...supportedProtocolVersions.map(subprotocolFor), ...tokenProtocol];
    let socket: WebSocketLike;
    try {
      socket = this.options.createSocket(this.url, protocols);
    } catch {
      void this.attemptFailed(generation);
      return;
    }
    this.socket = socket;
    const current = () => generation === this.generation && this.socket === socket;
    socket.onopen = () => undefined;
    socket.onerror = (ev) => {
      if (!current()) return;
      const message = (ev as { message?: unknown } | null)?.message;
      const status = typeof message === 'string' ? /Unexpected server response: (\d{3})/.exec(message) : null;
      if (status) this.refusalStatus = Number(status[1]);
    };
    socket.onclose = (ev) => {
      if (current()) this.socketClosed(generation, ev.code);
    };
    socket.onmessage = (ev) => {
      if (current()) this.received(ev.data);
    };
    // Covers a TCP connect that hangs as much as an open socket that never says hello.
    this.helloTimer = this.options.timers.setTimeout(() => {
      this.helloTimer = null;
      if (current() && !this.ready) {
        this.socket = null;
        this.discard(socket);
        void this.attemptFailed(generation);
      }
    }, this.requestTimeoutMs);
  }

  private received(data: unknown): void {
    if (typeof data !== 'string') return;
    this.lastFrameAt = this.options.now();
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      console.warn('beseda: the hub sent a frame that is not JSON');
      return;
    }
    const frame = parseServerFrame(raw);
    if (!frame) {
      const type = typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type) : typeof raw;
      console.warn(`beseda: ignoring an invalid "${type.slice(0, 40)}" frame from the hub`);
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.helloReceived(frame);
        return;
      case 'result':
      case 'error': {
        if (frame.id === null) {
          if (frame.type === 'error') console.warn(`beseda: the hub rejected a frame: ${frame.code}`);
          return;
        }
        const waiting = this.pending.get(frame.id);
        if (!waiting) return;
        this.pending.delete(frame.id);
        this.options.timers.clearTimeout(waiting.timer);
        if (frame.type === 'result') waiting.resolve(frame.result);
        else waiting.reject(new RequestError(frame.code, frame.message, frame.retryAfterMs));
        return;
      }
      default:
        if (this.ready) this.options.onEvent(frame);
    }
  }

  private helloReceived(hello: ServerFrameOf<'hello'>): void {
    if (this.ready) return;
    if (!supportedProtocolVersions.includes(hello.protocol)) {
      console.warn(`beseda: the hub chose protocol ${hello.protocol}, which this client does not speak`);
    }
    this.clearTimer('helloTimer');
    this.ready = true;
    this.attempt = 0;
    this.restartUntil = 0;
    this.scheduleIdleCheck();
    this.setStatus('connected', null);
    const catchUp = this.catchUpAsked;
    this.catchUpAsked = false;
    this.options.onHello(hello, { catchUp });
  }

  private socketClosed(generation: number, code: number): void {
    const wasReady = this.ready;
    this.detach(this.socket);
    this.socket = null;
    this.ready = false;
    this.clearTimer('helloTimer');
    this.clearTimer('idleTimer');
    this.rejectAll(LocalErrorCode.Disconnected, 'the connection closed');
    if (terminalCloseCodes.includes(code)) {
      this.signedOut(
        code === CloseCode.AccountDisabled ? ConnectionError.AccountDisabled : ConnectionError.SessionRevoked,
      );
      return;
    }
    if (!wasReady) {
      void this.attemptFailed(generation);
      return;
    }
    if (code === CloseCode.SlowConsumer) this.catchUpAsked = true;
    // Flooding: come back after a pause rather than at once.
    if (code === CloseCode.Flood) this.attempt = Math.max(this.attempt, 4);
    if (code === CloseCode.GoingAway) this.restartUntil = this.options.now() + restartWindowMs;
    this.setStatus(
      'connecting',
      code === CloseCode.GoingAway ? ConnectionError.HubRestarting : ConnectionError.ConnectionLost,
    );
    this.scheduleRetry();
  }

  /** Drops the current socket as dead and reconnects. */
  private lose(error: ConnectionError): void {
    if (!this.running) return;
    this.generation++;
    this.dropSocket(LocalErrorCode.Disconnected, 'the connection was lost');
    this.setStatus('connecting', error);
    this.scheduleRetry();
  }

  private async attemptFailed(generation: number): Promise<void> {
    if (!this.running || generation !== this.generation) return;
    const refusal = this.refusalStatus;
    let check: SessionCheck;
    try {
      check = await this.options.checkSession();
    } catch {
      check = 'unreachable';
    }
    if (!this.running || generation !== this.generation) return;
    if (check === 'revoked' || check === 'disabled') {
      this.signedOut(check === 'disabled' ? ConnectionError.AccountDisabled : ConnectionError.SessionRevoked);
      return;
    }
    const error =
      check === 'valid' || (refusal !== null && refusal !== 503)
        ? ConnectionError.Refused
        : ConnectionError.Unreachable;
    this.setStatus('offline', error);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    this.clearTimer('retryTimer');
    const policy =
      this.options.now() < this.restartUntil
        ? { ...this.backoff, capMs: Math.min(this.backoff.capMs, restartCapMs) }
        : this.backoff;
    const delay = backoffDelay(this.attempt, this.options.random, policy);
    this.attempt++;
    const generation = this.generation;
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.running && generation === this.generation) this.connect();
    }, delay);
  }

  private scheduleIdleCheck(): void {
    this.clearTimer('idleTimer');
    const probe = this.options.probe;
    if (!probe) return;
    const check = () => {
      this.idleTimer = null;
      if (!this.ready) return;
      const quietFor = this.options.now() - this.lastFrameAt;
      if (quietFor >= this.idleProbeMs) {
        probe().catch(() => undefined);
        this.idleTimer = this.options.timers.setTimeout(check, this.idleProbeMs);
      } else {
        this.idleTimer = this.options.timers.setTimeout(check, this.idleProbeMs - quietFor);
      }
    };
    this.idleTimer = this.options.timers.setTimeout(check, this.idleProbeMs);
  }

  private signedOut(reason: ConnectionError): void {
    this.running = false;
    this.generation++;
    this.clearTimer('retryTimer');
    this.dropSocket(LocalErrorCode.SignedOut, 'signed out');
    this.options.onSignedOut(reason);
  }

  private dropSocket(code: string, message: string): void {
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    this.clearTimer('helloTimer');
    this.clearTimer('idleTimer');
    if (socket) this.discard(socket);
    this.rejectAll(code, message);
  }

  /** Stops listening to a socket and closes it. */
  private discard(socket: WebSocketLike): void {
    this.detach(socket);
    try {
      socket.close(1000, 'client closed');
    } catch {
      // already closed
    }
  }

  /**
   * Stops listening to a socket. The handlers become no-ops rather than null: Node's `ws` throws
   * an error event that has no listener (closing a socket that is still connecting emits one).
   */
  private detach(socket: WebSocketLike | null): void {
    if (!socket) return;
    const ignore = () => undefined;
    socket.onopen = ignore;
    socket.onmessage = ignore;
    socket.onerror = ignore;
    socket.onclose = ignore;
  }

  private rejectAll(code: string, message: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const request of waiting) {
      this.options.timers.clearTimeout(request.timer);
      request.reject(new RequestError(code, message));
    }
  }

  private setStatus(status: LinkStatus, error: ConnectionError | null): void {
    this.statusNow = status;
    this.options.onStatus(status, error);
  }

  private clearTimer(name: 'retryTimer' | 'helloTimer' | 'idleTimer'): void {
    if (this[name] !== null) {
      this.options.timers.clearTimeout(this[name]);
      this[name] = null;
    }
  }
}
