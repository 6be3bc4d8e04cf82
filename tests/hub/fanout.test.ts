import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person, type Person } from './connect.ts';

// Fan-out (issue 19): one frame encoded once for all sockets, each socket's frames corked per
// event-loop turn and uncorked over several turns. These check what that must never change.

const generous = [
  '--send-per-second',
  '5000',
  '--send-burst',
  '5000',
  '--frames-per-second',
  '5000',
  '--frames-burst',
  '5000',
];
let hub: TestHub | undefined;
let sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets) s.ws.terminate();
  sockets = [];
  await hub?.stop();
  hub = undefined;
});

/** Opens `count` more sockets of one signed-in person (every socket of a user is a recipient). */
async function extraSockets(p: Person, count: number): Promise<TestSocket[]> {
  const opened: TestSocket[] = [];
  // A few at a time: a loaded machine accepts hundreds of upgrades slowly, not wrongly.
  for (let i = 0; i < count; i += 25) {
    const batch = Math.min(25, count - i);
    opened.push(...(await Promise.all(Array.from({ length: batch }, () => TestSocket.open(hub!.wsUrl, p.token)))));
  }
  sockets.push(...opened);
  return opened;
}

/** Polls until `done` holds (the check is the condition, the deadline only ends a hopeless wait). */
async function until(done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** The sender's messages and their updates, as this socket received them. */
function trail(s: TestSocket, senderId: number): string[] {
  const out: string[] = [];
  for (const f of s.frames as ServerFrame[]) {
    if (f.type === 'message' && f.message.senderId === senderId) out.push(`m${f.message.seq}`);
    if (f.type === 'message.updated' && f.update.message.senderId === senderId) out.push(`u${f.update.message.seq}`);
  }
  return out;
}

/** Stops reading from the socket, as a frozen or overloaded client would. */
const freeze = (s: TestSocket) => (s.ws as unknown as { _socket: Socket })._socket.pause();
const thaw = (s: TestSocket) => (s.ws as unknown as { _socket: Socket })._socket.resume();

describe('fan-out', () => {
  it('gives 500 sockets every message and edit exactly once and in order while the sender is acknowledged', async () => {
    hub = await startHub({ args: generous });
    const sender = await person(hub, 'sender');
    const readers = await Promise.all(Array.from({ length: 10 }, (_, i) => person(hub!, `reader${i}`)));
    for (const r of readers) await extraSockets(r, 49);
    const all = [sender.socket, ...readers.map((r) => r.socket), ...sockets];
    expect(all.length).toBeGreaterThanOrEqual(501);

    // Pipelined sends to the general room; each ack is answered at once by an edit of that message,
    // so an edit is published while the message's own fan-out may still be queued in corked sockets.
    const count = 40;
    const acked = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const { message } = await sender.socket.request<{ message: { seq: number } }>('send', {
          conversationId: sender.generalId,
          clientId: cid('fan'),
          text: `fan-out ${i}`,
        });
        await sender.socket.request('message.edit', { clientId: cid('ed'), seq: message.seq, text: `edited ${i}` });
        return message.seq;
      }),
    );
    // One sender's pipelined messages are stored in the order sent.
    expect(acked).toEqual([...acked].sort((a, b) => a - b));

    const complete = (s: TestSocket) => trail(s, sender.id).length >= 2 * count;
    await until(() => all.every(complete), 120_000);
    for (const s of all) {
      const seen = trail(s, sender.id);
      // Exactly once each, messages in seq order, and every edit after its message.
      expect(seen.filter((x) => x.startsWith('m'))).toEqual(acked.map((seq) => `m${seq}`));
      expect(seen.filter((x) => x.startsWith('u')).sort()).toEqual(acked.map((seq) => `u${seq}`).sort());
      for (const seq of acked) expect(seen.indexOf(`m${seq}`)).toBeLessThan(seen.indexOf(`u${seq}`));
    }
  }, 300_000);

  it('leaves nothing corked: sockets closed mid-burst do not hold others back, a later socket hears promptly', async () => {
    hub = await startHub({ args: generous });
    const sender = await person(hub, 'sender');
    const reader = await person(hub, 'reader');
    const many = await extraSockets(reader, 300);
    const burst = Array.from({ length: 30 }, (_, i) =>
      sender.socket.request('send', { conversationId: sender.generalId, clientId: cid('b'), text: `burst ${i}` }),
    );
    // Half the sockets vanish while the burst is being written to them (some while corked).
    await sender.socket.next('message', (f) => f.message.senderId === sender.id);
    for (const s of many.slice(0, 150)) s.ws.terminate();
    await Promise.all(burst);

    const late = await TestSocket.open(hub.wsUrl, reader.token);
    sockets.push(late);
    const { message } = await sender.socket.request<{ message: { seq: number } }>('send', {
      conversationId: sender.generalId,
      clientId: cid('after'),
      text: 'after the burst',
    });
    // A socket left corked would never get this frame: the deadline is for that, not for speed.
    const heard = (s: TestSocket) => s.all('message').some((f) => f.message.seq === message.seq);
    const open = [late, reader.socket, ...many.slice(150)];
    await until(() => open.every(heard), 30_000);
    expect(open.filter((s) => !heard(s))).toHaveLength(0);
    const health = (await (await fetch(`${hub.url}/healthz`)).json()) as { status: string; connections: number };
    expect(health.status).toBe('ok');
  }, 300_000);

  it('sheds typing for a consumer over the soft limit and still delivers its messages in order', async () => {
    hub = await startHub({ args: ['--soft-buffer-bytes', '16384', '--hard-buffer-bytes', '268435456', ...generous] });
    const sender = await person(hub, 'sender');
    const slow = await person(hub, 'slow');
    const healthy = await person(hub, 'healthy');
    freeze(slow.socket);
    // More than the kernel's socket buffers hold, so the hub's own buffer for `slow` grows past 16 KiB.
    const text = 'ж'.repeat(8000);
    const count = 1000;
    const seqs = await Promise.all(
      Array.from({ length: count }, async () => {
        const r = await sender.socket.request<{ message: { seq: number } }>('send', {
          conversationId: sender.generalId,
          clientId: cid('big'),
          text,
        });
        return r.message.seq;
      }),
    );
    await until(() => healthy.socket.all('message').filter((f) => f.message.senderId === sender.id).length >= count);
    await sender.socket.request('typing', { conversationId: sender.generalId });
    await healthy.socket.next('typing', (f) => f.userId === sender.id, 30_000);
    const health = (await (await fetch(`${hub.url}/healthz`)).json()) as {
      dropped: { ephemeral: number; slowConsumers: number };
    };
    expect(health.dropped.ephemeral).toBeGreaterThanOrEqual(1);
    expect(health.dropped.slowConsumers).toBe(0);

    thaw(slow.socket);
    await until(() => slow.socket.all('message').filter((f) => f.message.senderId === sender.id).length >= count);
    expect(
      slow.socket
        .all('message')
        .filter((f) => f.message.senderId === sender.id)
        .map((f) => f.message.seq),
    ).toEqual([...seqs].sort((a, b) => a - b));
    expect(slow.socket.all('typing').filter((f) => f.userId === sender.id)).toHaveLength(0);
  }, 300_000);
});
