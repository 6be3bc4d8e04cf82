// Squatting rooms, against a real hub: a person makes a room whose name looks like the general
// room's (Latin letters, a no-break or zero-width space, an RLO mark, an alias) hoping that
// `bot add --rooms`, `hook add --room` and the send API bind to it; or makes «Офис Казань» before
// the directory sync does, hoping to own the branch's room. Both are refused or come to nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, cli, http } from './integrationHelpers.ts';

interface Person {
  id: number;
  token: string;
  socket: TestSocket;
}

let hub: TestHub;
let squatter: Person;
let admin: Person;
let generalId: number;
let sync: string;

beforeAll(async () => {
  hub = await startHub();
  const u = await hub.addUser('squatter', 'Сквоттер');
  const { token } = await hub.login('squatter', u.password);
  squatter = { id: u.id, token, socket: await TestSocket.open(hub.wsUrl, token) };
  const a = await hub.login(hub.admin!.login, hub.admin!.password);
  admin = { id: a.user.id, token: a.token, socket: await TestSocket.open(hub.wsUrl, a.token) };
  generalId = admin.socket.hello.conversations.find((c) => c.kind === 'general')!.id;
  sync = (await addBot(hub, 'onec-hr', { directory: true })).token;
});
afterAll(async () => {
  squatter?.socket.close();
  admin?.socket.close();
  await hub.stop();
});

const create = (who: Person, name: string, kind: 'open' | 'closed' = 'open', topic?: string) =>
  who.socket
    .request<{ conversation: Conversation }>('rooms.create', { name, kind, ...(topic ? { topic } : {}) })
    .then((r) => r.conversation);

/** Where a message sent through the API to `to` lands. */
async function landsIn(token: string, to: string): Promise<number> {
  const res = await http(hub, 'POST', '/api/v1/messages', { token, json: { to, text: `в ${to}` } });
  expect(res.status, `${to}: ${res.text}`).toBe(201);
  return (res.body.message as Message).conversationId;
}

describe("the general room's name cannot be squatted", () => {
  it('every look-alike of «Общий чат» and every alias is refused, as a new room and as a rename', async () => {
    const attempts: [string, string, string][] = [
      ['Latin O and a', 'Oбщий чaт', 'conflict'],
      ['a no-break space', 'Общий\u00a0чат', 'conflict'],
      ['capitals', 'ОБЩИЙ ЧАТ', 'conflict'],
      ['a zero-width space', 'Общий\u200b чат', 'bad_request'],
      ['a right-to-left override', '\u202eОбщий чат', 'bad_request'],
      ['the alias all', 'all', 'conflict'],
      ['the alias general', 'General', 'conflict'],
    ];
    for (const [how, name, code] of attempts) await expect(create(squatter, name), how).rejects.toMatchObject({ code });
    const own = await create(squatter, 'Курилка');
    await expect(
      squatter.socket.request('rooms.update', { conversationId: own.id, name: 'Oбщий чaт' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const mine = await squatter.socket.request<{ conversations: Conversation[] }>('conversations.list');
    expect(mine.conversations.map((c) => c.name).sort()).toEqual(['Курилка', 'Общий чат']);
  });

  it('bot --rooms, hook --room and the send API reach the general room by its name or an alias', async () => {
    // As IT types it; the admin socket behind the CLI for the other spellings.
    const r = cli(['bot', 'add', 'by-name', '--rooms', 'Общий чат', '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    for (const [login, room] of [
      ['by-hash', '#general'],
      ['by-all', 'all'],
      ['by-latin', 'Oбщий чaт'],
    ] as const)
      await addBot(hub, login, { rooms: [room] });
    const { bots } = (await hub.admin_('bot.list', {})) as { bots: { login: string; rooms: { id: number }[] }[] };
    for (const login of ['by-name', 'by-hash', 'by-all', 'by-latin'])
      expect(
        bots.find((b) => b.login === login)!.rooms.map((room) => room.id),
        login,
      ).toEqual([generalId]);

    const hook = (await hub.admin_('hook.add', { room: 'Общий чат' })) as { hook: { roomId: number }; secret: string };
    expect(hook.hook.roomId).toBe(generalId);
    const arriving = admin.socket.next('message', (f) => f.message.text === 'Сбой на складе');
    const posted = await http(hub, 'POST', `/hooks/${hook.secret}`, { json: { text: 'Сбой на складе' } });
    expect(posted.status, posted.text).toBe(200);
    expect((await arriving).message.conversationId).toBe(generalId);

    const { token } = await addBot(hub, 'sender', { rooms: ['general'] });
    for (const to of ['#Общий чат', 'Общий чат', '#general', 'general', 'all', '#Oбщий чaт'])
      expect(await landsIn(token, to), to).toBe(generalId);
  }, 60_000);

  it('once the general room is renamed, its first name still means it and nobody can take either', async () => {
    await admin.socket.request('rooms.update', { conversationId: generalId, name: 'Вся компания' });
    await expect(create(squatter, 'Общий чат')).rejects.toMatchObject({ code: 'conflict' });
    await expect(create(squatter, 'Вся кoмпания')).rejects.toMatchObject({ code: 'conflict' });
    const { token } = await addBot(hub, 'sender-2', { rooms: ['Общий чат'] });
    expect(await landsIn(token, '#Общий чат')).toBe(generalId);
    expect(await landsIn(token, '#Вся компания')).toBe(generalId);
    const { hook } = (await hub.admin_('hook.add', { room: 'Общий чат' })) as { hook: { roomId: number } };
    expect(hook.roomId).toBe(generalId);
    await admin.socket.request('rooms.update', { conversationId: generalId, name: 'Общий чат' });
  });
});

describe('branch rooms cannot be pre-claimed', () => {
  let branchRoom: Conversation;
  let kazan: Person;

  it("a person's room named like the branch is left alone; the hub makes its own, with no owner", async () => {
    const fake = await create(squatter, 'Офис Казань', 'open', 'Пишите сюда');
    const res = await http(hub, 'PUT', '/api/v1/users/kazanova', {
      token: sync,
      json: { name: 'Казанова Ольга', branch: 'Офис Казань', password: 'Первый-пароль-1' },
    });
    expect(res.status, res.text).toBe(201);
    const { token } = await hub.login('kazanova', 'Первый-пароль-1');
    kazan = { id: res.body.user.id, token, socket: await TestSocket.open(hub.wsUrl, token) };
    const rooms = kazan.socket.hello.conversations;
    expect(rooms.map((c) => c.name).sort()).toEqual(['Общий чат', 'Офис Казань (филиал)']);
    branchRoom = rooms.find((c) => c.name === 'Офис Казань (филиал)')!;
    expect(branchRoom).toMatchObject({ kind: 'open', ownerId: null, topic: '' });
    expect(branchRoom.id).not.toBe(fake.id);
    const fakeMembers = await squatter.socket.request<{ members: { userId: number }[] }>('rooms.members', {
      conversationId: fake.id,
    });
    expect(fakeMembers.members.map((m) => m.userId)).toEqual([squatter.id]);

    // Everything that names the branch reaches the hub's room, not the squatter's.
    const announced = (await hub.admin_('announce', { to: 'branch:Офис Казань', text: 'Проверка связи' })) as {
      message: Message;
    };
    expect(announced.message.conversationId).toBe(branchRoom.id);
    const { token: botToken, id: botId } = await addBot(hub, 'kazan-bot', { rooms: ['branch:Офис Казань'] });
    expect(await landsIn(botToken, 'branch:Офис Казань')).toBe(branchRoom.id);
    expect(botId).toBeGreaterThan(0);
  });

  it('the squatter, joining it, cannot remove staff, rewrite the topic or take it over; an administrator can manage it', async () => {
    await squatter.socket.request('rooms.join', { conversationId: branchRoom.id });
    const conversationId = branchRoom.id;
    for (const [type, params] of [
      ['rooms.remove', { conversationId, userId: kazan.id }],
      ['rooms.update', { conversationId, topic: 'Моя комната' }],
      ['rooms.update', { conversationId, name: 'Моя комната' }],
      ['rooms.transfer', { conversationId, userId: squatter.id }],
    ] as const)
      await expect(squatter.socket.request(type, params), type).rejects.toMatchObject({ code: 'forbidden' });

    // The administrator is in it already when the announcement above came from them.
    const present = await admin.socket.request<{ members: { userId: number }[] }>('rooms.members', { conversationId });
    if (!present.members.some((m) => m.userId === admin.id))
      await admin.socket.request('rooms.join', { conversationId });
    const updated = await admin.socket.request<{ conversation: Conversation }>('rooms.update', {
      conversationId,
      topic: 'Филиал в Казани',
    });
    expect(updated.conversation).toMatchObject({ topic: 'Филиал в Казани', ownerId: null });
    await admin.socket.request('rooms.remove', { conversationId, userId: squatter.id });
    kazan.socket.close();
  });

  it('taking the suffixed names as well does not stop the sync: the next free one is used', async () => {
    await create(squatter, 'Офис Уфа', 'closed');
    await create(squatter, 'Офис Уфа (филиал)');
    const res = await http(hub, 'PUT', '/api/v1/users/ufimtsev', {
      token: sync,
      json: { name: 'Уфимцев Олег', branch: 'Офис Уфа', password: 'Первый-пароль-2' },
    });
    expect(res.status, res.text).toBe(201);
    const { token } = await hub.login('ufimtsev', 'Первый-пароль-2');
    const socket = await TestSocket.open(hub.wsUrl, token);
    expect(socket.hello.conversations.map((c) => c.name).sort()).toEqual(['Общий чат', 'Офис Уфа (филиал 2)']);
    socket.close();
  });
});
