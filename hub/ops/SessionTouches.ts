import type { HubContext } from './HubContext.ts';

/** How long session uses gather before they are written together. */
export const sessionTouchFlushMs = 1000;

/**
 * When sessions were last used, written in batches. After a restart every client reconnects within
 * seconds, and one write (one fsync, on the event loop) per sign-in made the reconnect storm wait
 * on the disk: 5,000 sockets, 5,000 commits. Gathered for a second, they are one commit. A crash
 * loses at most that second of "last used" times, which only move an idle session's end.
 */
export class SessionTouches {
  private readonly pending = new Map<number, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: HubContext) {}

  /** Notes that a session was used at `at`; written within {@link sessionTouchFlushMs}. */
  touch(sessionId: number, at: number): void {
    this.pending.set(sessionId, at);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), sessionTouchFlushMs);
      this.timer.unref?.();
    }
  }

  /** The use of this session waiting to be written, if any: it counts as written for expiry. */
  pendingAt(sessionId: number): number | undefined {
    return this.pending.get(sessionId);
  }

  /** Writes what is gathered; resolves when written (close: before the store closes). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return this.writing;
    const touches = [...this.pending].map(([sessionId, at]) => ({ sessionId, at }));
    this.pending.clear();
    this.writing = this.writing.then(async () => {
      try {
        await this.ctx.store.accounts.touchSessions(touches);
      } catch (err) {
        // A full disk must not stop people from connecting and reading.
        this.ctx.log.warn({ err, sessions: touches.length }, 'could not record session use');
      }
    });
    return this.writing;
  }
}
