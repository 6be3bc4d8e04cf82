import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, User, UserSettings } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { ReplyError, TestSocket } from '../helpers/TestSocket.ts';
import { cid, person, type Person } from './connect.ts';

// Read receipts over the real hub: ✓ (received) and ✓✓ (read) reach the other person of a
// direct conversation only while both have receipts on.

let hub: TestHub;
let anna: Person;
let boris: Person;
let direct: Conversation;

beforeAll(async () => {
  hub = await startHub({ args: ['--send-per-second', '1000', '--send-burst', '1000'] });
  anna = await person(hub, 'anna', 'Анна');
  boris = await person(hub, 'boris', 'Борис');
  ({ conversation: direct } = await anna.socket.request<{ conversation: Conversation }>('direct.open', {
    userId: boris.id,
  }));
});
afterAll(async () => {
  await hub.stop();
});

async function send(from: Person, text: string): Promise<Message> {
  const { message } = await from.socket.request<{ message: Message }>('send', {
    conversationId: direct.id,
    clientId: cid(),
    text,
  });
  return message;
}

async function viewOf(who: Person): Promise<Conversation> {
  const { conversations } = await who.socket.request<{ conversations: Conversation[] }>('conversations.list');
  return conversations.find((c) => c.id === direct.id)!;
}

describe('read receipts in direct conversations', () => {
  it('hello carries the settings: receipts on by default', () => {
    expect(anna.socket.hello.settings).toEqual({ readReceipts: true });
  });

  it('both on: received and read reach the sender as receipt frames and in the conversation', async () => {
    const message = await send(anna, 'Привет, Борис');
    const delivered = anna.socket.next('receipt', (f) => (f.peerReceivedSeq ?? 0) >= message.seq);
    await boris.socket.request('received', { seq: message.seq });
    const got = await delivered;
    expect(got.conversationId).toBe(direct.id);
    expect(got.peerReadSeq ?? 0).toBeLessThan(message.seq);

    const read = anna.socket.next('receipt', (f) => (f.peerReadSeq ?? 0) >= message.seq);
    await boris.socket.request('read', { conversationId: direct.id, seq: message.seq });
    expect((await read).peerReadSeq).toBe(message.seq);

    const view = await viewOf(anna);
    expect(view.peerReadSeq).toBe(message.seq);
    expect(view.peerReceivedSeq).toBeGreaterThanOrEqual(message.seq);
    // Rooms never carry them.
    const { conversations } = await anna.socket.request<{ conversations: Conversation[] }>('conversations.list');
    const general = conversations.find((c) => c.kind === 'general')!;
    expect(general.peerReadSeq).toBeUndefined();
    expect(general.peerReceivedSeq).toBeUndefined();
  });

  it('the received seq never goes back, nor past the newest message', async () => {
    const message = await send(anna, 'ещё одно');
    await boris.socket.request('received', { seq: message.seq + 1_000_000 });
    const view = await viewOf(anna);
    expect(view.peerReceivedSeq).toBe(message.seq);
    await boris.socket.request('received', { seq: 1 });
    expect((await viewOf(anna)).peerReceivedSeq).toBe(message.seq);
  });

  it('settings.set answers, reaches the other devices, and one side off means nothing either way', async () => {
    const second = await TestSocket.open(hub.wsUrl, boris.token);
    const onOther = second.next('settings', (f) => !f.settings.readReceipts);
    const annaSees = anna.socket.next(
      'conversation',
      (f) => f.conversation.id === direct.id && f.conversation.peerReadSeq === undefined,
    );
    const answer = await boris.socket.request<{ settings: UserSettings; me: User }>('settings.set', {
      readReceipts: false,
    });
    expect(answer.settings).toEqual({ readReceipts: false });
    expect((await onOther).settings).toEqual({ readReceipts: false });
    await annaSees;
    second.close();

    const before = anna.socket.all('receipt').length;
    const beforeBoris = boris.socket.all('receipt').length;
    const message = await send(anna, 'а теперь без отметок');
    await boris.socket.request('received', { seq: message.seq });
    await boris.socket.request('read', { conversationId: direct.id, seq: message.seq });
    // …and the other way: Anna reads Boris's message, Boris (receipts off) must not see it either.
    const reply = await send(boris, 'ответ');
    await anna.socket.request('received', { seq: reply.seq });
    await anna.socket.request('read', { conversationId: direct.id, seq: reply.seq });
    // A later frame proves the earlier ones (had there been any) were delivered: frames keep order.
    await anna.socket.request('conversations.list');
    await boris.socket.request('conversations.list');
    expect(anna.socket.all('receipt').length).toBe(before);
    expect(boris.socket.all('receipt').length).toBe(beforeBoris);

    const annaView = await viewOf(anna);
    const borisView = await viewOf(boris);
    for (const view of [annaView, borisView]) {
      expect(view).not.toHaveProperty('peerReadSeq');
      expect(view).not.toHaveProperty('peerReceivedSeq');
    }
  });

  it('switched back on, the current values come back', async () => {
    const back = anna.socket.next(
      'conversation',
      (f) => f.conversation.id === direct.id && f.conversation.peerReadSeq !== undefined,
    );
    await boris.socket.request('settings.set', { readReceipts: true });
    const view = (await back).conversation;
    expect(view.peerReadSeq).toBe((await viewOf(boris)).readSeq);
    const reconnected = await TestSocket.open(hub.wsUrl, boris.token);
    expect(reconnected.hello.settings).toEqual({ readReceipts: true });
    reconnected.close();
  });

  it('the time zone must be a real IANA zone and shows on the user', async () => {
    const { me } = await anna.socket.request<{ me: User }>('settings.set', { timeZone: 'Europe/Samara' });
    expect(me.timeZone).toBe('Europe/Samara');
    await expect(anna.socket.request('settings.set', { timeZone: 'Europe/Nowhere' })).rejects.toBeInstanceOf(
      ReplyError,
    );
    const { users } = await boris.socket.request<{ users: User[] }>('users.get', { ids: [anna.id] });
    expect(users[0]!.timeZone).toBe('Europe/Samara');
  });
});
