/** Back-off settings of one kind of counter (per account or per source address). */
export interface BackoffPolicy {
  /** Failures allowed before any delay. */
  free: number;
  /** Delay after the first counted failure; doubles with each further one. */
  baseMs: number;
  /** Longest delay. */
  capMs: number;
  /** A counter with no failure for this long starts again from zero. */
  forgetAfterMs: number;
}

interface Counter {
  failures: number;
  lastFailureAt: number;
}

/**
 * Failed sign-ins counted per account and per source with exponential back-off, checked before
 * any hashing. The account cap is low (an attacker cannot lock a person out for long); the source
 * cap is high (one address guessing many accounts is slowed hard).
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, Counter>();
  private readonly sources = new Map<string, Counter>();

  constructor(
    private readonly accountPolicy: BackoffPolicy = {
      free: 5,
      baseMs: 1000,
      capMs: 60_000,
      forgetAfterMs: 15 * 60_000,
    },
    // A branch office often reaches the hub from one NAT address: its people's typos must not
    // lock each other out, so a source gets more free failures than an account.
    private readonly sourcePolicy: BackoffPolicy = {
      free: 20,
      baseMs: 1000,
      capMs: 15 * 60_000,
      forgetAfterMs: 60 * 60_000,
    },
    /** Counters kept per map before old ones are swept (bounds memory under a spray attack). */
    private readonly maxEntries = 10_000,
  ) {}

  /** Milliseconds to wait before this attempt may be checked; 0 when it may go ahead. */
  retryAfter(account: string, source: string, now: number): number {
    return Math.max(
      wait(this.accounts.get(account), this.accountPolicy, now),
      wait(this.sources.get(source), this.sourcePolicy, now),
    );
  }

  /** Counts a failed attempt. */
  fail(account: string, source: string, now: number): void {
    bump(this.accounts, account, this.accountPolicy, now, this.maxEntries);
    bump(this.sources, source, this.sourcePolicy, now, this.maxEntries);
  }

  /** A successful sign-in clears the account's counter (not the source's). */
  succeed(account: string): void {
    this.accounts.delete(account);
  }
}

function delay(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - policy.free, 40));
}

function wait(counter: Counter | undefined, policy: BackoffPolicy, now: number): number {
  if (!counter || now - counter.lastFailureAt >= policy.forgetAfterMs) return 0;
  return Math.max(0, counter.lastFailureAt + delay(counter.failures, policy) - now);
}

function bump(map: Map<string, Counter>, key: string, policy: BackoffPolicy, now: number, maxEntries: number): void {
  const counter = map.get(key);
  if (counter && now - counter.lastFailureAt < policy.forgetAfterMs) {
    counter.failures++;
    counter.lastFailureAt = now;
    return;
  }
  if (map.size >= maxEntries) {
    for (const [k, c] of map) if (now - c.lastFailureAt >= policy.forgetAfterMs) map.delete(k);
    // Still full of fresh counters: drop the oldest inserted rather than grow without bound.
    if (map.size >= maxEntries) map.delete(map.keys().next().value!);
  }
  map.set(key, { failures: 1, lastFailureAt: now });
}
