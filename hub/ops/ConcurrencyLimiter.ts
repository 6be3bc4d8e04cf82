import { HubError } from './HubError.ts';

/**
 * Runs at most `max` tasks at once (password hashing: each scrypt takes 128 MiB and a CPU core
 * for a while), with a bounded queue: beyond it callers get `rate_limited` at once instead of
 * piling up memory.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly maxQueue: number,
  ) {}

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxQueue) {
        throw new HubError('rate_limited', 'the hub is busy signing people in; try again shortly', 1000);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` stays the same.
      if (next) next();
      else this.running--;
    }
  }
}
