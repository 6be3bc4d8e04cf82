import WebSocket from 'ws';
import { subprotocolFor, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';

/** A reply that was an error frame. */
export class ReplyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * A raw protocol client for tests: records every frame the hub sends, correlates replies,
 * and waits for events.
 */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  private nextId = 1;
  private readonly waiters: { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      // A presence batch also counts as one `presence` frame per update, so tests can wait for a
      // user's change however the hub grouped it.
      const expanded: ServerFrame[] =
        frame.type === 'presence.batch'
          ? [frame, ...frame.updates.map((u) => ({ type: 'presence' as const, ...u }))]
          : [frame];
      for (const f of expanded) {
        this.frames.push(f);
        for (let i = 0; i < this.waiters.length; i++) {
          const w = this.waiters[i]!;
          if (w.match(f)) {
            this.waiters.splice(i--, 1);
            w.resolve(f);
          }
        }
      }
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a socket with a token and waits for hello. */
  static async open(wsUrl: string, token: string, options: { origin?: string } = {}): Promise<TestSocket> {
    const ws = new WebSocket(wsUrl, [subprotocolFor(1), tokenSubprotocolPrefix + token], {
      headers: options.origin ? { origin: options.origin } : {},
    });
    const socket = new TestSocket(ws);
    const hello = socket.next('hello');
    // A refused upgrade rejects below; its hello wait would then time out later with nobody
    // listening (an unhandled rejection failing the whole run). Awaited below when the socket opens.
    hello.catch(() => {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
      );
    });
    await hello;
    return socket;
  }

  get hello(): Extract<ServerFrame, { type: 'hello' }> {
    return this.frames.find((f) => f.type === 'hello') as Extract<ServerFrame, { type: 'hello' }>;
  }

  /** Sends a request and resolves with its result (rejects with ReplyError on an error frame). */
  async request<T = Record<string, unknown>>(type: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = `r${this.nextId++}`;
    const reply = this.wait((f) => (f.type === 'result' || f.type === 'error') && f.id === id, 30_000);
    this.ws.send(JSON.stringify({ type, id, ...params }));
    const frame = await reply;
    if (frame.type === 'error') throw new ReplyError(frame.code, frame.message, frame.retryAfterMs);
    return (frame as Extract<ServerFrame, { type: 'result' }>).result as T;
  }

  /** Sends raw text (malformed frames). */
  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /**
   * Waits for the next frame of a type (optionally matching) that arrives after this call; for a
   * frame an action causes, {@link nextAfter} starts the wait before the action.
   * The default deadline (like a request's 30 s) is for a frame that never comes, not a speed
   * limit: on a loaded machine an answer takes seconds.
   */
  next<T extends ServerFrame['type']>(
    type: T,
    match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    return this.wait((f) => f.type === type && match(f as Extract<ServerFrame, { type: T }>), timeoutMs) as Promise<
      Extract<ServerFrame, { type: T }>
    >;
  }

  /**
   * Runs `action` and waits for a frame of a type it causes. The wait starts before the action:
   * a frame can arrive before the action's own promise settles (a browser's key press is
   * confirmed after the hub has already relayed the message it sent), and {@link next} only
   * sees frames that arrive after it is called.
   */
  async nextAfter<T extends ServerFrame['type']>(
    action: () => Promise<unknown>,
    type: T,
    match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const frame = this.next(type, match, timeoutMs);
    // Awaited below; a failing action must not leave the wait's rejection unhandled.
    frame.catch(() => {});
    await action();
    return frame;
  }

  /** Frames of one type received so far. */
  all<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f) => f.type === type) as Extract<ServerFrame, { type: T }>[];
  }

  private wait(match: (f: ServerFrame) => boolean, timeoutMs: number): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error('timed out waiting for a frame'));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (f: ServerFrame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.ws.close();
  }
}
