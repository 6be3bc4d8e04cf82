import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import type { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person } from './connect.ts';

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
afterEach(async () => {
  await hub?.stop();
});

/** Stops reading from the socket, as a frozen or overloaded client would. */
const freeze = (s: TestSocket) => (s.ws as unknown as { _socket: Socket })._socket.pause();

describe('back-pressure and dead sockets', () => {
  it('cuts off a consumer that stops reading, and keeps serving everyone else', async () => {
    hub = await startHub({ args: ['--soft-buffer-bytes', '16384', '--hard-buffer-bytes', '65536', ...generous] });
    const sender = await person(hub, 'sender');
    const slow = await person(hub, 'slow');
    const healthy = await person(hub, 'healthy');
    freeze(slow.socket);
    // More than the kernel's socket buffers can hold, so the hub's own buffer must grow.
    const text = 'ж'.repeat(8000);
    const count = 1000;
    for (let i = 0; i < count; i++)
      await sender.socket.request('send', { conversationId: sender.generalId, clientId: cid('bp'), text });
    // Up to 30 s for the last deliveries: a loaded machine is slow, not lossy.
    for (let i = 0; i < 600; i++) {
      if (healthy.socket.all('message').filter((f) => f.message.senderId === sender.id).length === count) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(healthy.socket.all('message').filter((f) => f.message.senderId === sender.id)).toHaveLength(count);
    const health = (await (await fetch(`${hub.url}/healthz`)).json()) as { dropped: { slowConsumers: number } };
    expect(health.dropped.slowConsumers).toBe(1);
    // 1,000 sends one after another: a minute and more at load average 13.
  }, 300_000);

  it('drops a socket that stops answering pings', async () => {
    // A 1 s heartbeat: the live sockets of a loaded test process must still answer within it.
    hub = await startHub({ args: ['--heartbeat-ms', '1000', '--presence-grace-ms', '100'] });
    const watcher = await person(hub, 'watcher');
    const dead = await person(hub, 'dead', 'dead', [watcher]);
    const offline = watcher.socket.next('presence', (f) => f.userId === dead.id && f.status === 'offline', 20_000);
    freeze(dead.socket);
    await offline;
    const health = (await (await fetch(`${hub.url}/healthz`)).json()) as { connections: number };
    expect(health.connections).toBe(1);
  });
});
