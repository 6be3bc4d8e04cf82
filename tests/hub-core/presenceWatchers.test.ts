// The watch index on its own: who hears whose presence, the per-connection cap, a closed connection.
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../hub/server/Connection.ts';
import { PresenceWatchers, maxWatchedPerConnection } from '../../hub/server/PresenceWatchers.ts';

const conn = (userId: number, isBot = false) => ({ actor: { userId, isBot } }) as unknown as Connection;
const update = (userId: number) => ({ userId, status: 'online' as const, lastSeen: null });

describe('PresenceWatchers', () => {
  it('splits updates by watcher, in order; bots watch nobody; a closed connection hears nothing', () => {
    const w = new PresenceWatchers();
    const [a, b, bot] = [conn(1), conn(2), conn(3, true)];
    w.watch(a, [10, 11]);
    w.watch(b, [11]);
    w.watch(bot, [10, 11]);
    const split = w.split([update(11), update(10), update(12)]);
    expect(split.get(a)!.map((u) => u.userId)).toEqual([11, 10]);
    expect(split.get(b)!.map((u) => u.userId)).toEqual([11]);
    expect(split.has(bot)).toBe(false);
    w.forget(a);
    expect([...w.split([update(10), update(11)]).keys()]).toEqual([b]);
  });

  it('keeps at most the cap per connection, dropping the longest-watched (a lookup renews)', () => {
    const w = new PresenceWatchers();
    const a = conn(1);
    w.watch(a, [1, 2, 3]);
    w.watch(a, [1]); // looked up again: now the newest
    const more = Array.from({ length: maxWatchedPerConnection - 2 }, (_, i) => 100 + i);
    w.watch(a, more);
    expect(w.watchedBy(a)).toBe(maxWatchedPerConnection);
    // 2 was the longest-watched: dropped; 1 was renewed, 3 still fits.
    expect(
      w
        .split([update(1), update(2), update(3)])
        .get(a)!
        .map((u) => u.userId),
    ).toEqual([1, 3]);
  });

  it('a person watched by many (past the array size) is still heard by each, and forgotten one by one', () => {
    const w = new PresenceWatchers();
    const many = Array.from({ length: 300 }, (_, i) => conn(1000 + i));
    for (const c of many) w.watch(c, [7, 7]);
    expect(w.split([update(7)]).size).toBe(300);
    for (const c of many.slice(0, 299)) w.forget(c);
    expect([...w.split([update(7)]).keys()]).toEqual([many[299]]);
    w.forget(many[299]!);
    expect(w.split([update(7)]).size).toBe(0);
    expect(w.watchedBy(many[0]!)).toBe(0);
  });
});
