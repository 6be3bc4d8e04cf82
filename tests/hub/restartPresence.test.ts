// A restart is not everyone going offline and back: the people online when a lone hub stopped
// (SIGTERM) stay as they were while their clients reconnect, so the reconnect storm sends no
// presence frames; whoever is not back within the restart grace goes offline, last seen at the
// stop. A crash (SIGKILL) keeps nothing: the hub learns presence anew, as before.
import { afterEach, describe, expect, it } from 'vitest';
import { restartGraceMs } from '../../hub/ops/Presence.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { person } from './connect.ts';

type Listed = { id: number; presence: string; lastSeen: number | null };

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function statuses(socket: TestSocket, ids: number[]): Promise<Map<number, Listed>> {
  const { users } = await socket.request<{ users: Listed[] }>('users.get', { ids });
  return new Map(users.map((u) => [u.id, u]));
}

/** Presence frames (single or batched) about `ids` in `frames`. */
function presenceAbout(frames: readonly { type: string }[], ids: number[]) {
  const out: { userId: number; status: string }[] = [];
  for (const f of frames as {
    type: string;
    userId?: number;
    status?: string;
    updates?: { userId: number; status: string }[];
  }[]) {
    if (f.type === 'presence' && ids.includes(f.userId!)) out.push({ userId: f.userId!, status: f.status! });
    if (f.type === 'presence.batch')
      for (const u of f.updates!) if (ids.includes(u.userId)) out.push({ userId: u.userId, status: u.status });
  }
  return out;
}

describe('presence across a restart', () => {
  it(
    'SIGTERM: people who come back cause no presence frames; do-not-disturb is kept; one not back goes offline after the grace, last seen at the stop',
    async () => {
      hub = await startHub({ args: ['--presence-grace-ms', '1000'] });
      const watcher = await person(hub, 'watcher');
      const anna = await person(hub, 'anna');
      const boris = await person(hub, 'boris');
      const vera = await person(hub, 'vera');
      await boris.socket.request('presence.set', { status: 'dnd' });
      const ids = [anna.id, boris.id, vera.id];
      const before = await statuses(watcher.socket, ids);
      expect([...before.values()].map((u) => u.presence)).toEqual(['online', 'dnd', 'online']);

      const stoppedAt = Date.now();
      await hub.stop();
      const stopped = Date.now();
      await hub.restart();

      const w = await TestSocket.open(hub.wsUrl, watcher.token);
      // Nobody is back yet, and still everyone shows as they were at the stop.
      const waiting = await statuses(w, ids);
      expect([...waiting.values()].map((u) => u.presence)).toEqual(['online', 'dnd', 'online']);

      const a = await TestSocket.open(hub.wsUrl, anna.token);
      const b = await TestSocket.open(hub.wsUrl, boris.token);
      // Longer than the presence batch window of a hub this size: a change would have gone out.
      await sleep(2500);
      expect(presenceAbout(w.frames, ids)).toEqual([]);
      const back = await statuses(w, ids);
      expect(back.get(anna.id)!.presence).toBe('online');
      expect(back.get(boris.id)!.presence).toBe('dnd');
      // Boris's own client learns his status is still do-not-disturb.
      expect(b.hello.me.presence).toBe('dnd');

      // Vera does not come back: offline when the restart grace ends, last seen at the stop.
      const offline = await w.next(
        'presence',
        (f) => f.userId === vera.id && f.status === 'offline',
        restartGraceMs + 30_000,
      );
      expect(offline.lastSeen).toBeGreaterThanOrEqual(stoppedAt);
      expect(offline.lastSeen).toBeLessThanOrEqual(stopped);
      expect(presenceAbout(w.frames, [anna.id, boris.id])).toEqual([]);
      for (const s of [w, a, b]) s.close();
    },
    restartGraceMs + 90_000,
  );

  it('SIGKILL: nothing was kept, so the people who reconnect are announced online again', async () => {
    hub = await startHub({ args: ['--presence-grace-ms', '1000'] });
    const watcher = await person(hub, 'watcher');
    const anna = await person(hub, 'anna');
    await hub.kill();
    await hub.restart();
    const w = await TestSocket.open(hub.wsUrl, watcher.token);
    expect((await statuses(w, [anna.id])).get(anna.id)!.presence).toBe('offline');
    const online = w.next('presence', (f) => f.userId === anna.id && f.status === 'online', 20_000);
    const a = await TestSocket.open(hub.wsUrl, anna.token);
    await online;
    w.close();
    a.close();
  });
});
