/** A kind of rejection that was not logged because too many like it came in one window, and how many. */
export interface Suppressed {
  key: string;
  count: number;
}

/** Settings of a {@link RejectionLimiter}. */
export interface RejectionLimiterOptions {
  /** Lines per key (method, path, status) per window; default 10. */
  perKey?: number;
  /** Lines per window in all; default 100. */
  total?: number;
  /** The window's length in ms; default one minute. */
  windowMs?: number;
  /** Distinct keys counted per window (beyond: counted under one `other` key); default 1000. */
  maxKeys?: number;
  now?: () => number;
  /** Told at the end of a window what was suppressed in it (nothing when nothing was). */
  onSuppressed: (suppressed: Suppressed[], windowMs: number) => void;
}

/**
 * Bounds log lines about rejected requests: a client retrying a wrong token every few ms, or a
 * scan of made-up paths, must not fill the disk or drown the lines that matter. Per one-minute
 * window at most `perKey` lines of one kind and `total` in all; the rest are counted, and once the
 * window is over one "suppressed N similar" line per kind is due ({@link onSuppressed}), through a
 * timer that does not keep the process alive.
 */
export class RejectionLimiter {
  private readonly perKey: number;
  private readonly total: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private windowStart = -Infinity;
  private logged = 0;
  private readonly perKeyLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: RejectionLimiterOptions) {
    this.perKey = options.perKey ?? 10;
    this.total = options.total ?? 100;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Whether a rejection of this kind may be logged now; if not, it is counted for the summary. */
  admit(key: string): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) this.rollOver(now);
    const mine = this.perKeyLogged.get(key) ?? 0;
    if (mine < this.perKey && this.logged < this.total) {
      this.logged++;
      if (mine > 0 || this.perKeyLogged.size < this.maxKeys) this.perKeyLogged.set(key, mine + 1);
      return true;
    }
    const counted = this.suppressed.has(key) || this.suppressed.size < this.maxKeys ? key : 'other';
    this.suppressed.set(counted, (this.suppressed.get(counted) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => this.rollOver(this.now()), Math.max(0, this.windowStart + this.windowMs - now));
      this.timer.unref();
    }
    return false;
  }

  /** Ends the current window now: reports what it suppressed and starts a new one at `now`. */
  rollOver(now: number = this.now()): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed.size > 0) {
      const list = [...this.suppressed].map(([key, count]) => ({ key, count }));
      this.suppressed.clear();
      this.options.onSuppressed(list, this.windowMs);
    }
    this.windowStart = now;
    this.logged = 0;
    this.perKeyLogged.clear();
  }
}
