// The heartbeat after the hub was busy: a pong that arrived while the event loop was blocked is
// still unread when the next tick fires (timers run before sockets are read), and must not get a
// live socket terminated. A client that really stops answering is still dropped.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Connection } from '../../hub/server/Connection.ts';
import { startHeartbeat } from '../../hub/server/startHeartbeat.ts';

// Long enough that the other process answers a ping within the block even on a loaded machine.
const intervalMs = 1000;
const busyWait = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

/** A ws client in its own process (its own event loop answers pings while ours is blocked). */
function childClient(url: string, answerPings: boolean): ChildProcess {
  const code = `const WebSocket = require('ws');
    const ws = new WebSocket(${JSON.stringify(url)}, { autoPong: ${answerPings} });
    ws.on('close', () => process.exit(0));
    setInterval(() => {}, 1000);`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

describe('heartbeat', { timeout: 30_000 }, () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });

  async function setUp(answerPings: boolean) {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const child = childClient(url, answerPings);
    cleanup.push(() => {
      child.kill();
      wss.close();
      server.close();
    });
    const ws = await new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const conn = { id: 'c1', ws, awaitingPong: false } as unknown as Connection;
    ws.on('pong', () => (conn.awaitingPong = false));
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    let blockOnce = true;
    const registry = {
      *connections() {
        yield conn;
        // Right after the first ping, once this turn's poll found nothing yet: the hub is busy
        // (here in the check phase, as in a burst of I/O callbacks) for longer than an interval, so
        // the pong arrives meanwhile and the next tick fires before the loop reads it.
        if (blockOnce) {
          blockOnce = false;
          setImmediate(() => busyWait(intervalMs * 2));
        }
      },
    };
    const stop = startHeartbeat(registry, pino({ level: 'silent' }), intervalMs);
    cleanup.push(stop);
    return { ws, closed };
  }

  it('keeps a socket whose pong came while the hub was busy', async () => {
    const { ws, closed } = await setUp(true);
    const outcome = await Promise.race([
      closed.then(() => 'terminated'),
      new Promise((r) => setTimeout(r, intervalMs * 6)).then(() => 'open'),
    ]);
    expect(outcome).toBe('open');
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it('drops a socket that does not answer', async () => {
    const { closed } = await setUp(false);
    const outcome = await Promise.race([
      closed.then(() => 'terminated'),
      new Promise((r) => setTimeout(r, intervalMs * 10)).then(() => 'open'),
    ]);
    expect(outcome).toBe('terminated');
  });
});
