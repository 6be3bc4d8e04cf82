import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startHub({ args: ['--origin', 'https://1c.example.ru'] });
  const u = await hub.addUser('anna', 'Анна');
  token = (await hub.login('anna', u.password)).token;
});
afterAll(async () => {
  await hub.stop();
});

/** Tries an upgrade and reports the HTTP status of a refusal (or 101). */
function tryUpgrade(protocols: string[], headers: Record<string, string> = {}, path = '/ws'): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${hub.port}${path}`, protocols, { headers });
    ws.on('open', () => {
      // Resolve once closed, so the hub has let go of the socket before the test counts.
      ws.on('close', () => resolve(101));
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('WebSocket upgrade', () => {
  it('authenticates in the upgrade: no token, a bad token, no version, a wrong path are refused', async () => {
    expect(await tryUpgrade(['beseda.v1'])).toBe(401);
    expect(await tryUpgrade(['beseda.v1', 'beseda.token.not-a-real-token-at-all'])).toBe(401);
    expect(await tryUpgrade(['beseda.v99', `beseda.token.${token}`])).toBe(426);
    expect(await tryUpgrade(['beseda.v1', `beseda.token.${token}`], {}, '/other')).toBe(404);
    expect(await tryUpgrade(['beseda.v1', `beseda.token.${token}`])).toBe(101);
    // No refused attempt left a socket behind (the accepted one is let go of shortly after its close).
    let connections = -1;
    for (let i = 0; i < 50 && connections !== 0; i++) {
      connections = ((await (await fetch(`${hub.url}/healthz`)).json()) as { connections: number }).connections;
      if (connections !== 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(connections).toBe(0);
  });

  it('accepts the token in an Authorization header too (desktop clients)', async () => {
    expect(await tryUpgrade(['beseda.v1'], { authorization: `Bearer ${token}` })).toBe(101);
  });

  it('checks the Origin of browser clients against the hub itself and the allowlist', async () => {
    expect(await tryUpgrade(['beseda.v1', `beseda.token.${token}`], { origin: 'https://evil.example' })).toBe(403);
    expect(await tryUpgrade(['beseda.v1', `beseda.token.${token}`], { origin: 'https://1c.example.ru' })).toBe(101);
    expect(await tryUpgrade(['beseda.v1', `beseda.token.${token}`], { origin: hub.url })).toBe(101);
  });

  it('selects only the version subprotocol (the token is never echoed back)', async () => {
    const s = await TestSocket.open(hub.wsUrl, token);
    expect(s.ws.protocol).toBe('beseda.v1');
    expect(s.hello).toMatchObject({ type: 'hello', protocol: 1, me: { login: 'anna' } });
    s.close();
  });
});
