import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { person, type Person } from './connect.ts';

let hub: TestHub;
let watcher: Person;
/** Long enough for a loaded test process to reconnect within it (600 ms left it 450 ms to do so). */
const graceMs = 2000;
beforeAll(async () => {
  hub = await startHub({ args: ['--presence-grace-ms', String(graceMs)] });
  watcher = await person(hub, 'watcher');
});
afterAll(async () => {
  await hub.stop();
});

describe('presence', () => {
  it('derives one status from all of a user’s connections, with a grace period before offline', async () => {
    const online = watcher.socket.next('presence', (f) => f.status === 'online' && f.userId !== watcher.id);
    const p = await person(hub, 'pavel', 'pavel', [watcher]);
    expect((await online).userId).toBe(p.id);
    const second = await TestSocket.open(hub.wsUrl, p.token);

    // Idle on one connection only: still online. Idle on both: away.
    await p.socket.request('presence.set', { idle: true });
    const away = watcher.socket.next('presence', (f) => f.userId === p.id && f.status === 'away');
    await second.request('presence.set', { idle: true });
    await away;
    const back = watcher.socket.next('presence', (f) => f.userId === p.id && f.status === 'online');
    await second.request('presence.set', { idle: false });
    await back;

    const dnd = watcher.socket.next('presence', (f) => f.userId === p.id && f.status === 'dnd');
    await p.socket.request('presence.set', { status: 'dnd' });
    await dnd;
    await p.socket.request('presence.set', { status: 'online' });

    // Closing one of two connections changes nothing; a quick reconnect after the last does not flicker.
    const mark = watcher.socket.frames.length;
    second.close();
    p.socket.close();
    const closedAt = Date.now();
    await new Promise((r) => setTimeout(r, 150));
    const again = await TestSocket.open(hub.wsUrl, p.token);
    // Watch until well after the grace period would have ended.
    await new Promise((r) => setTimeout(r, closedAt + graceMs + 900 - Date.now()));
    const flicker = watcher.socket.frames
      .slice(mark)
      .filter((f) => f.type === 'presence' && f.userId === p.id && f.status === 'offline');
    expect(flicker).toEqual([]);

    // Gone for longer than the grace period: offline, with a last-seen time.
    const offline = watcher.socket.next('presence', (f) => f.userId === p.id && f.status === 'offline', 20_000);
    again.close();
    const frame = await offline;
    expect(frame.lastSeen).toBeGreaterThan(Date.now() - 60_000);
    const users = await watcher.socket.request<{ users: { id: number; presence: string; lastSeen: number }[] }>(
      'users.search',
      { query: 'pavel' },
    );
    expect(users.users[0]).toMatchObject({ id: p.id, presence: 'offline' });
  });

  it('gathers changes that happen together into one presence.batch frame', async () => {
    // A wide window, so a loaded test machine still lands the three arrivals in one batch.
    const morning = await startHub({ args: ['--presence-batch-ms', '1500'] });
    try {
      const first = await person(morning, 'first');
      const batch = first.socket.next('presence.batch', (f) => f.updates.length >= 3, 8000);
      const arrivals = await Promise.all(
        ['early1', 'early2', 'early3'].map((login) => person(morning, login, login, [first])),
      );
      const frame = await batch;
      expect(frame.updates.map((u) => u.userId)).toEqual(expect.arrayContaining(arrivals.map((a) => a.id)));
      expect(frame.updates.every((u) => u.status === 'online')).toBe(true);
    } finally {
      await morning.stop();
    }
  });

  it('relays typing only to the other members of the conversation', async () => {
    const t = await person(hub, 'typist');
    const seen = watcher.socket.next('typing', (f) => f.userId === t.id);
    await t.socket.request('typing', { conversationId: t.generalId });
    expect((await seen).conversationId).toBe(t.generalId);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.socket.all('typing').filter((f) => f.userId === t.id)).toEqual([]);
  });
});
