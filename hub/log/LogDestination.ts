import { write, writeSync } from 'node:fs';

/** Writes one line to stderr, whatever state stderr is in (a failure there has nowhere to go). */
function toStderr(line: string): void {
  try {
    writeSync(2, line);
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

/**
 * Where the hub's JSON log lines go (a file descriptor: stdout by default). Logging must never
 * stall or stop the hub, nor its shutdown, so:
 * - lines are written asynchronously: a slow reader never blocks the event loop;
 * - at most `maxQueuedBytes` wait; beyond that lines are dropped (a reader that stopped reading);
 * - a destination that fails for good (EPIPE: the reader has gone, `| head`, a dead parent) is
 *   reported once on stderr and every later line is dropped; EAGAIN (a full non-blocking pipe)
 *   is retried a little later, still within the bound.
 * pino's own stdout destination instead retries a broken pipe forever in its exit handler, so a
 * hub whose reader had gone hung on SIGTERM until SIGKILL.
 */
export class LogDestination {
  private queue: string[] = [];
  private queuedBytes = 0;
  /** The bytes handed to the kernel and not yet confirmed written. */
  private current: Buffer | null = null;
  private writing = false;
  private broken = false;
  private dropping = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly fd: number = 1,
    private readonly maxQueuedBytes = 8 * 1024 * 1024,
    private readonly name = fd === 1 ? 'stdout' : `file descriptor ${fd}`,
  ) {}

  /** pino's stream interface: one serialized line. Never throws, never blocks. */
  write(line: string): boolean {
    if (this.broken) return true;
    if (this.queuedBytes + (this.current?.length ?? 0) + line.length > this.maxQueuedBytes) {
      if (!this.dropping) {
        this.dropping = true;
        toStderr(`beseda-hub: the log output (${this.name}) is not being read; log lines are dropped until it is\n`);
      }
      return true;
    }
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (!this.writing) this.pump();
    return true;
  }

  /** Calls back once every queued line is written, or the destination has failed (pino's `logger.flush`). */
  flush(cb: (err?: Error) => void = () => {}): void {
    if (!this.writing || this.broken) cb();
    else this.waiters.push(() => cb());
  }

  /** Whether the destination failed for good (its lines are dropped). */
  get failed(): boolean {
    return this.broken;
  }

  private pump(): void {
    if (this.broken) return this.idle();
    if (!this.current) {
      if (this.queue.length === 0) return this.idle();
      this.current = Buffer.from(this.queue.join(''), 'utf8');
      this.queue = [];
      this.queuedBytes = 0;
    }
    this.writing = true;
    this.dropping = false;
    const chunk = this.current;
    write(this.fd, chunk, 0, chunk.length, null, (err, written) => {
      if (err) {
        if (err.code === 'EAGAIN') {
          // A full non-blocking pipe: try again shortly; the queue bound still holds meanwhile.
          setTimeout(() => this.pump(), 50).unref();
          return;
        }
        this.fail(err);
        return;
      }
      this.current = written < chunk.length ? chunk.subarray(written) : null;
      this.pump();
    });
  }

  private fail(err: NodeJS.ErrnoException): void {
    this.broken = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.current = null;
    toStderr(
      `beseda-hub: the log output (${this.name}) failed (${err.code ?? err.message}); ` +
        'log lines are dropped from now on, the hub keeps serving\n',
    );
    this.idle();
  }

  private idle(): void {
    this.writing = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
