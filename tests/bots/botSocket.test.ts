// Bots over WebSocket (issue 18, docs/protocol.md "Bots over WebSocket"): a bot opens the protocol
// with its token and hears only its own conversations — its direct conversations and the rooms IT
// added it to (a mention elsewhere included: it is not in that audience) — never the general room,
// another room or other people's direct conversations; sync, history, search and members see the
// same; it replies, reacts, edits and deletes its own messages, not anyone else's, and requests
// that are a person's or an administrator's are refused with `forbidden`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, MessageUpdate, SearchHit } from '../../common/protocol/model.ts';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person, type Person } from '../hub/connect.ts';
import { addBot } from '../integrations/integrationHelpers.ts';

let hub: TestHub;
let ivanov: Person;
let petrov: Person;
let bot: { id: number; token: string; socket: TestSocket };
/** Склад: closed, the bot and both people; Руководство: closed, Иванов alone; Курилка: open. */
let rooms: { sklad: number; board: number; open: number };
/** The conversations the bot must never hear of: the general room, Руководство, Курилка, Иванов–Петров. */
let foreign: number[];
let peopleDirect: number;
let botDirect: number;

const send = (s: TestSocket, conversationId: number, text: string, extra: Record<string, unknown> = {}) =>
  s.request<{ message: Message }>('send', { conversationId, clientId: cid(), text, ...extra }).then((r) => r.message);

/** Every conversation id a frame names (messages, updates, typing, conversation frames). */
function conversationOf(f: ServerFrame): number | undefined {
  if (f.type === 'message') return f.message.conversationId;
  if (f.type === 'message.updated') return f.update.conversationId;
  if (f.type === 'conversation') return f.conversation.id;
  if ('conversationId' in f && typeof f.conversationId === 'number') return f.conversationId;
  return undefined;
}

/**
 * The first frame of a type that matches, received already or still to come: the reply to a
 * request can arrive after the event it caused (TestSocket.next waits only for new frames).
 */
function arrived<T extends ServerFrame['type']>(
  s: TestSocket,
  type: T,
  match: (f: Extract<ServerFrame, { type: T }>) => boolean,
): Promise<Extract<ServerFrame, { type: T }>> {
  const past = s.all(type).find(match);
  return past ? Promise.resolve(past) : s.next(type, match);
}

beforeAll(async () => {
  hub = await startHub();
  ivanov = await person(hub, 'ivanov', 'Иван Иванов');
  petrov = await person(hub, 'petrov', 'Пётр Петров');
  const create = async (name: string, kind: 'open' | 'closed', members: number[] = []) =>
    (await ivanov.socket.request<{ conversation: { id: number } }>('rooms.create', { name, kind, members }))
      .conversation.id;
  rooms = {
    sklad: await create('Склад', 'closed', [petrov.id]),
    board: await create('Руководство', 'closed'),
    open: await create('Курилка', 'open'),
  };
  peopleDirect = (await ivanov.socket.request<{ conversation: { id: number } }>('direct.open', { userId: petrov.id }))
    .conversation.id;
  foreign = [ivanov.generalId, rooms.board, rooms.open, peopleDirect];
  // Written before the bot exists: sync, history and search must not find them either.
  await send(ivanov.socket, ivanov.generalId, 'секрет общего чата');
  await send(ivanov.socket, rooms.board, 'секрет руководства');
  await send(ivanov.socket, peopleDirect, 'секрет на двоих');
  await send(petrov.socket, rooms.sklad, 'склад: секрет склада для своих');
  const added = await addBot(hub, 'onec', { rooms: ['Склад'], name: '1С:Склад' });
  bot = { ...added, socket: await TestSocket.open(hub.wsUrl, added.token) };
}, 120_000);

afterAll(async () => {
  for (const s of [ivanov?.socket, petrov?.socket, bot?.socket]) s?.close();
  await hub?.stop();
});

describe('a bot opens the WebSocket with its token', () => {
  it('hello names the bot and only the rooms it was added to (not the general room)', () => {
    const { hello } = bot.socket;
    expect(hello.me).toMatchObject({ id: bot.id, login: 'onec', isBot: true });
    expect(hello.conversations.map((c) => c.id)).toEqual([rooms.sklad]);
    // A bot token is not a session: nothing to renew, nothing that runs out.
    expect(hello.session).toBeUndefined();
  });

  it('a token that is not a bot’s or a session’s is still refused', async () => {
    await expect(TestSocket.open(hub.wsUrl, 'bot_' + 'A'.repeat(43))).rejects.toMatchObject({ status: 401 });
  });
});

describe('what reaches the bot', () => {
  it('a direct message, a mention and a room message; nothing from conversations it is not in', async () => {
    botDirect = (await ivanov.socket.request<{ conversation: Conversation }>('direct.open', { userId: bot.id }))
      .conversation.id;
    const direct = await send(ivanov.socket, botDirect, 'остаток по 12345?');
    const mention = await send(petrov.socket, rooms.sklad, '@onec проверь заказ 17');
    const plain = await send(petrov.socket, rooms.sklad, 'машина пришла');
    for (const m of [direct, mention, plain]) await arrived(bot.socket, 'message', (f) => f.message.seq === m.seq);
    expect(bot.socket.all('message').find((f) => f.message.seq === mention.seq)!.message.mentions).toContain(bot.id);

    // A person connecting now announces their presence to whoever looked them up; a bot never
    // hears presence, even of someone it looked up.
    const sidorov = await person(hub, 'sidorov', 'Сидор Сидоров', [ivanov, bot]);
    await arrived(ivanov.socket, 'presence', (f) => f.userId === sidorov.id && f.status === 'online');
    // Everything the bot must not hear: the general room (a mention too), a closed room it is not in
    // (a mention too), an open room, two people's direct conversation, typing and an edit there.
    const general = await send(ivanov.socket, ivanov.generalId, '@onec общий вопрос');
    await send(ivanov.socket, rooms.board, '@onec ты тут?');
    await send(ivanov.socket, rooms.open, 'курилка');
    const between = await send(ivanov.socket, peopleDirect, 'между нами');
    await ivanov.socket.request('typing', { conversationId: ivanov.generalId });
    await ivanov.socket.request('typing', { conversationId: peopleDirect });
    await ivanov.socket.request('message.edit', { clientId: cid(), seq: between.seq, text: 'между нами (ред.)' });
    await ivanov.socket.request('message.react', { clientId: cid(), seq: general.seq, emoji: '👍', on: true });
    // Typing in the bot's own room does reach it, as it reaches any member.
    await petrov.socket.request('typing', { conversationId: rooms.sklad });
    await arrived(bot.socket, 'typing', (f) => f.conversationId === rooms.sklad && f.userId === petrov.id);
    // The fence: published after all of the above, so the bot would have had them by now.
    const fence = await send(petrov.socket, rooms.sklad, 'забор');
    await arrived(bot.socket, 'message', (f) => f.message.seq === fence.seq);
    sidorov.socket.close();

    const leaked = bot.socket.frames.filter((f) => foreign.includes(conversationOf(f) ?? -1));
    expect(leaked).toEqual([]);
    expect(bot.socket.all('presence')).toEqual([]);
    expect(bot.socket.all('message').map((f) => f.message.conversationId)).toEqual(
      expect.arrayContaining([botDirect, rooms.sklad]),
    );
  });

  it('sync, conversations.list, history, search and members see only the bot’s conversations', async () => {
    const synced = await bot.socket.request<{ messages: Message[]; updates: MessageUpdate[] }>('sync', { since: 0 });
    const seen = new Set([...synced.messages, ...synced.updates].map((m) => m.conversationId));
    expect([...seen].sort()).toEqual([rooms.sklad, botDirect].sort());
    // The room's history from before the bot was added is the room's: a member reads it.
    expect(synced.messages.map((m) => m.text)).toContain('склад: секрет склада для своих');

    const listed = await bot.socket.request<{ conversations: Conversation[] }>('conversations.list');
    expect(listed.conversations.map((c) => c.id).sort()).toEqual([rooms.sklad, botDirect].sort());

    const hits = await bot.socket.request<{ hits: SearchHit[] }>('search', { query: 'секрет' });
    expect(hits.hits.map((h) => h.message.conversationId)).toEqual([rooms.sklad]);

    // The general room and the open room exist for everyone (forbidden); the closed room and the
    // people's direct conversation are not admitted to exist (not_found), exactly as for a person.
    const refusal = (type: string, params: Record<string, unknown>) =>
      bot.socket.request(type, params).then(
        () => 'allowed',
        (err: { code: string }) => err.code,
      );
    for (const id of foreign) {
      expect(['forbidden', 'not_found']).toContain(await refusal('history', { conversationId: id }));
      expect(['forbidden', 'not_found']).toContain(await refusal('search', { query: 'секрет', conversationId: id }));
      expect(['forbidden', 'not_found']).toContain(await refusal('rooms.members', { conversationId: id }));
      expect(['forbidden', 'not_found']).toContain(await refusal('pins.list', { conversationId: id }));
      expect(['forbidden', 'not_found']).toContain(await refusal('typing', { conversationId: id }));
      expect(['forbidden', 'not_found']).toContain(
        await refusal('send', { conversationId: id, clientId: cid(), text: 'x' }),
      );
    }
    const members = await bot.socket.request<{ members: { userId: number }[] }>('rooms.members', {
      conversationId: rooms.sklad,
    });
    expect(members.members.map((m) => m.userId).sort()).toEqual([ivanov.id, petrov.id, bot.id].sort());
  });

  it('requests that are a person’s or an administrator’s are forbidden', async () => {
    const refused: [string, Record<string, unknown>][] = [
      ['rooms.join', { conversationId: rooms.open }],
      ['rooms.create', { name: 'Бот-комната', kind: 'open' }],
      ['rooms.browse', {}],
      ['rooms.leave', { conversationId: rooms.sklad }],
      ['rooms.invite', { conversationId: rooms.sklad, userIds: [ivanov.id] }],
      ['announcements.pending', {}],
      ['password.change', { current: 'x', next: 'совсем-новый-пароль' }],
      ['sessions.list', {}],
      ['sessions.endAll', {}],
      ['session.renew', {}],
      ['settings.set', { readReceipts: false }],
      ['presence.set', { status: 'away' }],
      ['conversations.notify', { conversationId: rooms.sklad, level: 'none' }],
      ['admin', { command: 'users.list' }],
    ];
    for (const [type, params] of refused) {
      await expect(bot.socket.request(type, params), type).rejects.toMatchObject({ code: 'forbidden' });
    }
    // Nothing of it happened: still in Склад only, no new room.
    const listed = await bot.socket.request<{ conversations: Conversation[] }>('conversations.list');
    expect(listed.conversations.map((c) => c.id).sort()).toEqual([rooms.sklad, botDirect].sort());
  });
});

describe('what the bot may do', () => {
  it('replies, reacts, edits and deletes its own message; never someone else’s', async () => {
    const question = await send(petrov.socket, rooms.sklad, 'сколько на складе?');
    await arrived(bot.socket, 'message', (f) => f.message.seq === question.seq);

    const answer = await send(bot.socket, rooms.sklad, 'Остаток: 42', { replyTo: question.seq });
    const seen = await arrived(petrov.socket, 'message', (f) => f.message.seq === answer.seq);
    expect(seen.message).toMatchObject({ senderId: bot.id, replyTo: { seq: question.seq } });

    await bot.socket.request('message.react', { clientId: cid(), seq: question.seq, emoji: '👍', on: true });
    const reacted = await arrived(
      petrov.socket,
      'message.updated',
      (f) => f.update.message.seq === question.seq && (f.update.message.reactions?.length ?? 0) > 0,
    );
    expect(reacted.update.message.reactions).toEqual([expect.objectContaining({ emoji: '👍', userIds: [bot.id] })]);

    await bot.socket.request('message.edit', { clientId: cid(), seq: answer.seq, text: 'Остаток: 41' });
    await arrived(
      petrov.socket,
      'message.updated',
      (f) => f.update.message.seq === answer.seq && f.update.kind === 'edit',
    );
    await expect(
      bot.socket.request('message.edit', { clientId: cid(), seq: question.seq, text: 'чужое' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(bot.socket.request('message.delete', { clientId: cid(), seq: question.seq })).rejects.toMatchObject({
      code: 'forbidden',
    });

    // And in its direct conversation with a person.
    const dm = await send(bot.socket, botDirect, 'Заказ 17 проведён');
    await arrived(ivanov.socket, 'message', (f) => f.message.seq === dm.seq);
    await bot.socket.request('message.delete', { clientId: cid(), seq: dm.seq });
    await arrived(
      ivanov.socket,
      'message.updated',
      (f) => f.update.message.seq === dm.seq && f.update.kind === 'delete',
    );
  });

  it('a replaced or revoked token closes the bot’s socket; a replacement opens it again', async () => {
    const rotated = (await hub.admin_('bot.token', { login: 'onec' })) as { token: string };
    const closed = await bot.socket.closed;
    expect(closed.code).toBe(4101);
    await expect(TestSocket.open(hub.wsUrl, bot.token)).rejects.toMatchObject({ status: 401 });
    bot.socket = await TestSocket.open(hub.wsUrl, rotated.token);
    expect(bot.socket.hello.me.id).toBe(bot.id);
    // Revoked: the socket closes the same way and the token no longer opens one.
    await hub.admin_('bot.revoke', { login: 'onec' });
    expect((await bot.socket.closed).code).toBe(4101);
    await expect(TestSocket.open(hub.wsUrl, rotated.token)).rejects.toMatchObject({ status: 401 });
  });
});
