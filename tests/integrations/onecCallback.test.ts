// Buttons and commands with 1C (issue 18, point 5), 1C imitated by a real HTTP server that follows
// the HTTP service БеседаОбратныйВызов step by step (onecCallbackStandIn.ts): БеседаПодпись's
// HMAC steps against RFC 4231's vectors; the real hub's signed calls verified as the BSL verifies
// them (and with Node's crypto), then tampered with, aged and replayed; the approval request
// replayed exactly as БеседаСервер.ОтправитьСообщение sends it with its buttons; a click on
// «Согласовать» posts the order once and updates the message for every member; /остаток answers
// only the caller.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { waitFor } from '../hub/serveProcess.ts';
import {
  bslHmac,
  hmacConstants,
  serviceLines,
  serviceModule,
  signModule,
  startOneC,
  type Infobase,
} from './onecCallbackStandIn.ts';
import type { Loose } from './integrationHelpers.ts';
import { addOneCBots, procedureText, replay, requestOf, urlEncoded, type Tokens } from './onecReplay.ts';

describe('БеседаПодпись.HMACSHA256: HMAC (RFC 2104) from ХешированиеДанных', () => {
  it('has the block size and pads of SHA-256 HMAC in its parsed tree', () => {
    expect(hmacConstants()).toEqual({ block: 64, ipad: 0x36, opad: 0x5c });
    // The steps, as written: a long key hashed first, two hashes, hex in lower case.
    expect(signModule).toContain('Если БуферКлюча.Размер > РазмерБлока Тогда');
    expect(signModule.match(/Новый ХешированиеДанных\(ХешФункция\.SHA256\)/g)?.length).toBe(3);
    expect(signModule).toContain('Внешний.Добавить(Внутренний.ХешСумма);');
    expect(signModule).toContain('Возврат НРег(ПолучитьHexСтрокуИзДвоичныхДанных(Внешний.ХешСумма));');
  });

  it('its steps give RFC 4231’s HMAC-SHA256 test vectors and agree with Node’s createHmac', () => {
    const hex = (h: string) => Buffer.from(h, 'hex');
    const vectors: [Buffer, Buffer, string][] = [
      [
        Buffer.alloc(20, 0x0b),
        Buffer.from('Hi There'),
        'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      ],
      [
        Buffer.from('Jefe'),
        Buffer.from('what do ya want for nothing?'),
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      ],
      [
        Buffer.alloc(20, 0xaa),
        Buffer.alloc(50, 0xdd),
        '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      ],
      [
        hex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
        Buffer.alloc(50, 0xcd),
        '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      ],
      // A key longer than the block: hashed first.
      [
        Buffer.alloc(131, 0xaa),
        Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
        '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      ],
      [
        Buffer.alloc(131, 0xaa),
        Buffer.from(
          'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
        ),
        '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      ],
    ];
    for (const [key, data, mac] of vectors) expect(bslHmac(key, data)).toBe(mac);
    // The hub's secret is a string (base64url of 32 bytes); 1C takes its UTF-8 bytes, as Node does.
    for (let i = 0; i < 20; i++) {
      const secret = randomBytes(32).toString('base64url');
      const body = Buffer.from(`1796258579.{"text":"Согласуйте ${i}"}`, 'utf8');
      expect(bslHmac(secret, body)).toBe(createHmac('sha256', secret).update(body).digest('hex'));
    }
  });

  it('the stand-in for 1C follows the HTTP service’s lines as written', () => {
    for (const line of serviceLines) expect(serviceModule, line).toContain(line);
  });
});

// ---- Against a real hub ---------------------------------------------------------------------

let hub: TestHub;
let tokens: Tokens;
let onec: Awaited<ReturnType<typeof startOneC>>;
let approver: TestSocket;
let colleague: TestSocket;
const approverId = randomUUID();
const ib: Infobase = {
  people: new Map([[approverId, { name: 'Соколова Анна Викторовна', canPost: true }]]),
  orders: new Map(),
  stock: new Map([
    [
      '12345',
      {
        item: 'Кабель ВВГ 3×2,5',
        rows: [
          ['Основной склад', 140],
          ['Склад Тверь', 12],
        ],
      },
    ],
  ]),
};

beforeAll(async () => {
  onec = await startOneC(ib);
  // The stand-in listens on loopback: IT lists it, as it would list 1c.corp.local.
  hub = await startHub({ args: ['--callback-allow', '127.0.0.1'] });
  tokens = await addOneCBots(hub, ['all']);
  const set = (await hub.admin_('bot.callback', { login: 'onec', url: onec.url })) as { secret: string };
  expect(set.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // БеседаСервер.СохранитьТокен("ОбратныйВызов", …): the service reads it as СекретОбратногоВызова.
  onec.state.secret = set.secret;
  const sokolova = await hub.addUser('sokolova', 'Соколова Анна');
  const linked = await replay(hub, tokens, requestOf('БеседаСервер.СвязатьСУчетнойЗаписью'), {
    tail: urlEncoded(approverId),
    body: { name: 'Соколова Анна Викторовна', login: 'sokolova' },
  });
  expect(linked.status, linked.text).toBe(200);
  approver = await TestSocket.open(hub.wsUrl, (await hub.login('sokolova', sokolova.password)).token);
  const other = await hub.addUser('orlov', 'Орлов Олег');
  colleague = await TestSocket.open(hub.wsUrl, (await hub.login('orlov', other.password)).token);
}, 120_000);
afterAll(async () => {
  approver?.close();
  colleague?.close();
  await hub?.stop();
  await onec?.close();
});

/** Resends a request the stand-in got, changed, as a replayed or forged call would arrive. */
async function resend(headers: http.IncomingHttpHeaders, body: Buffer): Promise<{ status: number; text: string }> {
  const pick = ['content-type', 'x-beseda-delivery', 'x-beseda-timestamp', 'x-beseda-signature'];
  const sent: Record<string, string> = {};
  for (const name of pick) if (headers[name] !== undefined) sent[name] = String(headers[name]);
  const req = http.request(onec.url, { method: 'POST', headers: { ...sent, 'content-length': body.length } });
  req.end(body);
  const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode ?? 0, text };
}

describe('the hub’s calls, verified as БеседаОбратныйВызов verifies them', () => {
  it('a message to the bot arrives signed: valid as sent; tampered, aged or forged is 401; replayed is answered once', async () => {
    // The bot writes to the approver (the approval request's path), the approver answers it.
    const first = await replay(hub, tokens, requestOf('БеседаСервер.ОтправитьСообщение'), {
      body: { to: `ext:${approverId}`, text: 'Добрый день', clientId: `hello-${randomUUID()}` },
    });
    expect(first.status, first.text).toBe(201);
    const conversationId = first.json.message.conversationId as number;
    await approver.request('send', { conversationId, clientId: `c-${randomUUID()}`, text: 'Когда отгрузка?' });
    expect(await waitFor(() => onec.received.length > 0, 30_000), 'the hub called 1C').toBe(true);

    const call = onec.received[0]!;
    expect(call.status, call.answer).toBe(200);
    const stamp = String(call.headers['x-beseda-timestamp']);
    const signature = String(call.headers['x-beseda-signature']);
    // The same construction with Node's crypto: "<timestamp>." and the raw body bytes.
    const node = createHmac('sha256', onec.state.secret).update(`${stamp}.`).update(call.body).digest('hex');
    expect(signature).toBe(`v1=${node}`);
    const body = JSON.parse(call.body.toString('utf8'));
    expect(body).toMatchObject({ type: 'message', bot: { login: 'onec' }, message: { text: 'Когда отгрузка?' } });
    expect(body.deliveryId).toBe(call.headers['x-beseda-delivery']);
    expect(body.sender).toMatchObject({ login: 'sokolova', externalId: approverId });

    // One byte of the body changed: the signature no longer matches.
    const tampered = Buffer.from(call.body);
    tampered[tampered.indexOf('?')] = '!'.charCodeAt(0);
    const forged = await resend(call.headers, tampered);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text).error).toBe('X-Beseda-Signature does not match');
    // A captured call signed again by someone without the secret.
    const wrongKey = await resend(
      { ...call.headers, 'x-beseda-signature': `v1=${bslHmac('not-the-secret', `${stamp}.${call.body}`)}` },
      call.body,
    );
    expect(wrongKey.status).toBe(401);
    // Correctly signed but older than 300 s: refused (a capture replayed later).
    const old = String(Number(stamp) - 301);
    const aged = await resend(
      {
        ...call.headers,
        'x-beseda-timestamp': old,
        'x-beseda-signature': `v1=${bslHmac(onec.state.secret, Buffer.concat([Buffer.from(`${old}.`), call.body]))}`,
      },
      call.body,
    );
    expect(aged.status).toBe(401);
    expect(JSON.parse(aged.text).error).toMatch(/300 s/);
    // The very same call again within the window (the hub retrying): the stored answer, nothing run twice.
    const again = await resend(call.headers, call.body);
    expect(again).toEqual({ status: 200, text: call.answer });
    expect(onec.seen.size).toBe(1);
  }, 60_000);
});

describe('buttons and a command, end to end', () => {
  const orderId = randomUUID();
  let asked = { conversationId: 0, seq: 0 };
  const buttons = [
    { id: 'approve', label: 'Согласовать', value: `approve:${orderId}`, style: 'primary' },
    { id: 'reject', label: 'Отклонить', value: `reject:${orderId}`, style: 'danger' },
  ];

  it('the approval request carries its buttons exactly as БеседаОчередь → ОтправитьСообщение sends them', async () => {
    // The body keys the BSL inserts, in its order: the queue always sends replace: true.
    expect(requestOf('БеседаСервер.ОтправитьСообщение').bodyKeys).toEqual([
      'to',
      'text',
      'clientId',
      'replace',
      'actions',
    ]);
    ib.orders.set(orderId, { approver: approverId, approved: false, postings: 0 });
    const sent = await replay(hub, tokens, requestOf('БеседаСервер.ОтправитьСообщение'), {
      body: {
        to: 'all',
        text: 'Согласуйте [заказ №17](e1cib/data/Документ.ЗаказКлиента?ref=80c1) на 1 250 000 ₽',
        clientId: `approve-${orderId}`,
        replace: true,
        actions: buttons,
      },
    });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.json.message.actions).toEqual(buttons);
    asked = { conversationId: sent.json.message.conversationId, seq: sent.json.message.seq };
  });

  it('a click on «Согласовать» posts the order once and updates the message for every member; others are refused', async () => {
    const page = (await approver.request('history', { conversationId: asked.conversationId })) as {
      messages: Loose[];
    };
    const shown = page.messages.find((m) => m.clientId === `approve-${orderId}`);
    expect(shown?.actions, 'the approver sees the buttons').toEqual(buttons);
    const where = { ...asked };

    // Not the order's approver: 1C refuses, the click is not counted.
    await expect(
      colleague.request('message.action', { ...where, actionId: 'approve', clientId: `k-${randomUUID()}` }),
    ).rejects.toMatchObject({ code: 'refused' });
    expect(ib.orders.get(orderId)!.postings).toBe(0);

    const seenByColleague = colleague.next('message.updated', (f) => f.update.message.seq === asked.seq);
    const seenByApprover = approver.next('message.updated', (f) => f.update.message.seq === asked.seq);
    const clickId = `k-${randomUUID()}`;
    const result = await approver.request('message.action', { ...where, actionId: 'approve', clientId: clickId });
    expect(result).toMatchObject({ outcome: 'updated' });
    for (const frame of [await seenByColleague, await seenByApprover]) {
      expect(frame.update.message.text).toMatch(/^Согласовано: Соколова Анна Викторовна, \d\d:\d\d$/);
      expect(frame.update.message.actions ?? []).toEqual([]);
    }
    // The same click retried (a lost answer): no second call to 1C, the order is not posted twice.
    // It gets the stored outcome although 1C's update took the button away.
    const calls = onec.received.length;
    const retried = await approver.request('message.action', { ...where, actionId: 'approve', clientId: clickId });
    expect(retried).toEqual({ outcome: 'updated' });
    expect(onec.received.length).toBe(calls);
    expect(ib.orders.get(orderId)).toMatchObject({ approved: true, postings: 1 });
  }, 60_000);

  it('undoing the posting re-sends the same key with an empty array of buttons: the buttons go', async () => {
    const other = randomUUID();
    const send = (text: string, actions: unknown[]) =>
      replay(hub, tokens, requestOf('БеседаСервер.ОтправитьСообщение'), {
        body: { to: 'all', text, clientId: `approve-${other}`, replace: true, actions },
      });
    const asked2 = await send('Согласуйте заказ №18 на 90 000 ₽', buttons);
    expect(asked2.status, asked2.text).toBe(201);
    const updated = colleague.next('message.updated', (f) => f.update.message.seq === asked2.json.message.seq);
    // БеседаОбработкаУдаленияПроведения: ПоставитьВОчередь(…, Ссылка, , Новый Массив).
    const undo = procedureText('ЗаказКлиента.МодульОбъекта', 'БеседаОбработкаУдаленияПроведения', (f) =>
      readFileSync(f, 'utf8'),
    );
    expect(undo).toMatch(/Текст, Ссылка, ,\s+Новый Массив\);/);
    const undone = await send('Заказ №18 согласовывать не нужно: проведение отменено', []);
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json.message.actions ?? []).toEqual([]);
    const frame = await updated;
    expect(frame.update.message.text).toBe('Заказ №18 согласовывать не нужно: проведение отменено');
    expect(frame.update.message.actions ?? []).toEqual([]);
  }, 60_000);

  it('/остаток answers only the caller', async () => {
    await hub.admin_('command.add', {
      name: '/остаток',
      bot: 'onec',
      description: 'Остаток товара по складам',
      usage: '<артикул>',
    });
    const before = approver.all('message').length;
    const answer = await colleague.request('command.run', {
      conversationId: asked.conversationId,
      command: '/остаток',
      args: '12345',
      clientId: `q-${randomUUID()}`,
    });
    expect(answer).toEqual({
      visibility: 'caller',
      text: 'Остаток «Кабель ВВГ 3×2,5» (арт. 12345):\n- Основной склад: 140\n- Склад Тверь: 12',
    });
    const call = onec.received.at(-1)!;
    expect(JSON.parse(call.body.toString('utf8'))).toMatchObject({
      type: 'command',
      command: '/остаток',
      args: '12345',
      user: { login: 'orlov' },
    });
    expect(approver.all('message').length).toBe(before);
  }, 60_000);
});
