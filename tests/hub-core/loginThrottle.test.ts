import { describe, expect, it } from 'vitest';
import type { LoginReservation, LoginTicket } from '../../hub/ops/LoginThrottle.ts';
import { LoginThrottle, sourceKey } from '../../hub/ops/LoginThrottle.ts';

const t0 = 1_700_000_000_000;

function ticketOf(r: LoginReservation): LoginTicket {
  if (!r.ok) throw new Error(`refused for ${r.retryAfterMs} ms`);
  return r.ticket;
}

/** One attempt checked at `now` that fails; returns the refusal's wait instead if it was refused. */
function failOnce(throttle: LoginThrottle, account: string, source: string, now: number): number {
  const r = throttle.reserve(account, source, now);
  if (!r.ok) return r.retryAfterMs;
  throttle.settle(r.ticket, 'failed', now);
  return 0;
}

describe('LoginThrottle', () => {
  it('counts attempts when they are let through: a burst gets the free allowance, the rest wait', () => {
    const throttle = new LoginThrottle();
    const answers = Array.from({ length: 60 }, (_, i) => throttle.reserve('anna', `10.0.0.${i}`, t0));
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    const refused = answers.filter((a) => !a.ok);
    expect(refused).toHaveLength(55);
    // Attempts being checked count as failures made now: the next one waits the first step.
    for (const a of refused) expect(a).toEqual({ ok: false, retryAfterMs: 1000 });
    // The five fail a moment later: the wait counts from then.
    for (const a of answers.filter((x) => x.ok)) throttle.settle(ticketOf(a), 'failed', t0 + 300);
    expect(throttle.reserve('anna', '10.0.0.99', t0 + 300)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(throttle.reserve('anna', '10.0.0.99', t0 + 1299)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(throttle.reserve('anna', '10.0.0.99', t0 + 1300).ok).toBe(true);
  });

  it('an attempt whose password was never checked (hashing queue full) is not counted', () => {
    const throttle = new LoginThrottle();
    const tickets = Array.from({ length: 5 }, () => ticketOf(throttle.reserve('anna', '10.0.0.1', t0)));
    expect(throttle.reserve('anna', '10.0.0.1', t0).ok).toBe(false);
    for (const ticket of tickets) throttle.settle(ticket, 'unchecked', t0);
    for (let i = 0; i < 5; i++) expect(failOnce(throttle, 'anna', '10.0.0.1', t0)).toBe(0);
  });

  it('backs off per account with doubling waits capped at 60 s, forgets after 15 quiet minutes', () => {
    const throttle = new LoginThrottle();
    let now = t0;
    // From a new address every time: only the account's counter grows.
    for (let i = 0; i < 5; i++) expect(failOnce(throttle, 'boris', `10.1.0.${i}`, now)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const wait = failOnce(throttle, 'boris', `10.2.0.${i}`, now);
      waits.push(wait);
      now += wait;
      expect(failOnce(throttle, 'boris', `10.3.0.${i}`, now)).toBe(0);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    now += 15 * 60_000;
    for (let i = 0; i < 5; i++) expect(failOnce(throttle, 'boris', `10.4.0.${i}`, now)).toBe(0);
  });

  it('backs off one source and login past the account cap, without touching other logins there', () => {
    const throttle = new LoginThrottle();
    let now = t0;
    for (let failed = 0; failed < 14;) {
      const wait = failOnce(throttle, 'vera', '203.0.113.9', now);
      if (wait > 0) now += wait;
      else failed++;
    }
    // 14 failures: the account's wait is capped at 60 s, the pair's goes on doubling (to 15 min).
    expect(throttle.reserve('vera', '203.0.113.9', now)).toEqual({ ok: false, retryAfterMs: 512_000 });
    expect(throttle.reserve('vera', '198.51.100.1', now)).toEqual({ ok: false, retryAfterMs: 60_000 });
    // Everyone else behind that address goes ahead.
    for (let i = 0; i < 20; i++) expect(throttle.reserve(`user${i}`, '203.0.113.9', now).ok).toBe(true);
  });

  it('backs off a source after 100 failures over any logins, except logins known there', () => {
    const throttle = new LoginThrottle();
    const known = ticketOf(throttle.reserve('ilya', '203.0.113.9', t0));
    expect(known.known).toBe(false);
    throttle.settle(known, 'succeeded', t0);
    for (let i = 0; i < 100; i++) expect(failOnce(throttle, `guess${i}`, '203.0.113.9', t0)).toBe(0);
    expect(throttle.reserve('dina', '203.0.113.9', t0)).toEqual({ ok: false, retryAfterMs: 1000 });
    const again = ticketOf(throttle.reserve('ilya', '203.0.113.9', t0));
    expect(again.known).toBe(true);
    throttle.settle(again, 'failed', t0);
    // A known login's failure does not feed the source's counter; the account's counts as usual.
    expect(throttle.reserve('dina', '203.0.113.9', t0 + 1000).ok).toBe(true);
    expect(throttle.reserve('dina', '198.51.100.1', t0).ok).toBe(true);
    // Forgotten after an hour without failures.
    expect(throttle.reserve('zara', '203.0.113.9', t0 + 60 * 60_000).ok).toBe(true);
  });

  it('a success clears the account and the pair, not the source', () => {
    const small = { free: 2, baseMs: 1000, capMs: 60_000, forgetAfterMs: 60_000 };
    const throttle = new LoginThrottle({
      account: small,
      pair: small,
      source: { ...small, free: 3 },
      knownForMs: 1000,
    });
    expect(failOnce(throttle, 'gleb', '10.0.0.1', t0)).toBe(0);
    expect(failOnce(throttle, 'gleb', '10.0.0.1', t0)).toBe(0);
    expect(throttle.reserve('gleb', '10.0.0.1', t0)).toEqual({ ok: false, retryAfterMs: 1000 });
    const now = t0 + 1000;
    throttle.settle(ticketOf(throttle.reserve('gleb', '10.0.0.1', now)), 'succeeded', now);
    // Two free failures again for the account and the pair…
    expect(failOnce(throttle, 'gleb', '10.0.0.1', now)).toBe(0);
    expect(failOnce(throttle, 'gleb', '10.0.0.1', now)).toBe(0);
    expect(failOnce(throttle, 'gleb', '10.0.0.1', now)).toBe(1000);
    // …but the source still holds its two failures: one more (of another login) reaches its 3.
    expect(failOnce(throttle, 'olga', '10.0.0.1', now)).toBe(0);
    expect(throttle.reserve('petr', '10.0.0.1', now)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('keeps a bounded number of counters under a spray of logins', () => {
    const throttle = new LoginThrottle(undefined, 50);
    for (let i = 0; i < 1000; i++) {
      const r = throttle.reserve(`spray${i}`, `10.9.${i >> 8}.${i & 255}`, t0 + i);
      if (r.ok) throttle.settle(r.ticket, i % 2 ? 'failed' : 'succeeded', t0 + i);
    }
    const maps = throttle as unknown as Record<'accounts' | 'pairs' | 'sources' | 'known', Map<string, unknown>>;
    for (const name of ['accounts', 'pairs', 'sources', 'known'] as const) {
      expect(maps[name].size, name).toBeLessThanOrEqual(50);
    }
  });

  it('counts IPv6 by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(sourceKey('203.0.113.9')).toBe('203.0.113.9');
    expect(sourceKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('unknown')).toBe('unknown');
    // The addresses of one /64 share a source counter.
    const throttle = new LoginThrottle();
    for (let i = 0; i < 100; i++) {
      expect(failOnce(throttle, `guess${i}`, `2001:db8:1:2::${(i + 1).toString(16)}`, t0)).toBe(0);
    }
    expect(throttle.reserve('dina', '2001:db8:1:2:ffff::9', t0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(throttle.reserve('dina', '2001:db8:1:3::1', t0).ok).toBe(true);
  });
});
