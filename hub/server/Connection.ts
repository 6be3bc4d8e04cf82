import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Actor } from '../ops/Hub.ts';
import { TokenBucket } from '../ops/TokenBucket.ts';

/** One authenticated WebSocket of one session. */
export class Connection {
  /** Set when a ping went out; cleared by the pong. A socket still waiting at the next ping is dead. */
  awaitingPong = false;
  /** Consecutive malformed frames; too many closes the socket. */
  strikes = 0;
  /** Frames refused for rate in the current flood window, and when that window began. */
  floodStrikes = 0;
  floodWindowStart = 0;
  /** hello has been sent; frames published before it are not delivered twice. */
  ready = false;
  readonly frames: TokenBucket;
  /**
   * The socket under `ws`, for fan-out frames framed once for all recipients (OutgoingFrame) and
   * written straight to it. Undefined when an extension was negotiated (ws would transform its
   * own frames, and could queue them while it does): those connections go through `ws.send`.
   */
  readonly socket: Writable | undefined;

  constructor(
    readonly id: string,
    readonly actor: Actor,
    readonly ws: WebSocket,
    readonly remote: string,
    framesPerSecond: number,
    framesBurst: number,
  ) {
    this.frames = new TokenBucket(framesPerSecond, framesBurst, Date.now());
    // ws keeps the socket in `_socket` (its own bufferedAmount reads it); with no extension its
    // Sender writes every frame straight through, so our writes and its replies share one order.
    const raw = (ws as unknown as { _socket?: Writable })._socket;
    this.socket = raw && typeof raw.cork === 'function' && !ws.extensions ? raw : undefined;
  }
}
