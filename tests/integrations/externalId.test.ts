// 1C addresses people by an external id (the infobase user's UUID): PUT/GET
// /api/v1/users/by-external-id/{id} on a real hub. Logins are generated once from the name and never
// collide (namesakes, concurrent PUTs), absent fields stay, null clears, an existing login is adopted,
// and a login already linked to another external id is a 409. Bodies as 1C's ЗаписатьJSON writes them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, http, json1C, withBom } from './integrationHelpers.ts';

let hub: TestHub;
let directory: string;
let messages: string;

beforeAll(async () => {
  hub = await startHub();
  directory = (await addBot(hub, 'onec-directory', { directory: true })).token;
  messages = (await addBot(hub, 'onec', { name: '1С:Предприятие' })).token;
});
afterAll(async () => {
  await hub.stop();
});

const path = (id: string) => `/api/v1/users/by-external-id/${encodeURIComponent(id)}`;
/** A PUT as 1C sends it: tabs, CRLF, a byte-order mark. */
const put = (id: string, body: Record<string, unknown>, token = directory) =>
  http(hub, 'PUT', path(id), {
    token,
    body: withBom(json1C(body)),
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
const get = (id: string, token = directory) => http(hub, 'GET', path(id), { token });

describe('PUT /api/v1/users/by-external-id/{id}', () => {
  it('creates a person under a login generated from the name, and namesakes get distinct logins', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const a = await put(first, { name: 'Иванов Иван Иванович', branch: 'Склад', email: 'ivanov@example.ru' });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({
      created: true,
      user: { login: 'ivanov.ii', name: 'Иванов Иван Иванович', externalId: first, active: true, branch: 'Склад' },
    });
    const b = await put(second, { name: 'Иванов Игорь Ильич' });
    expect(b.status, b.text).toBe(201);
    expect(b.body.user.login).toBe('ivanov.ii2');
    // The first person is untouched by the namesake.
    const again = await get(first);
    expect(again.status).toBe(200);
    expect(again.body.user).toMatchObject({ login: 'ivanov.ii', externalId: first, email: 'ivanov@example.ru' });
  });

  it('never changes the login: a renamed person keeps theirs, and a repeat answers 200 unchanged', async () => {
    const id = randomUUID();
    const created = await put(id, { name: 'Смирнова Юлия Андреевна' });
    expect(created.body.user.login).toBe('smirnova.ya');
    const renamed = await put(id, { name: 'Кузнецова Юлия Андреевна', login: 'something-else' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({
      created: false,
      user: { login: 'smirnova.ya', name: 'Кузнецова Юлия Андреевна', externalId: id },
    });
    const repeat = await put(id, { name: 'Кузнецова Юлия Андреевна' });
    expect(repeat.status).toBe(200);
    expect(repeat.body.user.login).toBe('smirnova.ya');
  });

  it('leaves a field absent from the body as it is, and null clears it', async () => {
    const id = randomUUID();
    await put(id, {
      name: 'Петров Пётр',
      email: 'petrov@example.ru',
      position: 'Кладовщик',
      phone: '+7 495 123-45-67',
      branch: 'Тверь',
    });
    const absent = await put(id, { name: 'Петров Пётр' });
    expect(absent.body.user).toMatchObject({
      email: 'petrov@example.ru',
      position: 'Кладовщик',
      phone: '+7 495 123-45-67',
      branch: 'Тверь',
    });
    const cleared = await put(id, { name: 'Петров Пётр', email: null, phone: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.user.email).toBeNull();
    expect(cleared.body.user.phone).toBeUndefined();
    expect(cleared.body.user).toMatchObject({ position: 'Кладовщик', branch: 'Тверь' });
    const disabled = await put(id, { name: 'Петров Пётр', active: false });
    expect(disabled.body.user).toMatchObject({ active: false, disabled: true });
  });

  it('the old PUT /api/v1/users/{login} also leaves absent fields as they are', async () => {
    await http(hub, 'PUT', '/api/v1/users/sidorov', {
      token: directory,
      json: { name: 'Сидоров', email: 'sidorov@example.ru', position: 'Бухгалтер' },
    });
    const res = await http(hub, 'PUT', '/api/v1/users/sidorov', { token: directory, json: { name: 'Сидоров С.' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Сидоров С.', email: 'sidorov@example.ru', position: 'Бухгалтер' });
    const cleared = await http(hub, 'PUT', '/api/v1/users/sidorov', {
      token: directory,
      json: { name: 'Сидоров С.', email: null },
    });
    expect(cleared.body.user.email).toBeNull();
  });

  it('adopts an existing account by login, and refuses a login linked to another external id (409)', async () => {
    await hub.addUser('kozlova', 'Козлова Анна');
    const id = randomUUID();
    const linked = await put(id, { name: 'Козлова Анна Сергеевна', login: 'kozlova' });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body).toMatchObject({ created: false, user: { login: 'kozlova', externalId: id } });
    const other = await put(randomUUID(), { name: 'Козлова Анна', login: 'kozlova' });
    expect(other.status, other.text).toBe(409);
    expect(other.body.error.code).toBe('conflict');
    expect(other.body.error.message).toContain('kozlova');
  });

  it('refuses an administrator or a bot login to adopt, and a malformed external id', async () => {
    const admin = await put(randomUUID(), { name: 'Админ', login: hub.admin!.login });
    expect(admin.status, admin.text).toBe(403);
    const bot = await put(randomUUID(), { name: 'Бот', login: 'onec' });
    expect(bot.status, bot.text).toBe(409);
    const bad = await put('has space', { name: 'Кто-то' });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.error.message).toContain('external id');
  });

  it('two concurrent PUTs for namesakes get two logins and two accounts', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const answers = await Promise.all(ids.map((id) => put(id, { name: 'Орлов Олег Олегович' })));
    for (const a of answers) expect(a.status, a.text).toBe(201);
    const logins = answers.map((a) => a.body.user.login as string).sort();
    expect(logins).toEqual(['orlov.oo', 'orlov.oo2', 'orlov.oo3']);
    for (const [i, id] of ids.entries()) expect((await get(id)).body.user.login).toBe(answers[i]!.body.user.login);
  });

  it('GET answers 404 for an unknown external id, and both need the directory right', async () => {
    expect((await get(randomUUID())).status).toBe(404);
    expect((await get(randomUUID(), messages)).status).toBe(403);
    expect((await put(randomUUID(), { name: 'Кто-то' }, messages)).status).toBe(403);
  });
});

describe('POST /api/v1/messages to "ext:<externalId>"', () => {
  it('writes to the person linked to that external id, and 404 for an unknown one', async () => {
    const id = randomUUID();
    const person = await put(id, { name: 'Зайцев Захар', password: 'Пароль-для-теста-1' });
    expect(person.body.user.login).toBe('zaytsev.z');
    const res = await http(hub, 'POST', '/api/v1/messages', {
      token: messages,
      json: { to: `ext:${id}`, text: 'Согласуйте заказ №17', clientId: 'ext-test-0001' },
    });
    expect(res.status, res.text).toBe(201);
    const { token } = await hub.login('zaytsev.z', 'Пароль-для-теста-1');
    const socket = await TestSocket.open(hub.wsUrl, token);
    const direct = socket.hello.conversations.find((c) => c.id === res.body.message.conversationId);
    socket.close();
    expect(direct?.kind).toBe('direct');
    const unknown = await http(hub, 'POST', '/api/v1/messages', {
      token: messages,
      json: { to: `ext:${randomUUID()}`, text: 'Кому?', clientId: 'ext-test-0002' },
    });
    expect(unknown.status, unknown.text).toBe(404);
  });
});
