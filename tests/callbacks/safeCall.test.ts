import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock, openTestHub } from '../hub-core/harness.ts';
import { startReceiver, verifyCall } from './receiver.ts';

// The BotCaller (hub.callbacks.caller, used by buttons and commands) against a real local HTTP
// server standing in for 1C: signature, address rules, redirects, timeout, size, circuit breaker.

const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

async function hubWithBot(allow: string[], url: string, timeoutMs = 2_000, clock = fakeClock(Date.now())) {
  const t = await openTestHub({ callbacks: { allow, timeoutMs }, clock });
  const { bot } = await t.hub.addBot({ login: 'onec' });
  const change = await t.hub.callbacks.setCallback('onec', { url });
  return { ...t, botId: bot.id, secret: change.secret! };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: { code?: string }) => err.code,
  );

describe('calls to bots', () => {
  it('signs the exact body; a receiver verifies it, and a tampered body or timestamp or a replay fails', async () => {
    const r = await receiver(() => ({ status: 200, body: '{"ephemeral":"Готово"}' }));
    const { hub, botId, secret } = await hubWithBot(['127.0.0.1'], r.url);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const answer = await hub.callbacks.caller.call(botId, { type: 'action', action: { id: 'ok', value: 'да' } });
    expect(answer).toEqual({ ephemeral: 'Готово' });
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.body).toMatchObject({ type: 'action', bot: { id: botId, login: 'onec' } });
    expect(got.body.deliveryId).toBe(got.headers['x-beseda-delivery']);
    const seen = new Set<string>();
    expect(verifyCall(secret, got.headers, got.raw, undefined, seen)).toBe(true);
    // A replay of the same delivery, a changed byte, a shifted timestamp, a wrong secret: refused.
    expect(verifyCall(secret, got.headers, got.raw, undefined, seen)).toBe(false);
    const tampered = Buffer.from(got.raw.toString('utf8').replace('да', 'нет'));
    expect(verifyCall(secret, got.headers, tampered)).toBe(false);
    const ts = Number(got.headers['x-beseda-timestamp']);
    expect(verifyCall(secret, { ...got.headers, 'x-beseda-timestamp': String(ts - 1) }, got.raw)).toBe(false);
    expect(verifyCall(secret, got.headers, got.raw, ts + 301)).toBe(false);
    expect(
      verifyCall(
        secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
        got.headers,
        got.raw,
      ),
    ).toBe(false);
  });

  it('refuses loopback and private addresses unless listed, also behind a name', async () => {
    const r = await receiver();
    const t = await openTestHub({ callbacks: { allow: [], timeoutMs: 2_000 } });
    const { bot } = await t.hub.addBot({ login: 'onec' });
    for (const url of [
      r.url,
      'http://10.1.2.3/x',
      'http://169.254.169.254/latest',
      'http://[::1]:9/x',
      'http://0.0.0.0/',
    ])
      expect(await code(t.hub.callbacks.setCallback('onec', { url }))).toBe('bad_request');
    expect(await code(t.hub.callbacks.setCallback('onec', { url: 'file:///etc/passwd' }))).toBe('bad_request');
    // A name is checked where it connects: localhost resolves to a loopback address.
    await t.hub.callbacks.setCallback('onec', { url: `http://localhost:${r.port}/beseda` });
    expect(await code(t.hub.callbacks.caller.call(bot.id, { type: 'command' }))).toBe('bot_unavailable');
    expect(r.received).toHaveLength(0);
    // Listing another range does not open loopback; a host list refuses other hosts.
    const other = await openTestHub({ callbacks: { allow: ['10.0.0.0/8', '*.corp.local'], timeoutMs: 2_000 } });
    await other.hub.addBot({ login: 'onec' });
    expect(await code(other.hub.callbacks.setCallback('onec', { url: r.url }))).toBe('bad_request');
    expect(await code(other.hub.callbacks.setCallback('onec', { url: 'https://example.com/x' }))).toBe('bad_request');
    await other.hub.callbacks.setCallback('onec', { url: 'https://onec.corp.local/x' });
  });

  it('follows no redirect, gives up on a slow server, cuts a huge answer', async () => {
    const target = await receiver();
    const r = await receiver(() => ({ status: 200, body: '{}' }));
    const { hub, botId } = await hubWithBot(['127.0.0.1'], r.url, 1_500);
    r.setAnswer((_req, res) => {
      res.writeHead(307, { location: target.url }).end();
      return 'manual';
    });
    expect(await code(hub.callbacks.caller.call(botId, { type: 'command' }))).toBe('bot_unavailable');
    expect(target.received).toHaveLength(0);
    r.setAnswer(() => 'manual'); // never answers
    const started = Date.now();
    expect(await code(hub.callbacks.caller.call(botId, { type: 'command' }))).toBe('bot_unavailable');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    r.setAnswer(() => ({ status: 200, body: JSON.stringify({ text: 'x'.repeat(100_000) }) }));
    expect(await code(hub.callbacks.caller.call(botId, { type: 'command' }))).toBe('bot_unavailable');
    r.setAnswer(() => ({ status: 200, body: 'not json' }));
    expect(await code(hub.callbacks.caller.call(botId, { type: 'command' }))).toBe('bot_unavailable');
    r.setAnswer(() => ({ status: 200, body: '' }));
    expect(await hub.callbacks.caller.call(botId, { type: 'command' })).toEqual({});
  });

  it('opens the circuit after five failures in a row: the bot is not called until it is over', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const clock = fakeClock(Date.now());
    const { hub, botId } = await hubWithBot(['127.0.0.1'], r.url, 2_000, clock);
    for (let i = 0; i < 5; i++)
      expect(await code(hub.callbacks.caller.call(botId, { type: 'command' }))).toBe('bot_unavailable');
    expect(r.received).toHaveLength(5);
    r.setAnswer(() => ({ status: 200, body: '{}' }));
    expect(await code(hub.callbacks.caller.call(botId, { type: 'command' }))).toBe('bot_unavailable');
    expect(r.received).toHaveLength(5);
    // A minute later one trial goes through; it succeeds, so the breaker closes.
    clock.advance(60_000);
    expect(await hub.callbacks.caller.call(botId, { type: 'command' })).toEqual({});
    expect(await hub.callbacks.caller.call(botId, { type: 'command' })).toEqual({});
    expect(r.received).toHaveLength(7);
  });

  it('a bot without a callback URL, or turned off, is unavailable; --new-secret changes the secret', async () => {
    const r = await receiver();
    const { hub, botId, secret } = await hubWithBot(['127.0.0.1'], r.url);
    const renewed = await hub.callbacks.setCallback('onec', { newSecret: true });
    expect(renewed.secret).toBeDefined();
    expect(renewed.secret).not.toBe(secret);
    await hub.callbacks.caller.call(botId, { type: 'command' });
    const got = r.received[0]!;
    expect(verifyCall(renewed.secret!, got.headers, got.raw)).toBe(true);
    expect(verifyCall(secret, got.headers, got.raw)).toBe(false);
    await hub.callbacks.setCallback('onec', { url: null });
    expect(await code(hub.callbacks.caller.call(botId, { type: 'command' }))).toBe('bot_unavailable');
    expect(await code(hub.callbacks.setCallback('nobody', { url: r.url }))).toBe('not_found');
  });
});
