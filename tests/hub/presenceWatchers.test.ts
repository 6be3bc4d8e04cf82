// Presence goes to the connections that looked the user up (users.get, users.search, themselves),
// each hearing only the entries it watches — not to everyone (issue 19: at 18,400 connecting
// clients the N² bytes of everyone's presence stalled the clients). Real hub, real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person, type Person } from './connect.ts';

let hub: TestHub;
let alla: Person;
let vera: Person;
beforeAll(async () => {
  // A wide window, so arrivals at about the same time land in one batch even on a loaded machine.
  hub = await startHub({ args: ['--presence-batch-ms', '1500'] });
  alla = await person(hub, 'alla', 'Алла');
  vera = await person(hub, 'vera', 'Вера');
});
afterAll(async () => {
  await hub.stop();
});

/** Every presence entry a socket heard, single or batched, as [userId, status]. */
function heard(s: TestSocket): [number, string][] {
  const out: [number, string][] = [];
  for (const f of s.frames as ServerFrame[]) {
    if (f.type === 'presence') out.push([f.userId, f.status]);
    if (f.type === 'presence.batch') for (const u of f.updates) out.push([u.userId, u.status]);
  }
  return out;
}

/** A message in the general room that `s` hears after everything published before it. */
async function fence(from: Person, s: TestSocket): Promise<void> {
  const text = `забор ${cid()}`;
  const seen = s.next('message', (f) => f.message.text === text, 20_000);
  await from.socket.request('send', { conversationId: from.generalId, text, clientId: cid() });
  await seen;
}

describe('presence to watchers', () => {
  it('a change reaches who looked the person up, not the others', async () => {
    const boris = await person(hub, 'boris', 'Борис', [alla]);
    const dnd = alla.socket.next('presence', (f) => f.userId === boris.id && f.status === 'dnd', 20_000);
    await boris.socket.request('presence.set', { status: 'dnd' });
    await dnd;
    await fence(boris, vera.socket);
    expect(heard(vera.socket).filter(([id]) => id === boris.id)).toEqual([]);

    // A search hit is watched from then on.
    const found = await vera.socket.request<{ users: { id: number }[] }>('users.search', { query: 'Борис' });
    expect(found.users.map((u) => u.id)).toContain(boris.id);
    const away = vera.socket.next('presence', (f) => f.userId === boris.id && f.status === 'away', 20_000);
    await boris.socket.request('presence.set', { status: 'away' });
    await away;
    boris.socket.close();
  });

  it('a batch is split: each connection hears only the people it watches, in one frame', async () => {
    const [grisha, dasha] = [await hub.addUser('grisha', 'Гриша'), await hub.addUser('dasha', 'Даша')];
    await alla.socket.request('users.get', { ids: [grisha.id] });
    await vera.socket.request('users.get', { ids: [grisha.id, dasha.id] });
    const allaFrom = alla.socket.frames.length;
    const veraBatch = vera.socket.next(
      'presence.batch',
      (f) => [grisha.id, dasha.id].every((id) => f.updates.some((u) => u.userId === id)),
      20_000,
    );
    const sockets = await Promise.all(
      [grisha, dasha].map(async (u) => TestSocket.open(hub.wsUrl, (await hub.login(u.login, u.password)).token)),
    );
    const batch = await veraBatch;
    expect(batch.updates.every((u) => u.status === 'online')).toBe(true);
    await fence(vera, alla.socket);
    const allaHeard = (alla.socket.frames.slice(allaFrom) as ServerFrame[]).filter(
      (f) => f.type === 'presence' || f.type === 'presence.batch',
    );
    // Alla watches Гриша only: she hears him (alone, so as a `presence` frame), never Даша.
    expect(allaHeard.some((f) => f.type === 'presence' && f.userId === grisha.id && f.status === 'online')).toBe(true);
    expect(heard(alla.socket).filter(([id]) => id === dasha.id)).toEqual([]);
    for (const s of sockets) s.close();
  });
});
