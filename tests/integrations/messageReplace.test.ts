// POST /api/v1/messages with `replace: true` on a real hub: 1C's queue re-sends a document's
// message under the same clientId, and the bot's earlier message is edited (text, attachments,
// blocks) through the edit path — one message.updated in the one sequence, seen live and in a
// catch-up sync once — instead of a second message. Identical content changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageUpdate } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, clientId, http } from './integrationHelpers.ts';

let hub: TestHub;
let onec: string;
let other: string;
let buyer: { token: string };

beforeAll(async () => {
  hub = await startHub();
  onec = (await addBot(hub, 'onec', { name: '1С:Предприятие' })).token;
  other = (await addBot(hub, 'other-bot')).token;
  const user = await hub.addUser('buyer', 'Покупатель');
  buyer = await hub.login('buyer', user.password);
});
afterAll(async () => {
  await hub.stop();
});

const post = (json: Record<string, unknown>, token = onec) =>
  http(hub, 'POST', '/api/v1/messages', { token, json: { to: '@buyer', ...json } });

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Заказ №17' } },
  { type: 'section', text: { type: 'mrkdwn', text: '*Сумма:* 1 250 000 ₽' } },
];

/** Everything after `since` a catch-up sync brings the buyer. */
async function syncSince(since: number): Promise<{ messages: Message[]; updates: MessageUpdate[] }> {
  const s = await TestSocket.open(hub.wsUrl, buyer.token);
  try {
    return await s.request<{ messages: Message[]; updates: MessageUpdate[] }>('sync', { since, limit: 1000 });
  } finally {
    s.close();
  }
}

describe('replace: true', () => {
  it('posts a new message when the bot has none under that clientId (201, replaced false)', async () => {
    const res = await post({ text: 'Согласуйте заказ №17', clientId: clientId('order17'), replace: true });
    expect(res.status, res.text).toBe(201);
    expect(res.body.replaced).toBe(false);
    expect(res.body.message).toMatchObject({ text: 'Согласуйте заказ №17' });
    expect(res.body.message.editedAt).toBeUndefined();
  });

  it('edits the earlier message: message.updated live, once in a catch-up sync, no second message', async () => {
    const id = clientId('order18');
    const first = await post({ text: 'Согласуйте заказ №18 на 900 000 ₽', clientId: id, replace: true });
    expect(first.status, first.text).toBe(201);
    const original = first.body.message as Message;
    const live = await TestSocket.open(hub.wsUrl, buyer.token);
    const updated = live.next('message.updated', (f) => f.update.message.seq === original.seq);

    const res = await post({
      text: 'Согласуйте заказ №18 на 1 250 000 ₽',
      clientId: id,
      replace: true,
      attachments: [{ title: 'Счёт', text: 'к оплате до 10.12' }],
      blocks,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.replaced).toBe(true);
    const message = res.body.message as Message;
    expect(message.seq).toBe(original.seq);
    expect(message.text).toBe('Согласуйте заказ №18 на 1 250 000 ₽');
    expect(message.editedAt).toBeGreaterThan(0);
    expect(message.attachments).toEqual([{ title: 'Счёт', text: 'к оплате до 10.12' }]);
    expect(message.blocks).toEqual([
      { type: 'header', text: 'Заказ №17' },
      { type: 'section', text: '*Сумма:* 1 250 000 ₽' },
    ]);

    const frame = await updated;
    live.close();
    expect(frame.update.kind).toBe('edit');
    expect(frame.update.message).toMatchObject({ seq: original.seq, text: message.text, blocks: message.blocks });

    const caughtUp = await syncSince(original.seq);
    expect(caughtUp.messages.filter((m) => m.clientId === id)).toEqual([]);
    const updates = caughtUp.updates.filter((u) => u.message.seq === original.seq);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.message.text).toBe(message.text);
  });

  it('identical content changes nothing (no update, same rev); a replace without cards removes them', async () => {
    const id = clientId('order19');
    const body = { text: 'Заказ №19', clientId: id, replace: true, blocks };
    const first = await post(body);
    const second = await post(body);
    expect(second.status, second.text).toBe(200);
    expect(second.body.replaced).toBe(true);
    expect(second.body.message.rev).toBeUndefined();
    expect(second.body.message.editedAt).toBeUndefined();
    const quiet = await syncSince(first.body.message.seq);
    expect(quiet.updates.filter((u) => u.message.seq === first.body.message.seq)).toEqual([]);

    const bare = await post({ text: 'Заказ №19', clientId: id, replace: true });
    expect(bare.status, bare.text).toBe(200);
    expect(bare.body.message.blocks).toBeUndefined();
    expect(bare.body.message.editedAt).toBeGreaterThan(0);
  });

  it('a retry with the same clientId posts nothing twice, with or without replace', async () => {
    const id = clientId('order20');
    const a = await post({ text: 'Заказ №20', clientId: id, replace: true });
    const b = await post({ text: 'Заказ №20', clientId: id });
    const c = await post({ text: 'Заказ №20', clientId: id, replace: true });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 200]);
    expect(new Set([a, b, c].map((r) => r.body.message.seq)).size).toBe(1);
    const all = await syncSince(0);
    expect(all.messages.filter((m) => m.clientId === id)).toHaveLength(1);
  });

  it('two concurrent replaces of a message not posted yet make one message with one of their texts', async () => {
    const id = clientId('race');
    const [a, b] = await Promise.all([
      post({ text: 'Версия А', clientId: id, replace: true }),
      post({ text: 'Версия Б', clientId: id, replace: true }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.message.seq).toBe(b.body.message.seq);
    const all = await syncSince(0);
    const mine = all.messages.filter((m) => m.clientId === id);
    expect(mine).toHaveLength(1);
    const now = all.updates.filter((u) => u.message.seq === mine[0]!.seq).at(-1)?.message ?? mine[0]!;
    expect(['Версия А', 'Версия Б']).toContain(now.text);
  });

  it("never touches another bot's message with the same clientId", async () => {
    const id = clientId('shared');
    const mine = await post({ text: 'От 1С', clientId: id, replace: true });
    const theirs = await post({ text: 'От другого бота', clientId: id, replace: true }, other);
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.body.message.seq).not.toBe(mine.body.message.seq);
    const all = await syncSince(0);
    expect(all.messages.find((m) => m.seq === mine.body.message.seq)?.text).toBe('От 1С');
    expect(all.updates.filter((u) => u.message.seq === mine.body.message.seq)).toEqual([]);
  });

  it('as multipart/form-data: a new message takes its file, a replace of it refuses new files', async () => {
    const id = clientId('invoice');
    const form = () => {
      const f = new FormData();
      f.set('to', '@buyer');
      f.set('clientId', id);
      f.set('replace', 'true');
      f.set('text', 'Счёт №17');
      f.set('file', new Blob(['%PDF-1.4 test'], { type: 'application/pdf' }), 'Счёт №17.pdf');
      return f;
    };
    const send = () =>
      fetch(`${hub.url}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${onec}` },
        body: form(),
      });
    const first = await send();
    const created = (await first.json()) as { message: Message; replaced: boolean };
    expect(first.status).toBe(201);
    expect(created.replaced).toBe(false);
    expect(created.message.files).toHaveLength(1);
    const again = await send();
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('replace cannot change');
  });

  it('refuses new files on a replace of an existing message (400) and needs a clientId', async () => {
    const id = clientId('order21');
    await post({ text: 'Заказ №21', clientId: id, replace: true });
    const withFiles = await post({ text: 'Заказ №21', clientId: id, replace: true, files: ['f'.repeat(23)] });
    expect(withFiles.status, withFiles.text).toBe(400);
    expect(withFiles.body.error.message).toContain('replace cannot change the files');
    const noId = await post({ text: 'Заказ без ключа', replace: true });
    expect(noId.status, noId.text).toBe(400);
  });
});
