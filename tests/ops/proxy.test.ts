// --trust-proxy: the client's address comes from X-Forwarded-For only when the socket's peer is a
// trusted proxy, read right to left. Unit cases on clientAddressOf, then a real hub that trusts
// 127.0.0.1 (standing in for the proxy) and is also reached from 127.0.0.2 (an untrusted machine):
// the sign-in log, the sign-in throttle, the WebSocket refusal log and the Origin check under
// X-Forwarded-Proto all follow the believed address and nothing a client merely claims.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../hub/config/loadConfig.ts';
import { clientAddressOf, forwardedSecure, proxyTrust } from '../../hub/server/clientAddress.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { ProtocolSocket, request, signIn, type Via, waitForLog } from './proxyHelpers.ts';

/** A request as the server sees it: the socket's peer and the headers. */
const req = (peer: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

describe('clientAddressOf', () => {
  const trust = proxyTrust(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
  const xff = (value: string) => ({ 'x-forwarded-for': value });

  it('believes X-Forwarded-For only from a trusted peer', () => {
    expect(clientAddressOf(req('198.51.100.7', xff('203.0.113.1')), trust)).toBe('198.51.100.7');
    expect(clientAddressOf(req('127.0.0.1', xff('203.0.113.1')), trust)).toBe('203.0.113.1');
    expect(clientAddressOf(req('127.0.0.1'), trust)).toBe('127.0.0.1');
    expect(clientAddressOf(req('127.0.0.1', xff('')), trust)).toBe('127.0.0.1');
    // No proxies configured: the header is never read.
    expect(clientAddressOf(req('127.0.0.1', xff('203.0.113.1')), proxyTrust([]))).toBe('127.0.0.1');
  });

  it('reads right to left, skipping trusted hops; what a client wrote further left is ignored', () => {
    // The client claimed 1.1.1.1; the proxy appended the address it really saw.
    expect(clientAddressOf(req('127.0.0.1', xff('1.1.1.1, 203.0.113.5')), trust)).toBe('203.0.113.5');
    // Two proxies (10.1.1.1 in front of 127.0.0.1), both trusted.
    expect(clientAddressOf(req('127.0.0.1', xff('1.1.1.1, 203.0.113.5, 10.1.1.1')), trust)).toBe('203.0.113.5');
    // Every hop trusted: the leftmost.
    expect(clientAddressOf(req('127.0.0.1', xff('10.2.2.2, 10.1.1.1')), trust)).toBe('10.2.2.2');
    // Several headers are joined by Node with ", ": the same rule.
    expect(clientAddressOf(req('127.0.0.1', xff('1.1.1.1,203.0.113.5 ,  10.1.1.1')), trust)).toBe('203.0.113.5');
  });

  it('a malformed hop gives the socket address', () => {
    for (const bad of ['unknown', '203.0.113.5:4711', '203.0.113.5, 10.1.1.1, nonsense', '999.1.1.1', ', ,'])
      expect(clientAddressOf(req('127.0.0.1', xff(bad)), trust), bad).toBe('127.0.0.1');
    // Garbage left of the first untrusted hop is never read.
    expect(clientAddressOf(req('127.0.0.1', xff('<script>, 203.0.113.5')), trust)).toBe('203.0.113.5');
  });

  it('handles IPv6, IPv4-mapped peers and hops, and CIDR ranges', () => {
    expect(clientAddressOf(req('::ffff:127.0.0.1', xff('2001:db8::7')), trust)).toBe('2001:db8::7');
    expect(clientAddressOf(req('::ffff:10.9.8.7', xff('::ffff:203.0.113.9')), trust)).toBe('203.0.113.9');
    expect(clientAddressOf(req('fd12::1', xff('2001:db8::7, fd00::5')), trust)).toBe('2001:db8::7');
    expect(clientAddressOf(req('fe80::1', xff('2001:db8::7')), trust)).toBe('fe80::1');
    expect(clientAddressOf(req('::ffff:198.51.100.7'), trust)).toBe('198.51.100.7');
    const mapped = proxyTrust(['::ffff:192.0.2.1']);
    expect(clientAddressOf(req('192.0.2.1', xff('203.0.113.9')), mapped)).toBe('203.0.113.9');
    expect(clientAddressOf(req('192.0.2.2', xff('203.0.113.9')), mapped)).toBe('192.0.2.2');
  });

  it('refuses a wrong --trust-proxy entry', () => {
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'fd00::/129', 'proxy.local', '10.0.0.0/', '10.0.0.0/x'])
      expect(() => proxyTrust([bad]), bad).toThrow(ConfigError);
  });

  it('X-Forwarded-Proto counts only from a trusted peer', () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect(forwardedSecure(req('127.0.0.1', https), trust, false)).toBe(true);
    expect(forwardedSecure(req('198.51.100.7', https), trust, false)).toBe(false);
    expect(forwardedSecure(req('127.0.0.1', { 'x-forwarded-proto': 'http' }), trust, false)).toBe(false);
    expect(forwardedSecure(req('198.51.100.7'), trust, true)).toBe(true);
  });
});

describe('a hub with --trust-proxy 127.0.0.1', () => {
  let hub: TestHub;
  /** The proxy: connects from 127.0.0.1 and says who its client was. */
  const proxy = (client: string): Via => ({ localAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
  /** Another machine: connects from 127.0.0.2 and claims to be `claimed`. */
  const stranger = (claimed: string): Via => ({ localAddress: '127.0.0.2', headers: { 'x-forwarded-for': claimed } });
  const signedInFrom = async (userId: number) =>
    (await waitForLog(hub.output, (l) => l.msg === 'signed in' && l.userId === userId))?.source;

  beforeAll(async () => {
    hub = await startHub({ args: ['--trust-proxy', '127.0.0.1'] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('signs a proxied client in under its own address; a stranger’s claim is not believed', async () => {
    const viaProxy = await hub.addUser('proxied');
    await signIn(hub.url, 'proxied', viaProxy.password, proxy('1.1.1.1, 203.0.113.5'));
    expect(await signedInFrom(viaProxy.id)).toBe('203.0.113.5');

    const direct = await hub.addUser('direct');
    await signIn(hub.url, 'direct', direct.password, stranger('203.0.113.5'));
    expect(await signedInFrom(direct.id)).toBe('127.0.0.2');
  });

  it('throttles sign-in by the forwarded address, not the proxy’s or a claimed one', async () => {
    const attempt = (login: string, via: Via) =>
      request(`${hub.url}/api/v1/login`, {
        ...via,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...via.headers },
        body: JSON.stringify({ login, password: 'wrong-password' }),
      });
    // One client behind the proxy guesses many logins until its address is refused for a while
    // (each refusal says how long; waiting it out and failing again doubles it).
    let n = 0;
    let retryAfterMs = 0;
    while (retryAfterMs <= 10_000 && n < 400) {
      const answer = await attempt(`guess${n++}`, proxy('198.51.100.7'));
      if (answer.status === 429) {
        retryAfterMs = (JSON.parse(answer.body.toString()) as { error: { retryAfterMs: number } }).error.retryAfterMs;
        if (retryAfterMs <= 10_000) await new Promise((r) => setTimeout(r, retryAfterMs + 50));
      } else expect(answer.status).toBe(401);
    }
    expect(retryAfterMs).toBeGreaterThan(10_000);
    // Within that window: the same client is still refused, ...
    expect((await attempt('late-guess', proxy('198.51.100.7'))).status).toBe(429);
    // ... another client of the same proxy is not (so the proxy's own address was not what counted) ...
    expect((await attempt('colleague', proxy('198.51.100.8'))).status).toBe(401);
    // ... and a stranger claiming the throttled address is judged as itself.
    expect((await attempt('stranger', stranger('198.51.100.7'))).status).toBe(401);
  }, 120_000);

  it('names the client in a WebSocket refusal and takes https from X-Forwarded-Proto for the Origin', async () => {
    const user = await hub.addUser('wsuser');
    const token = await signIn(hub.url, 'wsuser', user.password);
    const wsUrl = hub.wsUrl;
    const refused = ProtocolSocket.open(wsUrl, 'x'.repeat(43), proxy('203.0.113.77'));
    await expect(refused).rejects.toMatchObject({ status: 401 });
    const refusal = await waitForLog(hub.output, (l) => l.msg === 'websocket refused' && l.status === 401);
    expect(refusal?.remote).toBe('203.0.113.77');

    // A browser on https://HOST (TLS ended at the proxy) sends that Origin; only the trusted proxy's
    // X-Forwarded-Proto makes it the hub's own origin.
    const host = `127.0.0.1:${hub.port}`;
    const browser = { origin: `https://${host}`, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.78' };
    const socket = await ProtocolSocket.open(wsUrl, token, { localAddress: '127.0.0.1', headers: browser });
    expect(socket.hello.type).toBe('hello');
    socket.close();
    await expect(
      ProtocolSocket.open(wsUrl, token, { localAddress: '127.0.0.2', headers: browser }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('a hub without --trust-proxy', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('never reads X-Forwarded-For, even from loopback', async () => {
    const user = await hub.addUser('plain');
    await signIn(hub.url, 'plain', user.password, {
      localAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '1.2.3.4' },
    });
    const line = await waitForLog(hub.output, (l) => l.msg === 'signed in' && l.userId === user.id);
    expect(line?.source).toBe('127.0.0.1');
  });

  it('refuses to start with a wrong --trust-proxy entry, naming it', async () => {
    await expect(startHub({ args: ['--trust-proxy', '10.0.0.0/99'] })).rejects.toThrow(/10\.0\.0\.0\/99/);
  });
});
