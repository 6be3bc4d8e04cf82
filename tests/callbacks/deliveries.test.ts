import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cli, clientId, http } from '../integrations/integrationHelpers.ts';
import { type Received, startReceiver, until, verifyCall } from './receiver.ts';

// The durable `message` delivery queue of a real hub process to a real local HTTP server standing
// in for 1C: what a bot hears (and never hears), signatures, the same delivery id on every retry,
// at-least-once across a hub restart.

let hub: TestHub;
let r: Awaited<ReturnType<typeof startReceiver>>;
let secret: string;
let botToken: string;
let ivan: { socket: TestSocket; id: number };
const rooms: Record<string, number> = {};

beforeAll(async () => {
  r = await startReceiver();
  // Loopback is refused unless IT lists it: the stand-in for 1C listens on 127.0.0.1.
  hub = await startHub({ args: ['--callback-allow', '127.0.0.1'] });
  const person = await hub.addUser('ivan', 'Иван Петров');
  ivan = { socket: await TestSocket.open(hub.wsUrl, (await hub.login('ivan', person.password)).token), id: person.id };
  for (const [name, closed] of [
    ['Склад', false],
    ['Бухгалтерия', true],
  ] as const)
    rooms[name] = (
      (await hub.admin_('room.add', { name, members: ['ivan'], closed })) as { room: { id: number } }
    ).room.id;
  const add = cli(['bot', 'add', 'onec', '--rooms', 'Склад', '--callback-url', r.url, '--data', hub.dataDir]);
  expect(add.code, add.err).toBe(0);
  botToken = /^\s+(bot_[A-Za-z0-9_-]{43})$/m.exec(add.out)![1]!;
  secret = /Callback secret[^\n]*\n\s+(\S+)/.exec(add.out)![1]!;
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const botId = Number(/Created bot onec[^\n]*?id (\d+)/.exec(add.out)![1]);
  rooms.direct = (
    await ivan.socket.request<{ conversation: { id: number } }>('direct.open', { userId: botId })
  ).conversation.id;
}, 180_000);
afterAll(async () => {
  ivan?.socket.close();
  await hub?.stop();
  await r?.close();
});

/** Ivan writes in a conversation (over his WebSocket, as the apps do). */
const say = (conversation: string, text: string) =>
  ivan.socket.request('send', { conversationId: rooms[conversation], clientId: clientId(text), text });
const forText = (text: string) => (x: Received) => x.body?.message?.text === text;

describe('message deliveries to a bot (callback URL)', () => {
  it('delivers direct messages, mentions and room messages, signed; never other conversations or its own', async () => {
    await say('Бухгалтерия', 'Секрет для @onec'); // the bot is not a member: never
    const own = await http(hub, 'POST', '/api/v1/messages', {
      token: botToken,
      json: { to: '#Склад', text: 'Сам себе' },
    });
    expect(own.status, own.text).toBe(201); // its own message: never
    await say('Склад', 'Проверьте остаток, @onec');
    await say('Склад', 'Просто в комнате');
    await say('direct', 'Лично боту');
    await until(() => r.received.some(forText('Лично боту')), 60_000, 'the direct message');
    const texts = r.received.map((x) => x.body.message.text);
    expect(texts).not.toContain('Секрет для @onec');
    expect(texts).not.toContain('Сам себе');
    const direct = r.received.find(forText('Лично боту'))!;
    expect(direct.body).toMatchObject({
      type: 'message',
      reason: 'direct',
      bot: { login: 'onec' },
      conversation: { kind: 'direct' },
      sender: { id: ivan.id, login: 'ivan', name: 'Иван Петров', externalId: null },
    });
    expect(direct.body.deliveryId).toBe(direct.headers['x-beseda-delivery']);
    expect(r.received.find(forText('Проверьте остаток, @onec'))!.body).toMatchObject({
      reason: 'mention',
      conversation: { kind: 'open', name: 'Склад' },
    });
    expect(r.received.find(forText('Просто в комнате'))!.body.reason).toBe('room');
    const seen = new Set<string>();
    for (const x of r.received) expect(verifyCall(secret, x.headers, x.raw, undefined, seen)).toBe(true);
  }, 120_000);

  it('retries with the same delivery id, across a hub restart, until acknowledged once', async () => {
    r.setAnswer(() => ({ status: 500 }));
    await say('direct', 'Повторить');
    await until(() => r.received.some(forText('Повторить')), 60_000, 'the first attempt');
    expect(await hub.stop()).toBe(0);
    r.setAnswer(() => ({ status: 200, body: '{}' }));
    ivan.socket.close();
    await hub.restart();
    await until(() => r.received.some((x) => forText('Повторить')(x) && x.status === 200), 90_000, 'the retry');
    const metrics = await http(hub, 'GET', '/metrics');
    expect(metrics.text).toMatch(/beseda_bot_delivery_queue 0/);
    expect(metrics.text).toMatch(/beseda_bot_deliveries_total\{result="ok"\} 1/);
    // Wait past the first back-off step: nothing more of this message arrives.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const attempts = r.received.filter(forText('Повторить'));
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((x) => x.headers['x-beseda-delivery'])).size).toBe(1);
    expect(attempts.filter((x) => x.status === 200)).toHaveLength(1);
    expect(attempts.at(-1)!.status).toBe(200);
    for (const x of attempts) expect(verifyCall(secret, x.headers, x.raw)).toBe(true);
    // The failures are in the log, without the secret.
    const log = hub.output.join('\n');
    expect(log).toMatch(/bot callback failed/);
    expect(log).not.toContain(secret);
  }, 180_000);
  it('bot callback: a refused URL changes nothing, --new-secret prints a new one, --off stops calls; all audited', async () => {
    const refused = cli(['bot', 'callback', 'onec', '--url', 'http://10.0.0.5/hs', '--data', hub.dataDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/not in callbackAllow/);
    const renewed = cli(['bot', 'callback', 'onec', '--new-secret', '--data', hub.dataDir]);
    expect(renewed.code, renewed.err).toBe(0);
    const next = /Callback secret[^\n]*\n\s+(\S+)/.exec(renewed.out)![1]!;
    expect(next).not.toBe(secret);
    const off = cli(['bot', 'callback', 'onec', '--off', '--data', hub.dataDir]);
    expect(off.code, off.err).toBe(0);
    expect(off.out).toMatch(/no callback URL now/);
    const audit = (await hub.admin_('audit.list', { action: 'bot.' })) as { entries?: unknown[] } | unknown[];
    const text = JSON.stringify(audit);
    expect(text).toContain('bot.callback');
    expect(text).not.toContain(next);
    expect(text).not.toContain(secret);
  }, 120_000);
});
