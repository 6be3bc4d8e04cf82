import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { ReplyError, TestSocket } from '../helpers/TestSocket.ts';
import { cli, clientId, http } from '../integrations/integrationHelpers.ts';
import { type Received, startReceiver, until, verifyCall } from '../callbacks/receiver.ts';

// Buttons (issue 18) on a real hub process, with a real local HTTP server standing in for 1C's
// HTTP service: the bot's answer decides what a click does (its value says which answer here).

let hub: TestHub;
let r: Awaited<ReturnType<typeof startReceiver>>;
let secret: string;
let botToken: string;
let ivan: TestSocket;
let maria: TestSocket;
let petr: TestSocket;
let room: number;
/** Whether the stand-in refuses `refuse:` buttons (the bot may change its mind). */
let refusing = true;

/** The stand-in's answers by the action's value; `slow` answers after 600 ms. */
function answer(x: Received): { status: number; body?: string } | 'manual' {
  const value: string = x.body?.action?.value ?? '';
  if (value.startsWith('eph')) return { status: 200, body: JSON.stringify({ ephemeral: 'Остаток: 5 шт.' }) };
  if (value.startsWith('refuse') && refusing) return { status: 200, body: JSON.stringify({ refuse: 'Нет прав' }) };
  if (value.startsWith('update'))
    return {
      status: 200,
      body: JSON.stringify({ update: { text: `Согласовано: ${x.body.user.name}`, actions: [] } }),
    };
  if (value.startsWith('fail')) return { status: 500 };
  return { status: 200, body: '{}' };
}

const calls = (value: string) => r.received.filter((x) => x.body?.type === 'action' && x.body.action.value === value);

/** The bot posts a message with these buttons to the room (HTTP API, as 1C does). */
async function post(text: string, actions: unknown[]): Promise<{ seq: number; conversationId: number }> {
  const res = await http(hub, 'POST', '/api/v1/messages', { token: botToken, json: { to: '#Склад', text, actions } });
  expect(res.status, res.text).toBe(201);
  return res.body.message;
}

const click = (s: TestSocket, m: { seq: number; conversationId: number }, actionId: string, id = clientId('c')) =>
  s.request<{ outcome: string; text?: string }>('message.action', {
    conversationId: m.conversationId,
    seq: m.seq,
    actionId,
    clientId: id,
  });

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof ReplyError ? e : Promise.reject(e)),
  );

beforeAll(async () => {
  r = await startReceiver((x, res) => {
    if (x.body?.action?.value === 'slow') {
      setTimeout(() => {
        x.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, 600);
      return 'manual';
    }
    return answer(x);
  });
  hub = await startHub({ args: ['--callback-allow', '127.0.0.1'] });
  const people = {
    ivan: await hub.addUser('ivan', 'Иван Петров'),
    maria: await hub.addUser('maria', 'Мария Козлова'),
    petr: await hub.addUser('petr', 'Пётр Сидоров'),
  };
  room = (
    (await hub.admin_('room.add', { name: 'Склад', members: ['ivan', 'maria'], closed: true })) as {
      room: { id: number };
    }
  ).room.id;
  const add = cli(['bot', 'add', 'onec', '--rooms', 'Склад', '--callback-url', r.url, '--data', hub.dataDir]);
  expect(add.code, add.err).toBe(0);
  botToken = /^\s+(bot_[A-Za-z0-9_-]{43})$/m.exec(add.out)![1]!;
  secret = /Callback secret[^\n]*\n\s+(\S+)/.exec(add.out)![1]!;
  const open = async (login: 'ivan' | 'maria' | 'petr') =>
    TestSocket.open(hub.wsUrl, (await hub.login(login, people[login].password)).token);
  [ivan, maria, petr] = [await open('ivan'), await open('maria'), await open('petr')];
}, 180_000);
afterAll(async () => {
  for (const s of [ivan, maria, petr]) s?.close();
  await hub?.stop();
  await r?.close();
});

describe('message buttons', () => {
  it('stores the buttons and checks them: at most 5, unique ids, bots only', async () => {
    const m = await post('Согласуйте заказ №17', [
      { id: 'approve', label: 'Согласовать', value: 'done:17', style: 'primary' },
      { id: 'reject', label: 'Отклонить', value: 'done:r', style: 'danger' },
    ]);
    const seen = await ivan.request<{ messages: { seq: number; actions?: unknown[] }[] }>('history', {
      conversationId: room,
    });
    expect(seen.messages.find((x) => x.seq === m.seq)!.actions).toEqual([
      { id: 'approve', label: 'Согласовать', value: 'done:17', style: 'primary' },
      { id: 'reject', label: 'Отклонить', value: 'done:r', style: 'danger' },
    ]);
    const twice = await http(hub, 'POST', '/api/v1/messages', {
      token: botToken,
      json: { to: '#Склад', text: 'x', actions: [1, 2].map(() => ({ id: 'a', label: 'A', value: '' })) },
    });
    expect(twice.status).toBe(400);
    expect(twice.text).toMatch(/own id/);
    const six = await http(hub, 'POST', '/api/v1/messages', {
      token: botToken,
      json: {
        to: '#Склад',
        text: 'x',
        actions: [1, 2, 3, 4, 5, 6].map((i) => ({ id: `a${i}`, label: 'A', value: '' })),
      },
    });
    expect(six.status).toBe(400);
  }, 60_000);

  it("a bot's WebSocket send carries buttons; a person's is forbidden", async () => {
    const bot = await TestSocket.open(hub.wsUrl, botToken);
    try {
      const actions = [{ id: 'ok', label: 'OK', value: 'done:ws' }];
      const sent = await bot.request<{ message: { seq: number; conversationId: number; actions?: unknown } }>('send', {
        conversationId: room,
        clientId: clientId('ws'),
        text: 'С кнопкой по WebSocket',
        actions,
      });
      expect(sent.message.actions).toEqual(actions);
      expect(await click(ivan, sent.message, 'ok')).toEqual({ outcome: 'done' });
    } finally {
      bot.close();
    }
    const own = await refusal(
      ivan.request('send', {
        conversationId: room,
        clientId: clientId('person'),
        text: 'Я не бот',
        actions: [{ id: 'x', label: 'X', value: '' }],
      }),
    );
    expect(own?.code).toBe('forbidden');
  }, 60_000);

  it('a button clicked twice (same clientId, then another) runs the bot once', async () => {
    const m = await post('Заказ №18', [{ id: 'ok', label: 'OK', value: 'done:18' }]);
    const id = clientId('twice');
    expect(await click(ivan, m, 'ok', id)).toEqual({ outcome: 'done' });
    expect(await click(ivan, m, 'ok', id)).toEqual({ outcome: 'done' });
    const again = await refusal(click(ivan, m, 'ok'));
    expect(again?.code).toBe('already_clicked');
    expect(calls('done:18')).toHaveLength(1);
    const call = calls('done:18')[0]!;
    expect(verifyCall(secret, call.headers, call.raw)).toBe(true);
    expect(call.body).toMatchObject({
      type: 'action',
      bot: { login: 'onec' },
      conversation: { id: room, kind: 'closed', name: 'Склад' },
      message: { seq: m.seq, text: 'Заказ №18' },
      action: { id: 'ok', value: 'done:18' },
      user: { login: 'ivan', name: 'Иван Петров', externalId: null },
    });
    // Another person has a click of their own.
    expect(await click(maria, m, 'ok')).toEqual({ outcome: 'done' });
    expect(calls('done:18')).toHaveLength(2);
  }, 60_000);

  it('a concurrent double click calls the bot once', async () => {
    const m = await post('Заказ №19', [{ id: 'ok', label: 'OK', value: 'slow' }]);
    const results = await Promise.all([refusal(click(ivan, m, 'ok')), refusal(click(ivan, m, 'ok'))]);
    expect(results.filter((x) => x === null)).toHaveLength(1);
    expect(results.find((x) => x !== null)?.code).toBe('already_clicked');
    const same = clientId('same');
    const both = await Promise.all([click(maria, m, 'ok', same), click(maria, m, 'ok', same)]);
    expect(both).toEqual([{ outcome: 'done' }, { outcome: 'done' }]);
    await until(() => calls('slow').every((x) => x.status === 200), 10_000, 'the answers');
    expect(calls('slow')).toHaveLength(2); // one for Ivan, one for Maria
  }, 60_000);

  it('an update answer changes the message for every member, and catch-up sync has it', async () => {
    const m = await post('Заказ №20', [{ id: 'ok', label: 'Согласовать', value: 'update:20' }]);
    const since = m.seq;
    const seen = [ivan, maria].map((s) => s.next('message.updated', (f) => f.update.message.seq === m.seq, 30_000));
    expect(await click(ivan, m, 'ok')).toEqual({ outcome: 'updated' });
    for (const f of await Promise.all(seen)) {
      expect(f.update.message.text).toBe('Согласовано: Иван Петров');
      expect(f.update.message.actions).toBeUndefined();
    }
    const sync = await maria.request<{ updates: { message: { seq: number; text: string; actions?: unknown } }[] }>(
      'sync',
      { since },
    );
    const caught = sync.updates.find((u) => u.message.seq === m.seq)!;
    expect(caught.message.text).toBe('Согласовано: Иван Петров');
    expect(caught.message.actions).toBeUndefined();
    // The button is gone: a click now finds nothing.
    expect((await refusal(click(maria, m, 'ok')))?.code).toBe('not_found');
  }, 60_000);

  it('an ephemeral answer is only in the caller’s result, never broadcast', async () => {
    const m = await post('Остаток?', [{ id: 'q', label: 'Остаток', value: 'eph:1', multi: true }]);
    expect(await click(ivan, m, 'q')).toEqual({ outcome: 'ephemeral', text: 'Остаток: 5 шт.' });
    expect(await click(ivan, m, 'q')).toEqual({ outcome: 'ephemeral', text: 'Остаток: 5 шт.' }); // multi
    expect(calls('eph:1')).toHaveLength(2);
    // A message posted after the click reaches both: anything the click broadcast came before it.
    const marker = [ivan, maria].map((s) => s.next('message', (f) => f.message.text === 'После остатка', 30_000));
    await post('После остатка', []);
    await Promise.all(marker);
    for (const s of [ivan, maria])
      for (const f of s.frames) if (f.type !== 'result') expect(JSON.stringify(f)).not.toContain('Остаток: 5 шт.');
  }, 60_000);

  it('a refusal is an error with the reason, and the person may try again', async () => {
    refusing = true;
    const m = await post('Заказ №21', [{ id: 'ok', label: 'OK', value: 'refuse:21' }]);
    const refused = await refusal(click(ivan, m, 'ok'));
    expect(refused?.code).toBe('refused');
    expect(refused?.message).toContain('Нет прав');
    refusing = false;
    expect(await click(ivan, m, 'ok')).toEqual({ outcome: 'done' });
    expect(calls('refuse:21')).toHaveLength(2);
  }, 60_000);

  it('a bot that fails is bot_unavailable, and the click is not counted', async () => {
    const m = await post('Заказ №22', [{ id: 'ok', label: 'OK', value: 'fail:22' }]);
    expect((await refusal(click(ivan, m, 'ok')))?.code).toBe('bot_unavailable');
    expect((await refusal(click(ivan, m, 'ok')))?.code).toBe('bot_unavailable'); // not already_clicked
    expect(calls('fail:22')).toHaveLength(2);
  }, 60_000);

  it('a person outside the conversation cannot click; an unknown button is not_found', async () => {
    const m = await post('Заказ №23', [{ id: 'ok', label: 'OK', value: 'done:23' }]);
    expect((await refusal(click(petr, m, 'ok')))?.code).toBe('not_found');
    expect((await refusal(click(ivan, m, 'nope')))?.code).toBe('not_found');
    expect(calls('done:23')).toHaveLength(0);
  }, 60_000);
});
