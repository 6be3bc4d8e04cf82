// Bots and the send API: `bot add/list/token/revoke`, `POST /api/v1/messages`, access, errors,
// idempotency, rate limit, and live delivery to connected clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, User } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, type Answer, cli, clientId, http } from './integrationHelpers.ts';

let hub: TestHub;
let ivanov: { id: number; token: string; socket: TestSocket };
let petrov: { id: number; token: string; socket: TestSocket };
let rooms: { sklad: number; closed: number; open: number };

beforeAll(async () => {
  hub = await startHub();
  const person = async (login: string, name: string) => {
    const u = await hub.addUser(login, name);
    const { token } = await hub.login(login, u.password);
    return { id: u.id, token, socket: await TestSocket.open(hub.wsUrl, token) };
  };
  ivanov = await person('ivanov', 'Иван Иванов');
  petrov = await person('petrov', 'Пётр Петров');
  const create = async (name: string, kind: 'open' | 'closed', members: number[] = []) =>
    (await ivanov.socket.request<{ conversation: { id: number } }>('rooms.create', { name, kind, members }))
      .conversation.id;
  rooms = {
    sklad: await create('Склад', 'closed', [petrov.id]),
    closed: await create('Руководство', 'closed'),
    open: await create('Курилка', 'open'),
  };
});
afterAll(async () => {
  ivanov?.socket.close();
  petrov?.socket.close();
  await hub.stop();
});

describe('bot add / list / token / revoke (CLI)', () => {
  it('creates a bot in its rooms, prints its token once, lists it without the token', async () => {
    const add = cli(['bot', 'add', 'onec', '--name', '1С:Склад', '--rooms', 'склад', '--data', hub.dataDir]);
    expect(add.code, add.err).toBe(0);
    expect(add.out).toMatch(/Created bot onec \(1С:Склад\), id \d+; rooms: Склад/);
    const token = /^\s+(bot_[A-Za-z0-9_-]{43})$/m.exec(add.out)?.[1];
    expect(token).toBeDefined();
    expect(add.out).toMatch(/curl -X POST/);

    // The members of the room were told, with a system message.
    await petrov.socket.next('members', (f) => f.conversationId === rooms.sklad && f.added.length === 1);

    const list = cli(['bot', 'list', '--data', hub.dataDir]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/onec\s+active\s+post\s+Склад/);
    expect(list.out).not.toContain(token!);

    const sent = await http(hub, 'POST', '/api/v1/messages', {
      token,
      json: { to: '#Склад', text: 'Остатки обновлены' },
    });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.message).toMatchObject({ conversationId: rooms.sklad, text: 'Остатки обновлены', kind: 'text' });

    // The sender is marked as a bot for every client.
    const [bot] = (await petrov.socket.request<{ users: User[] }>('users.get', { ids: [sent.body.message.senderId] }))
      .users;
    expect(bot).toMatchObject({ login: 'onec', name: '1С:Склад', isBot: true });

    // Rotating: the old token stops at once, the new one works; revoking: nothing works.
    const rotated = cli(['bot', 'token', 'onec', '--data', hub.dataDir]);
    expect(rotated.code, rotated.err).toBe(0);
    const next = /^\s+(bot_[A-Za-z0-9_-]{43})$/m.exec(rotated.out)?.[1];
    expect(next).toBeDefined();
    expect(next).not.toBe(token);
    const old = await http(hub, 'POST', '/api/v1/messages', { token, json: { to: '#Склад', text: 'старый' } });
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ error: { code: 'unauthorized' } });
    const fresh = await http(hub, 'POST', '/api/v1/messages', { token: next, json: { to: '#Склад', text: 'новый' } });
    expect(fresh.status).toBe(201);

    expect(cli(['bot', 'revoke', 'onec', '--data', hub.dataDir]).code).toBe(0);
    const revoked = await http(hub, 'POST', '/api/v1/messages', { token: next, json: { to: '#Склад', text: 'x' } });
    expect(revoked.status).toBe(401);
    expect(cli(['bot', 'list', '--data', hub.dataDir]).out).toMatch(/onec\s+revoked/);
    const unknown = cli(['bot', 'token', 'nobody', '--data', hub.dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error \(not_found\): no bot "nobody"/m);
    const badRoom = cli(['bot', 'add', 'onec2', '--rooms', 'Нет такой', '--data', hub.dataDir]);
    expect(badRoom.code).toBe(1);
    expect(badRoom.err).toMatch(/no room named "Нет такой"/);
  });

  it('a token revoked while a client is using it fails the very next request', async () => {
    const { token } = await addBot(hub, 'loop', { rooms: ['Склад'] });
    const results: number[] = [];
    for (let i = 0; i < 3; i++)
      results.push(
        (await http(hub, 'POST', '/api/v1/messages', { token, json: { to: '#Склад', text: `n${i}` } })).status,
      );
    await hub.admin_('bot.revoke', { login: 'loop' });
    for (let i = 0; i < 2; i++)
      results.push(
        (await http(hub, 'POST', '/api/v1/messages', { token, json: { to: '#Склад', text: `m${i}` } })).status,
      );
    expect(results).toEqual([201, 201, 201, 401, 401]);
  });

  it('a bot token opens a WebSocket that knows only its rooms (the rest: tests/bots)', async () => {
    const { token } = await addBot(hub, 'nows', { rooms: ['Склад'] });
    const socket = await TestSocket.open(hub.wsUrl, token);
    expect(socket.hello.conversations.map((c) => c.id)).toEqual([rooms.sklad]);
    socket.close();
  });
});

describe('POST /api/v1/messages', () => {
  it('delivers to a room live, to connected members, through the normal send path', async () => {
    const { token, id } = await addBot(hub, 'live', { rooms: ['Склад'] });
    const arriving = petrov.socket.next('message', (f) => f.message.senderId === id && f.message.text === 'Живое');
    const res = await http(hub, 'POST', '/api/v1/messages', { token, json: { to: rooms.sklad, text: 'Живое' } });
    expect(res.status).toBe(201);
    const frame = await arriving;
    expect(frame.message).toEqual(res.body.message);
    // Stored: history shows it, and the unread counter counts it.
    const history = await petrov.socket.request<{ messages: Message[] }>('history', { conversationId: rooms.sklad });
    expect(history.messages.at(-1)).toEqual(res.body.message);
  });

  it('to @login: the message arrives in the direct conversation with the bot', async () => {
    const { token, id } = await addBot(hub, 'dm', { name: 'Напоминалка' });
    const conv = ivanov.socket.next(
      'conversation',
      (f) => f.conversation.kind === 'direct' && f.conversation.peerId === id,
    );
    const msg = ivanov.socket.next('message', (f) => f.message.senderId === id);
    const res = await http(hub, 'POST', '/api/v1/messages', { token, json: { to: '@Ivanov', text: 'Отчёт готов' } });
    expect(res.status, res.text).toBe(201);
    const conversation = (await conv).conversation;
    expect(conversation.name).toBe('Напоминалка');
    expect((await msg).message).toMatchObject({ conversationId: conversation.id, text: 'Отчёт готов' });
    expect(res.body.message.conversationId).toBe(conversation.id);
    // The same conversation next time.
    const again = await http(hub, 'POST', '/api/v1/messages', { token, json: { to: '@ivanov', text: 'Ещё' } });
    expect(again.body.message.conversationId).toBe(conversation.id);
  });

  it('clientId makes a resend return the original message and store nothing new', async () => {
    const { token } = await addBot(hub, 'idem', { rooms: ['Склад'] });
    const id = clientId('order-17');
    const first = await http(hub, 'POST', '/api/v1/messages', {
      token,
      json: { to: '#Склад', text: 'Заказ 17', clientId: id },
    });
    const second = await http(hub, 'POST', '/api/v1/messages', {
      token,
      json: { to: '#Склад', text: 'Заказ 17 (повтор)', clientId: id },
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.message).toEqual(first.body.message);
    const history = await petrov.socket.request<{ messages: Message[] }>('history', { conversationId: rooms.sklad });
    expect(history.messages.filter((m) => m.clientId === id)).toHaveLength(1);
  });

  it("an administrator's session token may post too; a person's may not", async () => {
    const admin = await hub.login(hub.admin!.login, hub.admin!.password);
    const ok = await http(hub, 'POST', '/api/v1/messages', {
      token: admin.token,
      json: { to: '@petrov', text: 'Привет' },
    });
    expect(ok.status, ok.text).toBe(201);
    const person = await http(hub, 'POST', '/api/v1/messages', {
      token: ivanov.token,
      json: { to: '#Склад', text: 'x' },
    });
    expect(person.status).toBe(403);
    expect(person.body.error.code).toBe('forbidden');
  });

  it('refuses with clear JSON errors: unknown, no access, too long, malformed, no token', async () => {
    const { token } = await addBot(hub, 'errs', { rooms: ['Склад'] });
    const post = (json: unknown, t: string | undefined = token) =>
      http(hub, 'POST', '/api/v1/messages', { token: t, json });
    const expectError = async (p: Promise<Answer>, status: number, code: string) => {
      const r = await p;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error.code).toBe(code);
      expect(typeof r.body.error.message).toBe('string');
    };
    await expectError(post({ to: '@nobody', text: 'x' }), 404, 'not_found');
    await expectError(post({ to: '#Нет такой', text: 'x' }), 404, 'not_found');
    // A closed room the bot was not given looks exactly like a missing one.
    const closed = await post({ to: '#Руководство', text: 'x' });
    const missing = await post({ to: 999999, text: 'x' });
    expect(closed.status).toBe(404);
    expect(closed.body).toEqual(missing.body);
    await expectError(post({ to: rooms.closed, text: 'x' }), 404, 'not_found');
    // An open room it is not in: forbidden, as for anyone.
    await expectError(post({ to: '#Курилка', text: 'x' }), 403, 'forbidden');
    // Someone else's direct conversation is not reachable by id.
    const direct = (await ivanov.socket.request<{ conversation: { id: number } }>('direct.open', { userId: petrov.id }))
      .conversation.id;
    await expectError(post({ to: direct, text: 'x' }), 404, 'not_found');
    await expectError(post({ to: '@onec', text: 'x' }), 403, 'forbidden'); // a bot, not a person
    await expectError(post({ to: '#Склад', text: 'я'.repeat(9000) }), 413, 'too_long');
    await expectError(post({ to: '#Склад', text: '   ' }), 400, 'bad_request');
    await expectError(post({ text: 'нет адресата' }), 400, 'bad_request');
    await expectError(post({ to: '#Склад', text: 'x', clientId: 'bad id!' }), 400, 'bad_request');
    await expectError(post({ to: '#Склад', text: 'x', attachments: 'no' }), 400, 'bad_request');
    await expectError(post({ to: '#Склад', text: 5 }), 400, 'bad_request');
    await expectError(
      http(hub, 'POST', '/api/v1/messages', { token, body: '{"to":', headers: { 'content-type': 'application/json' } }),
      400,
      'bad_request',
    );
    await expectError(post({ to: '#Склад', text: 'x' }, ''), 401, 'unauthorized');
    await expectError(post({ to: '#Склад', text: 'x' }, 'bot_' + 'A'.repeat(43)), 401, 'unauthorized');
    await hub.addUser('gone', 'Уволенный');
    await hub.admin_('user.disable', { login: 'gone' });
    await expectError(post({ to: '@gone', text: 'x' }), 403, 'forbidden');
  });

  it('keeps attachments (camelCase or Slack snake_case) and a display name', async () => {
    const { token } = await addBot(hub, 'cards', { rooms: ['Склад'] });
    const res = await http(hub, 'POST', '/api/v1/messages', {
      token,
      json: {
        to: '#Склад',
        text: '',
        displayName: 'Учёт',
        attachments: [
          {
            color: 'danger',
            title: 'Недостача',
            title_link: 'https://1c.example/doc/5',
            fields: [{ title: 'Сумма', value: 1200, short: true }],
          },
          { title: 'Опасная ссылка', titleLink: 'javascript:alert(1)', text: '<b>не HTML</b>' },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.message.displayName).toBe('Учёт');
    expect(res.body.message.attachments).toEqual([
      {
        color: 'danger',
        title: 'Недостача',
        titleLink: 'https://1c.example/doc/5',
        fields: [{ title: 'Сумма', value: '1200', short: true }],
      },
      { title: 'Опасная ссылка', text: '<b>не HTML</b>' },
    ]);
  });

  it('is rate-limited per token, with Retry-After', async () => {
    const { token } = await addBot(hub, 'flood', { rooms: ['Склад'] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    // Sent in concurrent rounds until refused: the bucket (burst 30, 10/s) must run dry however slowly a
    // loaded machine answers, so the test does not depend on 45 sequential requests fitting in 1.5 s.
    for (let round = 0; round < 5 && !statuses.includes(429); round++) {
      const replies = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          http(hub, 'POST', '/api/v1/messages', { token, json: { to: '#Склад', text: `поток ${round}.${i}` } }),
        ),
      );
      for (const r of replies) {
        statuses.push(r.status);
        if (r.status === 429) {
          retryAfter = r.headers.get('retry-after');
          expect(r.body.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
        }
      }
    }
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(30);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another bot is not slowed down by this one.
    const { token: other } = await addBot(hub, 'calm', { rooms: ['Склад'] });
    expect(
      (await http(hub, 'POST', '/api/v1/messages', { token: other, json: { to: '#Склад', text: 'ok' } })).status,
    ).toBe(201);
  });
});

describe('with the hub stopped and restarted', () => {
  it('bot add works on a stopped hub; tokens survive a restart', async () => {
    const { token: before } = await addBot(hub, 'durable', { rooms: ['Склад'] });
    ivanov.socket.close();
    petrov.socket.close();
    expect(await hub.stop()).toBe(0);
    const offline = cli(['bot', 'add', 'offline', '--rooms', 'Склад', '--data', hub.dataDir]);
    expect(offline.code, offline.err).toBe(0);
    const token = /^\s+(bot_[A-Za-z0-9_-]{43})$/m.exec(offline.out)?.[1];
    await hub.restart();
    for (const t of [before, token]) {
      const res = await http(hub, 'POST', '/api/v1/messages', {
        token: t,
        json: { to: '#Склад', text: 'после перезапуска' },
      });
      expect(res.status, res.text).toBe(201);
    }
  });
});
