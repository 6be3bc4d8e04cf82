import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { subprotocolFor } from '../../common/protocol/version.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.stop();
});

async function signedIn(login: string) {
  const u = await hub.addUser(login);
  return (await hub.login(login, u.password)).token;
}

async function call(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${hub.url}${path}`, { method: init.method ?? 'GET', headers: init.headers ?? {} });
  await res.text();
  return res;
}

/** Opens a socket with only the cookie (no token subprotocol): the upgrade's status, or 101 on hello. */
function upgradeWithCookie(cookie: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(hub.wsUrl, [subprotocolFor(1)], {
      headers: { cookie, ...(origin ? { origin } : {}) },
    });
    ws.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'hello') {
        ws.close();
        resolve(101);
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('the web client’s session cookie (HttpOnly, SameSite=Strict, CSRF header)', () => {
  it('is set only for a live token and with the CSRF header', async () => {
    const token = await signedIn('cookie-a');
    const bare = await call('/api/v1/session/cookie', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bare.status).toBe(403);
    expect(bare.headers.get('set-cookie')).toBeNull();
    const bad = await call('/api/v1/session/cookie', {
      method: 'POST',
      headers: { authorization: `Bearer ${'x'.repeat(43)}`, 'x-beseda-session': 'cookie' },
    });
    expect(bad.status).toBe(401);
    const ok = await call('/api/v1/session/cookie', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-beseda-session': 'cookie' },
    });
    expect(ok.status).toBe(204);
    // Plain http here: no Secure (a browser would drop a Secure cookie from an http answer).
    expect(ok.headers.get('set-cookie')).toBe(`beseda_session=${token}; Path=/; HttpOnly; SameSite=Strict`);
  });

  it('opens the HTTP API only with the CSRF header and from the hub’s own origin', async () => {
    const token = await signedIn('cookie-b');
    const cookie = `other=1; beseda_session=${token}`;
    expect((await call('/api/v1/me', { headers: { cookie } })).status).toBe(401);
    expect((await call('/api/v1/me', { headers: { cookie, 'x-beseda-session': 'cookie' } })).status).toBe(200);
    const own = `http://127.0.0.1:${hub.port}`;
    expect((await call('/api/v1/me', { headers: { cookie, 'x-beseda-session': 'cookie', origin: own } })).status).toBe(
      200,
    );
    const foreign = { cookie, 'x-beseda-session': 'cookie', origin: 'http://evil.example' };
    expect((await call('/api/v1/me', { headers: foreign })).status).toBe(401);
  });

  it('opens a WebSocket only from a page with an allowed Origin', async () => {
    const token = await signedIn('cookie-c');
    const cookie = `beseda_session=${token}`;
    expect(await upgradeWithCookie(cookie, `http://127.0.0.1:${hub.port}`)).toBe(101);
    expect(await upgradeWithCookie(cookie)).toBe(401); // no Origin: not a browser page, the cookie does not count
    expect(await upgradeWithCookie(cookie, 'http://evil.example')).toBe(403);
  });

  it('is Secure when the browser came over https through a trusted proxy', async () => {
    const proxied = await startHub({ args: ['--trust-proxy', '127.0.0.1'] });
    try {
      const u = await proxied.addUser('cookie-e');
      const { token } = await proxied.login('cookie-e', u.password);
      const res = await fetch(`${proxied.url}/api/v1/session/cookie`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-beseda-session': 'cookie', 'x-forwarded-proto': 'https' },
      });
      await res.text();
      expect(res.status).toBe(204);
      expect(res.headers.get('set-cookie')).toBe(`beseda_session=${token}; Path=/; HttpOnly; SameSite=Strict; Secure`);
    } finally {
      await proxied.stop();
    }
  });

  it('signing out through the cookie revokes the session and clears the cookie', async () => {
    const token = await signedIn('cookie-d');
    const cookie = `beseda_session=${token}`;
    expect((await call('/api/v1/session/cookie', { method: 'DELETE', headers: { cookie } })).status).toBe(403);
    expect((await call('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const out = await call('/api/v1/session/cookie', {
      method: 'DELETE',
      headers: { cookie, 'x-beseda-session': 'cookie' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('beseda_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict');
    expect((await call('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
