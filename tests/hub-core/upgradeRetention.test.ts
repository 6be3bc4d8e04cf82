// An open WebSocket must not keep its upgrade request alive (issue 19, memory per connection): a
// heap snapshot at 18,400 connections found every IncomingMessage — headers, raw headers, the URL
// — still held, because the socket's `error` listener was an arrow sharing the upgrade
// listener's closure context with the request. Real hub core, real HTTP server, real ws client.
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { subprotocolFor, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';
import { ConnectionRegistry } from '../../hub/server/ConnectionRegistry.ts';
import { upgradeHandler } from '../../hub/server/upgradeHandler.ts';
import { openTestHub } from './harness.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('an open WebSocket and its upgrade request', () => {
  it('lets the request be collected while the socket stays open and answers', async () => {
    const t = await openTestHub();
    const olga = await t.user('olga');
    const { token } = await t.hub.login('olga', 'pw-olga-secret', '127.0.0.1');
    const log = pino({ level: 'silent' });
    const registry = new ConnectionRegistry(log, 1 << 20, 4 << 20);
    const listener = upgradeHandler({
      hub: t.hub,
      registry,
      log,
      inflight: new Set(),
      name: 'test',
      config: { allowedOrigins: [], framesPerSecond: 100, framesBurst: 100 },
      secure: false,
      stopping: () => false,
    });
    const requests: WeakRef<IncomingMessage>[] = [];
    const server = http.createServer((_req, res) => res.end());
    server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      requests.push(new WeakRef(req));
      listener(req, socket, head);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;

    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, [subprotocolFor(1), `${tokenSubprotocolPrefix}${token}`]);
    closers.push(() => ws.close());
    const frames: { type: string; id?: string }[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as { type: string }));
    await expect.poll(() => frames.some((f) => f.type === 'hello'), { timeout: 10_000 }).toBe(true);
    expect(requests).toHaveLength(1);

    // Collections over a few turns: the request's last holders (the upgrade's promise chain) are
    // gone once it settled.
    for (let i = 0; i < 5 && requests[0]!.deref() !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    expect(requests[0]!.deref(), 'the upgrade request is still reachable').toBeUndefined();

    // The connection itself is alive and served.
    ws.send(JSON.stringify({ type: 'users.get', id: 'q1', ids: [olga.userId] }));
    await expect.poll(() => frames.some((f) => f.type === 'result' && f.id === 'q1'), { timeout: 10_000 }).toBe(true);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});
