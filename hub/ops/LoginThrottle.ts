import { isIPv4, isIPv6 } from 'node:net';

/** Back-off settings of one kind of counter (per account, per source and login, per source). */
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

/** The policies of a {@link LoginThrottle}. */
export interface LoginThrottlePolicies {
  /** Per login, from anywhere: low cap, so an attacker cannot lock a person out for long. */
  account: BackoffPolicy;
  /** Per source address and login: one client guessing one account is slowed hard. */
  pair: BackoffPolicy;
  /** Per source address over all logins: a high ceiling against one address trying many accounts. */
  source: BackoffPolicy;
  /** A login that signed in from a source stays exempt from that source's ceiling this long. */
  knownForMs: number;
}

/** The defaults: an office behind one NAT address must not be locked out by one bad client. */
export const defaultLoginThrottlePolicies: LoginThrottlePolicies = {
  account: { free: 5, baseMs: 1000, capMs: 60_000, forgetAfterMs: 15 * 60_000 },
  pair: { free: 5, baseMs: 1000, capMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
  source: { free: 100, baseMs: 1000, capMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
  knownForMs: 30 * 24 * 60 * 60_000,
};

/** A sign-in attempt that was let through and counted; {@link LoginThrottle.settle} it exactly once. */
export interface LoginTicket {
  readonly account: string;
  /** The source as counted: an IPv4 address, or an IPv6 address's /64 prefix. */
  readonly source: string;
  /** This login signed in from this source before, so the source's ceiling does not apply. */
  readonly known: boolean;
}

/** The answer of {@link LoginThrottle.reserve}. */
export type LoginReservation = { ok: true; ticket: LoginTicket } | { ok: false; retryAfterMs: number };

/** How a counted attempt ended: wrong password, signed in, or no password was checked after all. */
export type LoginOutcome = 'failed' | 'succeeded' | 'unchecked';

interface Counter {
  failures: number;
  lastFailureAt: number;
  /** Attempts let through whose password is still being checked. */
  pending: number;
}

/**
 * Sign-in attempts counted per account, per source and login, and per source, with exponential
 * back-off. An attempt is counted when it is let through, before any hashing (reserve, then
 * settle): attempts still being checked count as failures, so a burst of concurrent guesses gets
 * only the free allowance checked and the rest are refused at once.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, Counter>();
  private readonly pairs = new Map<string, Counter>();
  private readonly sources = new Map<string, Counter>();
  /** `source login` → when that login last signed in from that source. */
  private readonly known = new Map<string, number>();
  /** Since start: attempts that failed (wrong login or password), attempts refused to wait (read by /metrics). */
  readonly counts = { failed: 0, refused: 0 };

  constructor(
    private readonly policies: LoginThrottlePolicies = defaultLoginThrottlePolicies,
    /** Counters kept per map before old ones are swept (bounds memory under a spray attack). */
    private readonly maxEntries = 10_000,
  ) {}

  /** Lets an attempt through and counts it, or says how many milliseconds to wait first. */
  reserve(account: string, address: string, now: number): LoginReservation {
    const { policies } = this;
    const source = sourceKey(address);
    const pair = `${source} ${account}`;
    const knownAt = this.known.get(pair);
    const known = knownAt !== undefined && now - knownAt < policies.knownForMs;
    const retryAfterMs = Math.max(
      wait(this.accounts.get(account), policies.account, now),
      wait(this.pairs.get(pair), policies.pair, now),
      known ? 0 : wait(this.sources.get(source), policies.source, now),
    );
    if (retryAfterMs > 0) {
      this.counts.refused++;
      return { ok: false, retryAfterMs };
    }
    this.counter(this.accounts, account, now).pending++;
    this.counter(this.pairs, pair, now).pending++;
    if (!known) this.counter(this.sources, source, now).pending++;
    return { ok: true, ticket: { account, source, known } };
  }

  /**
   * Ends a reserved attempt. A failure counts on every counter; a success clears the account's
   * and the pair's failures (not the source's) and remembers the login as known at that source.
   */
  settle(ticket: LoginTicket, outcome: LoginOutcome, now: number): void {
    const { policies } = this;
    if (outcome === 'failed') this.counts.failed++;
    const pair = `${ticket.source} ${ticket.account}`;
    const counted: [Map<string, Counter>, string, BackoffPolicy][] = [
      [this.accounts, ticket.account, policies.account],
      [this.pairs, pair, policies.pair],
    ];
    if (!ticket.known) counted.push([this.sources, ticket.source, policies.source]);
    for (const [map, key, policy] of counted) {
      // The counter may have been swept under a flood of fresh ones; a failure still counts.
      const counter = map.get(key) ?? (outcome === 'failed' ? this.counter(map, key, now) : undefined);
      if (!counter) continue;
      counter.pending = Math.max(0, counter.pending - 1);
      if (outcome === 'failed') {
        counter.failures = current(counter, policy, now) + 1;
        counter.lastFailureAt = now;
        // Moved to the end: a full map drops the counters that failed longest ago first.
        map.delete(key);
        map.set(key, counter);
      } else if (outcome === 'succeeded' && map !== this.sources) {
        counter.failures = 0;
      }
      if (counter.pending === 0 && current(counter, policy, now) === 0) map.delete(key);
    }
    if (outcome === 'succeeded') {
      this.known.delete(pair);
      this.known.set(pair, now);
      while (this.known.size > this.maxEntries) this.known.delete(this.known.keys().next().value!);
    }
  }

  private counter(map: Map<string, Counter>, key: string, now: number): Counter {
    let counter = map.get(key);
    if (counter) return counter;
    if (map.size >= this.maxEntries) this.sweep(map, now);
    counter = { failures: 0, lastFailureAt: -Infinity, pending: 0 };
    map.set(key, counter);
    return counter;
  }

  private sweep(map: Map<string, Counter>, now: number): void {
    const policy =
      map === this.accounts ? this.policies.account : map === this.pairs ? this.policies.pair : this.policies.source;
    for (const [key, c] of map) if (c.pending === 0 && current(c, policy, now) === 0) map.delete(key);
    // Still full of fresh counters: drop the one that failed longest ago rather than grow without
    // bound (counters of attempts being checked stay; there are at most as many as hashing slots).
    if (map.size < this.maxEntries) return;
    for (const [key, c] of map) {
      if (c.pending === 0) {
        map.delete(key);
        return;
      }
    }
  }
}

/**
 * The key a source address is counted under: IPv4 as is (also when mapped into IPv6), IPv6 by
 * its /64 prefix — one host usually has a whole /64 and could otherwise change address per try.
 */
export function sourceKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const bare = address.split('%')[0]!;
  if (!isIPv6(bare)) return address;
  const [head = '', tail] = bare.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const tailGroups = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 address at the end stands for two groups.
  const tailLength = tailGroups.length + (tailGroups.some((g) => g.includes('.')) ? 1 : 0);
  const full = [
    ...groups(head),
    ...Array<string>(Math.max(0, 8 - groups(head).length - tailLength)).fill('0'),
    ...tailGroups,
  ];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Failures still remembered (a counter forgets after a quiet spell). */
function current(counter: Counter, policy: BackoffPolicy, now: number): number {
  return now - counter.lastFailureAt >= policy.forgetAfterMs ? 0 : counter.failures;
}

function delay(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - policy.free, 40));
}

/**
 * Milliseconds before the next attempt may be checked. Attempts still being checked count as
 * failures made now: their outcome is unknown, and waiting for it is what stops a burst.
 */
function wait(counter: Counter | undefined, policy: BackoffPolicy, now: number): number {
  if (!counter) return 0;
  const failures = current(counter, policy, now);
  const settled = failures === 0 ? 0 : Math.max(0, counter.lastFailureAt + delay(failures, policy) - now);
  const inFlight = counter.pending > 0 ? delay(failures + counter.pending, policy) : 0;
  return Math.max(settled, inFlight);
}
