// Presence across a stop and start of a lone hub (hub/ops/Presence.ts resumeAfterStop), on the
// store of this run (SQLite, or PostgreSQL in CI's second pass).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { restartGraceMs, restartMaxGapMs } from '../../hub/ops/Presence.ts';
import { fakeClock, openTestHub, storedRows } from './harness.ts';

const grace = 1000;

beforeEach(() => {
  // Only timers are faked: the group commit's setImmediate and the stores stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Everything presence told `everyone` since the sink was last cleared, as [userId, status]. */
function told(events: readonly { audience: { to: string }; frame: { type: string } }[]): [number, string][] {
  const out: [number, string][] = [];
  for (const { audience, frame } of events as {
    audience: { to: string };
    frame: { type: string; userId?: number; status?: string; updates?: { userId: number; status: string }[] };
  }[]) {
    if (audience.to !== 'watchers') continue;
    if (frame.type === 'presence') out.push([frame.userId!, frame.status!]);
    if (frame.type === 'presence.batch') for (const u of frame.updates!) out.push([u.userId, u.status]);
  }
  return out;
}

describe('presence across a restart', () => {
  it('keeps the people online at the stop as they were; their reconnects tell nobody anything; one not back goes offline after the restart grace, last seen at the stop', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, presenceGraceMs: grace });
    const [anna, boris, vera, watcher] = [
      await t.user('anna'),
      await t.user('boris'),
      await t.user('vera'),
      await t.user('watcher'),
    ];
    for (const [actor, id] of [
      [anna, 'a1'],
      [boris, 'b1'],
      [vera, 'v1'],
    ] as const)
      await t.hub.connect(actor, id);
    await t.hub.setPresence(boris, 'b1', { status: 'dnd' });
    const stoppedAt = clock();
    await t.hub.close();

    clock.advance(3000);
    const again = await t.reopen();
    const ids = [anna.userId, boris.userId, vera.userId];
    const shown = async () =>
      (await again.hub.getUsers(watcher, { ids })).map((u) => [u.id, u.presence, u.lastSeen] as const);
    expect(await shown()).toEqual([
      [anna.userId, 'online', stoppedAt],
      [boris.userId, 'dnd', stoppedAt],
      [vera.userId, 'online', stoppedAt],
    ]);
    again.sink.clear();
    const backAt = clock();
    await again.hub.connect(anna, 'a2');
    await again.hub.connect(boris, 'b2');
    expect((await again.hub.connect(boris, 'b3')).me.presence).toBe('dnd');
    vi.advanceTimersByTime(grace * 5);
    expect(told(again.sink.events)).toEqual([]);

    clock.advance(restartGraceMs);
    vi.advanceTimersByTime(restartGraceMs);
    expect(told(again.sink.events)).toEqual([[vera.userId, 'offline']]);
    expect(await shown()).toEqual([
      [anna.userId, 'online', backAt],
      [boris.userId, 'dnd', backAt],
      [vera.userId, 'offline', stoppedAt],
    ]);
  });

  it('ignores a stop longer ago than restartMaxGapMs, and keeps nothing after a start has read it', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, presenceGraceMs: grace });
    const anna = await t.user('anna');
    const watcher = await t.user('watcher');
    await t.hub.connect(anna, 'a1');
    await t.hub.close();
    clock.advance(restartMaxGapMs + 1);
    const late = await t.reopen();
    expect((await late.hub.getUsers(watcher, { ids: [anna.userId] }))[0]!.presence).toBe('offline');
    // The stop this reopen made kept nobody (no one was connected): a third start keeps no one online.
    const third = await late.reopen();
    expect((await third.hub.getUsers(watcher, { ids: [anna.userId] }))[0]!.presence).toBe('offline');
    expect(await storedRows(third.hub, 'SELECT count(*) AS n FROM presence_at_stop')).toEqual([{ n: 0 }]);
  });
});
