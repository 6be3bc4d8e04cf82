// The client core's button click against the REAL hub and a real local HTTP server standing in for
// 1C: when the hub's answer to the click is lost on the way (the line cut at that frame), the core
// repeats the click with the same client id after reconnecting and gets the outcome — 1C was
// called once. Also the refusal and the command answer through ChatClient.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../callbacks/receiver.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { http } from '../integrations/integrationHelpers.ts';
import { answerAs1C } from '../e2e/buttonsOnHub.ts';
import { ClientTracker, fastTuning, generousLimits, signedIn } from './clientHarness.ts';
import { SwitchableLine } from './switchableLine.ts';

let hub: TestHub;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let botToken = '';
const clients = new ClientTracker();

beforeAll(async () => {
  receiver = await startReceiver(answerAs1C);
  hub = await startHub({ args: [...generousLimits, '--callback-allow', '127.0.0.1'] });
}, 120_000);
afterEach(() => clients.disposeAll());
afterAll(async () => {
  await hub?.stop();
  await receiver?.close();
});

/** Ivan (on `line`) in room «Склад» with the bot onec, which posts a message with buttons; its seq. */
async function setUp(line: SwitchableLine) {
  const ivan = clients.track(await signedIn(hub, 'ivan', { tuning: fastTuning, createSocket: line.createSocket }));
  const room = ((await hub.admin_('room.add', { name: 'Склад', members: ['ivan'] })) as { room: { id: number } }).room
    .id;
  const added = (await hub.admin_('bot.add', { login: 'onec', rooms: ['Склад'], callbackUrl: receiver.url })) as {
    token: string;
  };
  botToken = added.token;
  const posted = await http(hub, 'POST', '/api/v1/messages', {
    token: botToken,
    json: {
      to: '#Склад',
      text: 'Поступление',
      actions: [
        { id: 'balance', label: 'Показать остатки', value: 'balance' },
        { id: 'reject', label: 'Отклонить', value: 'reject', style: 'danger' },
      ],
    },
  });
  expect(posted.status, posted.text).toBe(201);
  return { ivan, room, seq: (JSON.parse(posted.text) as { message: { seq: number } }).message.seq };
}

describe('ChatClient.messageAction on a real hub', () => {
  it('repeats a click whose answer was lost with the same client id; 1C is called once', async () => {
    const line = new SwitchableLine();
    const { ivan, room, seq } = await setUp(line);
    // The hub's answer to the click is lost: the line drops at that frame.
    line.cutOnce((frame) => frame.includes('"ephemeral"'));
    const outcome = await ivan.client.messageAction(room, seq, 'balance');
    expect(outcome).toEqual({ outcome: 'ephemeral', text: 'Остаток: 17 шт.' });
    const sent = line.frames('message.action');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sent.map((f) => f.clientId)).size).toBe(1);
    expect(receiver.received.filter((r) => r.body?.type === 'action' && r.body.action?.id === 'balance')).toHaveLength(
      1,
    );
    // A new click is a new act: one click only, so the hub refuses it without calling 1C.
    await expect(ivan.client.messageAction(room, seq, 'balance')).rejects.toMatchObject({ code: 'already_clicked' });
    await expect(ivan.client.messageAction(room, seq, 'reject')).rejects.toMatchObject({
      code: 'refused',
      message: 'Документ заблокирован другим пользователем',
    });
    expect(receiver.received.filter((r) => r.body?.type === 'action')).toHaveLength(2);
  }, 120_000);
});
