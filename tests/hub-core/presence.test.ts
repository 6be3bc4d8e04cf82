import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { restartGraceMs } from '../../hub/ops/Presence.ts';
import { fakeClock, openTestHub, storedRows } from './harness.ts';

const GENERAL = 1;
const grace = 5000;

beforeEach(() => {
  // Only timers are faked: the group commit's setImmediate and SQLite stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('presence', () => {
  it('connect returns the hello state and announces the user online once', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, presenceGraceMs: grace });
    const anna = await t.user('anna');
    const m = await t.hub.send(anna, { conversationId: GENERAL, clientId: 'hello-msg', text: 'x' });
    t.sink.clear();
    const hello = await t.hub.connect(anna, 'c1');
    expect(hello.me).toMatchObject({ id: anna.userId, login: 'anna', presence: 'online', lastSeen: clock() });
    expect(hello.conversations.map((c) => c.id)).toEqual([GENERAL]);
    expect(hello.lastSeq).toBe(m.seq);
    expect(t.sink.events).toEqual([
      {
        audience: { to: 'watchers' },
        frame: { type: 'presence', userId: anna.userId, status: 'online', lastSeen: clock() },
        ephemeral: true,
      },
    ]);
    await t.hub.connect(anna, 'c2');
    await t.hub.disconnect(anna, 'c1');
    expect(t.sink.ofType('presence')).toHaveLength(1);
  });

  it('goes offline only after the grace period; a reconnect within it does not flicker', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, presenceGraceMs: grace });
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    await t.hub.connect(anna, 'c1');
    t.sink.clear();

    await t.hub.disconnect(anna, 'c1');
    clock.advance(grace - 1);
    vi.advanceTimersByTime(grace - 1);
    expect(t.sink.ofType('presence')).toEqual([]);
    expect((await t.hub.getUsers(boris, { ids: [anna.userId] }))[0]!.presence).toBe('online');
    await t.hub.connect(anna, 'c2');
    vi.advanceTimersByTime(grace * 2);
    expect(t.sink.ofType('presence')).toEqual([]);

    await t.hub.disconnect(anna, 'c2');
    clock.advance(grace);
    vi.advanceTimersByTime(grace);
    const offline = t.sink.ofType('presence');
    expect(offline.map((e) => e.frame)).toEqual([
      { type: 'presence', userId: anna.userId, status: 'offline', lastSeen: clock() },
    ]);
    expect(offline[0]!.ephemeral).toBe(true);
    expect((await t.hub.getUsers(boris, { ids: [anna.userId] }))[0]).toMatchObject({
      presence: 'offline',
      lastSeen: clock(),
    });
    // last_seen was persisted: a restarted hub still knows it.
    // (written when the grace period ends, without waiting for it: on PostgreSQL a round trip later)
    const lastSeen = () => storedRows(t.hub, 'SELECT last_seen FROM users WHERE id = ?', anna.userId);
    for (const until = Date.now() + 10_000; (await lastSeen())[0]?.last_seen === null && Date.now() < until;)
      await new Promise((r) => setImmediate(r));
    expect(await lastSeen()).toEqual([{ last_seen: clock() }]);
  });

  it('is away when every connection is idle or away is chosen, dnd when chosen; publishes only changes', async () => {
    const t = await openTestHub({ presenceGraceMs: grace });
    const anna = await t.user('anna');
    await t.hub.connect(anna, 'desk');
    await t.hub.connect(anna, 'laptop');
    t.sink.clear();
    const statuses = () => t.sink.ofType('presence').map((e) => e.frame.status);

    expect(await t.hub.setPresence(anna, 'desk', { idle: true })).toEqual({ status: 'online' });
    expect(await t.hub.setPresence(anna, 'laptop', { idle: true })).toEqual({ status: 'away' });
    expect(await t.hub.setPresence(anna, 'laptop', { idle: true })).toEqual({ status: 'away' });
    expect(await t.hub.setPresence(anna, 'desk', { idle: false })).toEqual({ status: 'online' });
    expect(await t.hub.setPresence(anna, 'desk', { status: 'dnd' })).toEqual({ status: 'dnd' });
    expect(await t.hub.setPresence(anna, 'desk', { idle: true, status: 'away' })).toEqual({ status: 'away' });
    expect(await t.hub.setPresence(anna, 'desk', { status: 'online', idle: false })).toEqual({ status: 'online' });
    // An idle connection going away leaves only the active one.
    await t.hub.setPresence(anna, 'laptop', { idle: false });
    await t.hub.setPresence(anna, 'desk', { idle: true });
    await t.hub.disconnect(anna, 'laptop');
    expect(statuses()).toEqual(['away', 'online', 'dnd', 'away', 'online', 'away']);
  });

  it('records last seen for everyone still connected when the hub closes', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    const anna = await t.user('anna');
    await t.hub.connect(anna, 'c1');
    clock.advance(12_345);
    const stoppedAt = clock();
    const again = await t.reopen();
    // Online through the restart grace (tests/hub-core/restartPresence), then offline, last seen at the stop.
    expect((await again.hub.getUsers(anna, { ids: [anna.userId] }))[0]).toMatchObject({
      presence: 'online',
      lastSeen: stoppedAt,
    });
    clock.advance(restartGraceMs);
    vi.advanceTimersByTime(restartGraceMs);
    const [u] = await again.hub.getUsers(anna, { ids: [anna.userId] });
    expect(u).toMatchObject({ presence: 'offline', lastSeen: stoppedAt });
  });
});

describe('typing', () => {
  it('is relayed to the other members only, ephemeral, never stored, and repeats are coalesced', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const vera = await t.user('vera');
    const room = await t.hub.createRoom(anna, { name: 'Чат', kind: 'closed', members: [boris.userId] });
    t.sink.clear();
    await t.hub.typing(anna, { conversationId: room.id });
    expect(t.sink.events).toEqual([
      {
        audience: { to: 'users', userIds: [boris.userId] },
        frame: { type: 'typing', conversationId: room.id, userId: anna.userId },
        ephemeral: true,
      },
    ]);
    clock.advance(1500);
    await t.hub.typing(anna, { conversationId: room.id });
    expect(t.sink.events).toHaveLength(1);
    clock.advance(600);
    await t.hub.typing(anna, { conversationId: room.id });
    expect(t.sink.events).toHaveLength(2);
    expect(await storedRows(t.hub, 'SELECT count(*) AS n FROM messages WHERE conversation_id = ?', room.id)).toEqual([
      { n: 2 }, // created + invited
    ]);
    await expect(t.hub.typing(vera, { conversationId: room.id })).rejects.toMatchObject({ code: 'not_found' });

    // The general room: everyone but the typer (people on every node; bots are left out by the registry).
    await t.hub.connect(anna, 'a');
    await t.hub.connect(vera, 'v');
    t.sink.clear();
    await t.hub.typing(anna, { conversationId: GENERAL });
    expect(t.sink.ofType('typing').map((e) => e.audience)).toEqual([{ to: 'everyone', except: anna.userId }]);
  });
});
