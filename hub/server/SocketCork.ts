import type { Writable } from 'node:stream';

/**
 * Sockets uncorked per flush; the rest wait for the next turn (setImmediate). Uncorking is where
 * the system call happens (one writev per socket), so a fan-out to thousands of sockets is spread
 * over several turns of about this many writevs each; between them the loop reads new frames and
 * the next group commit acknowledges its sends, instead of waiting for the whole fan-out.
 */
const socketsPerTurn = 256;

/**
 * Batches each socket's frames: the first frame for a socket corks it, later frames queue behind
 * it in the socket's own buffer, and one uncork sends them all — one writev for every frame that
 * socket got meanwhile (a group commit's whole batch and the acks it resolved). Order on a socket is
 * the order of its writes (replies written by ws while it is corked queue behind the frames before
 * them), so spreading the uncorks over turns never reorders anything; it only decides when the
 * bytes leave.
 *
 * Each socket is corked once and uncorked once by this class (Node counts nested corks, so ws's
 * own cork/uncork around a reply stays balanced inside ours). A socket destroyed meanwhile is
 * uncorked all the same: that is a no-op on a destroyed stream, and `end()` uncorks fully by
 * itself, so nothing is left corked and nothing is uncorked twice.
 */
export class SocketCork {
  /** Corked sockets waiting for their uncork, oldest first. */
  private readonly corked = new Set<Writable>();
  /** Corked sockets flushed before all others (an acknowledgement is queued in them). */
  private readonly urgent = new Set<Writable>();
  private scheduled = false;

  constructor(private readonly perTurn = socketsPerTurn) {}

  /** Writes one ready frame to `socket`, corking it first if this is its first frame since its flush. */
  write(socket: Writable, frame: Buffer): void {
    if (!this.corked.has(socket) && !this.urgent.has(socket)) {
      socket.cork();
      this.corked.add(socket);
      if (!this.scheduled) {
        this.scheduled = true;
        // The first flush comes as soon as the current callback and every promise callback it set
        // off have run (a tick queued from a microtask waits for the microtask queue to drain): a
        // group commit's whole batch and the acks its resolutions write go out together, without
        // waiting behind the next poll phase as a setImmediate queued during the check phase would.
        queueMicrotask(this.soon);
      }
    }
    socket.write(frame);
  }

  /** Moves a corked socket to the front of the flush order (no-op for one not corked here). */
  hurry(socket: Writable): void {
    if (this.corked.delete(socket)) this.urgent.add(socket);
  }

  private readonly soon = (): void => {
    process.nextTick(this.flush);
  };

  /** Uncorks every hurried socket and up to `perTurn` others, oldest first; the rest wait a turn. */
  private readonly flush = (): void => {
    for (const socket of this.urgent) {
      this.urgent.delete(socket);
      uncork(socket);
    }
    let done = 0;
    for (const socket of this.corked) {
      // Deleted before the uncork: a write during it (none today) would cork and queue it afresh.
      this.corked.delete(socket);
      uncork(socket);
      if (++done >= this.perTurn) break;
    }
    if (this.corked.size > 0) setImmediate(this.flush);
    else this.scheduled = false;
  };
}

/**
 * Uncorks one socket. Stream errors arrive as events, but should one ever throw here, that socket is
 * destroyed rather than the flush stopping halfway and leaving every later socket corked.
 */
function uncork(socket: Writable): void {
  try {
    socket.uncork();
  } catch (err) {
    socket.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}
