import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, defaultBackoff } from '../../common/client/backoffDelay.ts';

describe('backoffDelay', () => {
  it('grows ×2 from 0.5 s up to the 30 s cap at the top of the jitter range', () => {
    const top = () => 0.999999;
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 10, 50].map((a) => backoffDelay(a, top));
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999, 29999]);
  });

  it('is full jitter: anywhere from 0 up to the ceiling', () => {
    expect(backoffDelay(5, () => 0)).toBe(0);
    expect(backoffDelay(5, () => 0.5)).toBe(8000);
  });

  it('never exceeds the cap or goes negative, for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelay(attempt, () => r);
          return Number.isInteger(d) && d >= 0 && d < defaultBackoff.capMs;
        },
      ),
    );
  });
});
