// Who may read /metrics on a real hub: its own machine (127.0.0.1; a request from 127.0.0.2 stands
// for another machine), the --metrics-allow addresses, or a bearer --metrics-token from anywhere;
// anyone else 403 with the reason. A loopback request that came through a proxy does not count as
// local; behind a --trust-proxy the client's address from X-Forwarded-For is the one checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { get, parseExposition } from './metricsText.ts';

const token = 'prometheus-scrape-token-2026';
let hub: TestHub;
let proxied: TestHub;
beforeAll(async () => {
  [hub, proxied] = await Promise.all([
    startHub({ args: ['--metrics-allow', '127.0.0.2,127.0.1.0/24', '--metrics-token', token] }),
    // The hub behind a proxy on its own machine: only 127.0.0.1 is trusted to say who the client is.
    startHub({ args: ['--trust-proxy', '127.0.0.1', '--metrics-allow', '10.20.30.0/24'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([hub.stop(), proxied.stop()]);
});

const metrics = (h: TestHub, options: Parameters<typeof get>[1] = {}) => get(`${h.url}/metrics`, options);
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** A 403's JSON error, checked to be one. */
function refusal(answer: { status: number; body: string }): string {
  expect(answer.status).toBe(403);
  const body = JSON.parse(answer.body) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('forbidden');
  return body.error.message;
}

describe('/metrics access', () => {
  it('serves the hub’s own machine, listed addresses and ranges', async () => {
    for (const from of ['127.0.0.1', '127.0.0.2', '127.0.1.7']) {
      const answer = await metrics(hub, { from });
      expect(answer.status, from).toBe(200);
      expect(parseExposition(answer.body).types.get('beseda_connections')).toBe('gauge');
    }
  });

  it('refuses any other address with the reason, unless it brings the token', async () => {
    const reason = refusal(await metrics(hub, { from: '127.0.0.3' }));
    expect(reason).toMatch(/127\.0\.0\.3 is not in --metrics-allow/);
    expect(reason).toMatch(/--metrics-token/);
    expect(refusal(await metrics(hub, { from: '127.0.0.3', headers: bearer('not-the-token-at-all') }))).toMatch(
      /bearer token is not/,
    );
    // Nearly the token is not the token.
    expect(refusal(await metrics(hub, { from: '127.0.0.3', headers: bearer(`${token}x`) }))).toMatch(/not/);
    const answer = await metrics(hub, { from: '127.0.0.3', headers: bearer(token) });
    expect(answer.status).toBe(200);
    expect(parseExposition(answer.body).types.has('beseda_messages_total')).toBe(true);
  });

  it('does not count a request forwarded by an untrusted proxy as local', async () => {
    const reason = refusal(await metrics(hub, { headers: { 'x-forwarded-for': '203.0.113.9' } }));
    expect(reason).toMatch(/forwarded by a proxy/);
    expect(refusal(await metrics(hub, { headers: { forwarded: 'for=203.0.113.9' } }))).toMatch(/forwarded/);
    // The token still opens it, from wherever the proxy forwarded it.
    expect((await metrics(hub, { headers: { 'x-forwarded-for': '203.0.113.9', ...bearer(token) } })).status).toBe(200);
  });

  it('checks the client’s address behind a trusted proxy, not the proxy’s', async () => {
    expect((await metrics(proxied)).status).toBe(200);
    const outside = refusal(await metrics(proxied, { headers: { 'x-forwarded-for': '203.0.113.9' } }));
    expect(outside).toMatch(/203\.0\.113\.9 is not in --metrics-allow/);
    expect((await metrics(proxied, { headers: { 'x-forwarded-for': '10.20.30.40' } })).status).toBe(200);
    // A client's own X-Forwarded-For sent from an untrusted address is not believed.
    const spoofed = refusal(
      await metrics(proxied, { from: '127.0.0.2', headers: { 'x-forwarded-for': '10.20.30.40' } }),
    );
    expect(spoofed).toMatch(/127\.0\.0\.2 is not in --metrics-allow/);
    // No token configured: a bearer gets the reason, not the metrics.
    expect(refusal(await metrics(proxied, { from: '127.0.0.2', headers: bearer(token) }))).toMatch(
      /no --metrics-token/,
    );
  });

  it('refuses to start with a --metrics-allow entry that is not an address or range', async () => {
    await expect(startHub({ args: ['--metrics-allow', '10.0.0.0/99'] })).rejects.toThrow(
      /--metrics-allow \(metricsAllow\): "10\.0\.0\.0\/99" is not an IP address/,
    );
  });
});
