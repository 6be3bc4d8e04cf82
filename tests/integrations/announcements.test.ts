// Announcements: posted by a bot or an administrator (API and CLI) to everyone, a branch or a room;
// confirmed over the protocol and over HTTP; the sender's report of who has and has not confirmed;
// pending announcements for the client to keep pinned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { ReplyError, TestSocket } from '../helpers/TestSocket.ts';
import { addBot, cli, http } from './integrationHelpers.ts';

interface Person {
  id: number;
  login: string;
  token: string;
  socket: TestSocket;
}

let hub: TestHub;
let bot: { token: string; id: number };
let anna: Person;
let boris: Person;
let vera: Person;
let adminToken: string;

beforeAll(async () => {
  hub = await startHub();
  const person = async (login: string, name: string, branch?: string): Promise<Person> => {
    const u = await hub.addUser(login, name, branch ? { branch } : {});
    const { token } = await hub.login(login, u.password);
    return { id: u.id, login, token, socket: await TestSocket.open(hub.wsUrl, token) };
  };
  anna = await person('anna', 'Анна Алексеева', 'Офис Тверь');
  boris = await person('boris', 'Борис Борисов', 'Офис Тверь');
  vera = await person('vera', 'Вера Васильева', 'Офис Клин');
  adminToken = (await hub.login(hub.admin!.login, hub.admin!.password)).token;
  bot = await addBot(hub, 'hr', { name: 'Отдел кадров', rooms: ['Общий чат'] });
});
afterAll(async () => {
  for (const p of [anna, boris, vera]) p?.socket.close();
  await hub.stop();
});

const announce = (token: string, json: unknown) => http(hub, 'POST', '/api/v1/announcements', { token, json });
const status = (token: string, seq: number) => http(hub, 'GET', `/api/v1/announcements/${seq}`, { token });

describe('announcement to everyone from a bot', () => {
  let seq: number;

  it('reaches every connected person live as kind "announcement", notifying like @all', async () => {
    const arriving = [anna, boris, vera].map((p) =>
      p.socket.next('message', (f) => f.message.kind === 'announcement' && f.message.senderId === bot.id),
    );
    const res = await announce(bot.token, { to: 'all', text: 'С 1 июля новый график работы' });
    expect(res.status, res.text).toBe(201);
    const message = res.body.message as Message;
    expect(message).toMatchObject({ kind: 'announcement', text: 'С 1 июля новый график работы', mentionsAll: true });
    for (const frame of await Promise.all(arriving)) expect(frame.message).toEqual(message);
    seq = message.seq;
  });

  it('stays pending for everyone until they confirm; confirming over the protocol and over HTTP', async () => {
    for (const p of [anna, boris, vera]) {
      const { messages } = await p.socket.request<{ messages: Message[] }>('announcements.pending');
      expect(messages.map((m) => m.seq)).toEqual([seq]);
    }
    // Anna confirms over the protocol; her other device hears it, so it unpins there too.
    const second = await TestSocket.open(hub.wsUrl, anna.token);
    const unpinned = second.next('announcement.confirmed', (f) => f.seq === seq);
    expect(await anna.socket.request('announcements.confirm', { seq })).toEqual({});
    await unpinned;
    second.close();
    // Confirming twice is harmless and keeps the first time.
    expect(await anna.socket.request('announcements.confirm', { seq })).toEqual({});
    // Boris confirms over HTTP with his session.
    const viaHttp = await http(hub, 'POST', `/api/v1/announcements/${seq}/confirm`, { token: boris.token });
    expect(viaHttp.status, viaHttp.text).toBe(200);

    expect((await anna.socket.request<{ messages: Message[] }>('announcements.pending')).messages).toEqual([]);
    expect((await boris.socket.request<{ messages: Message[] }>('announcements.pending')).messages).toEqual([]);
    // A reconnect (a new hello) does not lose Vera's pin.
    const fresh = await TestSocket.open(hub.wsUrl, vera.token);
    expect((await fresh.request<{ messages: Message[] }>('announcements.pending')).messages.map((m) => m.seq)).toEqual([
      seq,
    ]);
    fresh.close();
    // Over HTTP as well.
    const pending = await http(hub, 'GET', '/api/v1/announcements/pending', { token: vera.token });
    expect(pending.body.messages.map((m: Message) => m.seq)).toEqual([seq]);
  });

  it('tells the sender who has and has not confirmed', async () => {
    const res = await status(bot.token, seq);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ seq, senderId: bot.id });
    expect(res.body.confirmed.map((c: { login: string }) => c.login)).toEqual(['anna', 'boris']);
    for (const c of res.body.confirmed) {
      expect(c).toMatchObject({ userId: expect.any(Number), name: expect.any(String), at: expect.any(Number) });
    }
    // Everyone else who was in the general room then: Vera and the administrator. Not bots.
    expect(res.body.pending.map((p: { login: string }) => p.login).sort()).toEqual(['admin', 'vera']);

    // People who joined later are not asked.
    await hub.addUser('later', 'Позже Пришедший');
    expect((await status(bot.token, seq)).body.pending).toHaveLength(2);

    // An administrator may look too, and so may IT on the command line.
    expect((await status(adminToken, seq)).status).toBe(200);
    const report = cli(['announce', 'status', String(seq), '--data', hub.dataDir]);
    expect(report.code, report.err).toBe(0);
    expect(report.out).toMatch(new RegExp(`Announcement ${seq} .*: 2 confirmed, 2 not yet\\.`));
    expect(report.out).toMatch(/Confirmed:\n\s+anna\s+Анна Алексеева/);
    expect(report.out).toMatch(/Not confirmed yet:\n(.*\n)*\s+vera\s+Вера Васильева/);

    // A member who is neither sender nor administrator may not; an outsider cannot even tell it exists.
    const member = await status(vera.token, seq);
    expect(member.status).toBe(403);
    expect(member.body.error.code).toBe('forbidden');
    expect((await status(bot.token, 999999)).status).toBe(404);
  });
});

describe('announcement to a branch and to a room', () => {
  it('an administrator (CLI) announces to a branch: only that branch must confirm', async () => {
    const out = cli(
      ['announce', '--to', 'branch:офис тверь', '--data', hub.dataDir],
      'Тверь: в пятницу отключат свет\nс 10 до 12',
    );
    expect(out.code, out.err).toBe(0);
    const seq = Number(/Announcement (\d+) posted/.exec(out.out)?.[1]);
    expect(seq).toBeGreaterThan(0);
    const [pendingAnna] = (await anna.socket.request<{ messages: Message[] }>('announcements.pending')).messages;
    expect(pendingAnna).toMatchObject({ seq, text: 'Тверь: в пятницу отключат свет\nс 10 до 12' });
    expect((await vera.socket.request<{ messages: Message[] }>('announcements.pending')).messages).toHaveLength(1);
    const report = (await status(adminToken, seq)).body;
    expect(report.pending.map((p: { login: string }) => p.login).sort()).toEqual(['anna', 'boris']);
    await anna.socket.request('announcements.confirm', { seq });
    await boris.socket.request('announcements.confirm', { seq });
    expect((await status(adminToken, seq)).body).toMatchObject({ pending: [] });
    expect((await status(adminToken, seq)).body.confirmed).toHaveLength(2);
  });

  it("an administrator's session announces to a room by name", async () => {
    const room = (
      await vera.socket.request<{ conversation: { id: number } }>('rooms.create', {
        name: 'Склад',
        kind: 'open',
        members: [anna.id],
      })
    ).conversation.id;
    const res = await announce(adminToken, { to: '#склад', text: 'Инвентаризация в субботу' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.message.conversationId).toBe(room);
    const report = (await status(adminToken, res.body.message.seq)).body;
    expect(report.pending.map((p: { login: string }) => p.login).sort()).toEqual(['anna', 'vera']);
  });

  it('refuses people, persons as targets, unknown branches, rooms a bot was not given', async () => {
    const person = await announce(anna.token, { to: 'all', text: 'x' });
    expect(person.status).toBe(403);
    expect((await announce(bot.token, { to: '@anna', text: 'x' })).status).toBe(400);
    const branch = await announce(adminToken, { to: 'branch:Нигде', text: 'x' });
    expect(branch.status).toBe(404);
    expect(branch.body.error.code).toBe('not_found');
    expect((await announce(bot.token, { to: '#Склад', text: 'x' })).status).toBe(403); // open, not given
    expect((await announce(bot.token, { to: 'branch:Офис Тверь', text: 'x' })).status).toBe(403);
    expect((await announce(bot.token, { to: 'all', text: '' })).status).toBe(400);
    expect((await announce('', { to: 'all', text: 'x' })).status).toBe(401);
  });

  it('confirming what is not an announcement, or one in a room the person is not in, is not_found', async () => {
    const plain = await http(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      json: { to: 'all', text: 'просто' },
    });
    expect(plain.status, plain.text).toBe(201);
    await expect(anna.socket.request('announcements.confirm', { seq: plain.body.message.seq })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(anna.socket.request('announcements.confirm', { seq: 999999 })).rejects.toBeInstanceOf(ReplyError);
    // An announcement in a room Vera is not in.
    const tver = cli(['announce', '--to', 'branch:Офис Тверь', '--text', 'только Тверь', '--data', hub.dataDir]);
    const seq = Number(/Announcement (\d+)/.exec(tver.out)?.[1]);
    await expect(vera.socket.request('announcements.confirm', { seq })).rejects.toMatchObject({ code: 'not_found' });
    const viaHttp = await http(hub, 'POST', `/api/v1/announcements/${seq}/confirm`, { token: vera.token });
    expect(viaHttp.status).toBe(404);
    expect((await status(vera.token, seq)).status).toBe(404);
  });
});
