// The presence frame budget (issue 19, target 4): the batch window stretches with the audience so
// that the frames sent while N people arrive grow with N, not N². Fake timers drive a scripted
// arrival rate; the RecordingSink stands for the sockets (an `everyone` event is one frame to each
// connection of a person connected when it is published, as ConnectionRegistry does).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import type { Actor } from '../../hub/ops/Hub.ts';
import type { HubEvent } from '../../hub/ops/HubEvent.ts';
import { maxPresenceWindowMs } from '../../hub/ops/Presence.ts';
import { openTestHub, type TestHub } from './harness.ts';

const batchMs = 250;

beforeEach(() => {
  // Only timers are faked: the group commit's setImmediate and SQLite stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

type Status = User['presence'];

/** One connection as a client sees it: the users.get answer after hello, then the frames it hears. */
interface Client {
  actor: Actor;
  connId: string;
  /** Index into sink.events from which this connection hears events. */
  from: number;
  /** Index at which it closed (hears nothing after). */
  until: number;
  snapshot: Map<number, Status>;
}

const isPresence = (e: HubEvent) => e.frame.type === 'presence' || e.frame.type === 'presence.batch';

function hears(e: HubEvent, c: Client): boolean {
  if (c.actor.isBot) return e.audience.to === 'users' && e.audience.userIds.includes(c.actor.userId);
  return e.audience.to !== 'users' || e.audience.userIds.includes(c.actor.userId);
}

/** The client's view: its snapshot with every presence frame it heard applied in order. */
function viewOf(t: TestHub, c: Client): Map<number, Status> {
  const view = new Map(c.snapshot);
  for (const e of t.sink.events.slice(c.from, c.until)) {
    if (!isPresence(e) || !hears(e, c)) continue;
    const f = e.frame;
    if (f.type === 'presence') view.set(f.userId, f.status);
    else if (f.type === 'presence.batch') for (const u of f.updates) view.set(u.userId, u.status);
  }
  return view;
}

function framesHeard(t: TestHub, c: Client): number {
  return t.sink.events.slice(c.from, c.until).filter((e) => isPresence(e) && hears(e, c)).length;
}

async function snapshotOf(t: TestHub, c: Client, ids: number[]): Promise<Map<number, Status>> {
  const users = await t.hub.getUsers(c.actor, { ids });
  return new Map(users.map((u) => [u.id, u.presence]));
}

/**
 * `n` people arrive at `perSecond` (fake time); every tenth leaves again and every seventh chooses
 * dnd meanwhile. Returns the clients still connected once everything settled, and all frames sent.
 */
async function storm(n: number, perSecond: number, framesPerSecond: number) {
  const t = await openTestHub({
    presenceGraceMs: 1000,
    presenceBatchMs: batchMs,
    presenceFramesPerSecond: framesPerSecond,
  });
  const people: Actor[] = [];
  for (let i = 0; i < n; i++) people.push(await t.user(`p${i}`));
  const ids = people.map((p) => p.userId);
  t.sink.clear();
  const clients: Client[] = [];
  for (let i = 0; i < n; i++) {
    const c: Client = { actor: people[i]!, connId: `c${i}`, from: 0, until: Infinity, snapshot: new Map() };
    await t.hub.connect(c.actor, c.connId);
    // As a client does after hello: ask who is who (users.get answers with the current status).
    c.from = t.sink.events.length;
    c.snapshot = await snapshotOf(t, c, ids);
    clients.push(c);
    if (i % 7 === 3) await t.hub.setPresence(c.actor, c.connId, { status: 'dnd' });
    if (i % 10 === 5) {
      const leaver = clients[i - 2]!;
      leaver.until = t.sink.events.length;
      await t.hub.disconnect(leaver.actor, leaver.connId);
    }
    vi.advanceTimersByTime(1000 / perSecond);
  }
  // Past the grace period and the longest window: every change has been sent.
  vi.advanceTimersByTime(1000 + 2 * maxPresenceWindowMs);
  const connected = clients.filter((c) => c.until === Infinity);
  const frames = connected.map((c) => framesHeard(t, c));
  const sent = t.sink.events.filter(isPresence).length;
  return { t, ids, connected, frames, sent };
}

const total = (frames: number[]) => frames.reduce((a, b) => a + b, 0);

describe('presence frame budget', () => {
  it('frames heard while people arrive grow linearly with their number, a few per person', async () => {
    // 20 arrivals/s and a budget of 60 frames/s: about 60 ÷ 20 + 1 = 4 frames per person.
    const small = await storm(60, 20, 60);
    const large = await storm(120, 20, 60);
    const perPerson = (s: typeof small) => total(s.frames) / s.frames.length;
    expect(perPerson(small)).toBeLessThanOrEqual(6);
    expect(perPerson(large)).toBeLessThanOrEqual(6);
    // Twice the people over twice the time: about twice the frames (N² would be four times).
    const ratio = total(large.frames) / total(small.frames);
    expect(ratio).toBeGreaterThan(1.5);
    expect(ratio).toBeLessThan(2.6);

    // Without a budget (a fixed 250 ms window) the same arrivals cost many more, growing as N².
    const unbounded = await storm(120, 20, 1e9);
    expect(total(unbounded.frames)).toBeGreaterThan(2.5 * total(large.frames));
  }, 120_000);

  it('every client ends up with everyone’s true status (hello’s users.get plus the frames)', async () => {
    const s = await storm(80, 20, 40);
    const truth = await snapshotOf(s.t, s.connected[0]!, s.ids);
    expect([...truth.values()].filter((v) => v === 'offline')).toHaveLength(8); // the leavers
    expect([...truth.values()].filter((v) => v === 'dnd').length).toBeGreaterThan(5);
    for (const c of s.connected) expect(viewOf(s.t, c)).toEqual(truth);
  }, 120_000);

  it('a lone change with few connected goes out after batchMs; the person’s other devices hear it at once', async () => {
    const t = await openTestHub({ presenceBatchMs: batchMs, presenceFramesPerSecond: 60 });
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    await t.hub.connect(anna, 'desk');
    await t.hub.connect(anna, 'phone');
    await t.hub.connect(boris, 'b');
    vi.advanceTimersByTime(batchMs);
    t.sink.clear();

    await t.hub.setPresence(anna, 'desk', { status: 'dnd' });
    const own = { audience: { to: 'users', userIds: [anna.userId] }, ephemeral: true };
    expect(t.sink.events).toEqual([
      expect.objectContaining({ ...own, frame: expect.objectContaining({ status: 'dnd' }) }),
    ]);
    vi.advanceTimersByTime(batchMs - 1);
    expect(t.sink.events).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(t.sink.events[1]).toMatchObject({
      audience: { to: 'watchers' },
      frame: { type: 'presence', userId: anna.userId, status: 'dnd' },
    });
  });

  it('with many connected the window is audience ÷ budget, and never longer than the cap', async () => {
    const t = await openTestHub({ presenceBatchMs: batchMs, presenceFramesPerSecond: 10 });
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const bot = await t.user('robot', { isBot: true });
    // 30 sockets of people (bots' sockets never hear presence): 30 ÷ 10 per second = 3 s.
    for (let i = 0; i < 29; i++) await t.hub.connect(boris, `b${i}`);
    for (let i = 0; i < 5; i++) await t.hub.connect(bot, `bot${i}`);
    await t.hub.connect(anna, 'a');
    vi.advanceTimersByTime(maxPresenceWindowMs);
    t.sink.clear();
    const everyone = () => t.sink.events.filter((e) => e.audience.to === 'watchers');

    await t.hub.setPresence(anna, 'a', { status: 'away' });
    vi.advanceTimersByTime(2999);
    expect(everyone()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(everyone()).toHaveLength(1);

    // 200 sockets would be 20 s: capped.
    for (let i = 29; i < 199; i++) await t.hub.connect(boris, `b${i}`);
    t.sink.clear();
    await t.hub.setPresence(anna, 'a', { status: 'online' });
    vi.advanceTimersByTime(maxPresenceWindowMs - 1);
    expect(everyone()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(everyone().map((e) => e.frame)).toEqual([
      expect.objectContaining({ userId: anna.userId, status: 'online' }),
    ]);
  });
});
