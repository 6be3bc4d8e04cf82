import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person, type Person } from './connect.ts';

let hub: TestHub;
let p: Person;
beforeAll(async () => {
  hub = await startHub({ args: ['--frames-per-second', '20', '--frames-burst', '40'] });
  p = await person(hub, 'robust');
});
afterAll(async () => {
  await hub.stop();
});

/** The next error frame. */
const nextError = (s: TestSocket) => s.next('error');

describe('bad input over the WebSocket', () => {
  it('answers malformed JSON, unknown types and wrong field types with clear errors and stays up', async () => {
    let err = nextError(p.socket);
    p.socket.sendRaw('{"type": "send", ');
    expect(await err).toMatchObject({ id: null, code: 'bad_request', message: expect.stringMatching(/JSON/) });

    err = nextError(p.socket);
    p.socket.sendRaw(JSON.stringify({ type: 'launch.rockets', id: 'x1' }));
    expect(await err).toMatchObject({ id: 'x1', code: 'unknown_type' });

    err = nextError(p.socket);
    p.socket.sendRaw(JSON.stringify({ type: 'send', id: 'x2', conversationId: 'general', clientId: cid(), text: 5 }));
    expect(await err).toMatchObject({
      id: 'x2',
      code: 'bad_request',
      message: expect.stringMatching(/conversationId|text/),
    });

    err = nextError(p.socket);
    p.socket.sendRaw(JSON.stringify({ type: 'history', id: 'x3', conversationId: 1e300 }));
    expect(await err).toMatchObject({ id: 'x3', code: 'bad_request' });

    err = nextError(p.socket);
    p.socket.sendRaw(JSON.stringify([1, 2, 3]));
    expect(await err).toMatchObject({ code: 'bad_request' });

    // Still serving this very socket.
    const { message } = await p.socket.request<{ message: { seq: number } }>('send', {
      conversationId: p.generalId,
      clientId: cid(),
      text: 'всё ещё работаю',
    });
    expect(message.seq).toBeGreaterThan(0);
  });

  it('closes on a binary frame (1003) and on an oversized frame (1009)', async () => {
    const s1 = await TestSocket.open(hub.wsUrl, p.token);
    s1.sendRaw(Buffer.from([1, 2, 3]));
    expect((await s1.closed).code).toBe(1003);
    const s2 = await TestSocket.open(hub.wsUrl, p.token);
    s2.sendRaw(JSON.stringify({ type: 'send', id: 'big', text: 'x'.repeat(70 * 1024) }));
    expect((await s2.closed).code).toBe(1009);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
  });

  it('rate-limits a flood with errors, then cuts a client that keeps flooding (4008)', async () => {
    const s = await TestSocket.open(hub.wsUrl, p.token);
    for (let i = 0; i < 100; i++) s.sendRaw(JSON.stringify({ type: 'conversations.list', id: `f${i}` }));
    const limited = await s.next('error', (f) => f.code === 'rate_limited');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    const flood = setInterval(() => {
      for (let i = 0; i < 50; i++)
        if (s.ws.readyState === 1) s.sendRaw(JSON.stringify({ type: 'typing', id: 't', conversationId: p.generalId }));
    }, 50);
    const closed = await s.closed;
    clearInterval(flood);
    expect(closed.code).toBe(4008);
    // Another client of the same user was not affected.
    await p.socket.request('conversations.list');
  }, 20_000);

  it('closes a disabled user’s sockets at once and refuses their token from then on', async () => {
    const d = await person(hub, 'disabled');
    const closed = d.socket.closed;
    await hub.admin_('user.disable', { login: 'disabled' });
    expect((await closed).code).toBe(4103);
    await expect(TestSocket.open(hub.wsUrl, d.token)).rejects.toMatchObject({ status: 401 });
    const res = await fetch(`${hub.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'disabled', password: d.password }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'account_disabled' } });
  });

  it('survives slowloris sockets and a request with thousands of headers', async () => {
    const net = await import('node:net');
    const slow = Array.from({ length: 20 }, () => {
      const s = net.connect(hub.port, '127.0.0.1');
      s.on('error', () => {});
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      return s;
    });
    const headers: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) headers[`x-h${i}`] = 'v';
    const many = await fetch(`${hub.url}/healthz`, { headers }).catch(() => null);
    expect(many === null || many.status < 500 || many.status === 431).toBe(true);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    for (const s of slow) s.destroy();
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM closes sockets with "going away" and exits cleanly', async () => {
    const h = await startHub();
    const q = await person(h, 'quitter');
    const closed = q.socket.closed;
    const code = await h.stop();
    expect((await closed).code).toBe(1001);
    expect(code).toBe(0);
  });
});
