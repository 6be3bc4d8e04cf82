// Directory sync: PUT/DELETE /api/v1/users/{login} (an administrator or a bot given the right),
// branch rooms, and `user import FILE.csv` (UTF-8 with or without BOM, Windows-1251, `;` or `,`,
// all or nothing with every bad line reported).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountInfo } from '../../hub/ops/Hub.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, type Answer, cli, http } from './integrationHelpers.ts';

let hub: TestHub;
let sync: string;
const files = mkdtempSync(path.join(os.tmpdir(), 'beseda-csv-'));

beforeAll(async () => {
  hub = await startHub();
  sync = (await addBot(hub, 'onec-hr', { directory: true })).token;
});
afterAll(async () => {
  await hub.stop();
});

const put = (login: string, json: unknown, token = sync) => http(hub, 'PUT', `/api/v1/users/${login}`, { token, json });
const accounts = async () => ((await hub.admin_('user.list', {})) as { users: AccountInfo[] }).users;
const account = async (login: string) => (await accounts()).find((u) => u.login === login);

/** The names of the conversations a person sees on connecting. */
async function roomsOf(login: string, password: string): Promise<string[]> {
  const { token } = await hub.login(login, password);
  const s = await TestSocket.open(hub.wsUrl, token);
  const names = s.hello.conversations.map((c) => c.name);
  s.close();
  return names.sort();
}

describe('PUT /api/v1/users/{login}', () => {
  it('creates a person in the general room and their branch room (made on first use)', async () => {
    const res = await put('kozlov', {
      name: 'Козлов Андрей',
      branch: 'Офис Тверь',
      email: 'kozlov@example.ru',
      active: true,
      password: 'Первый-пароль-1',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      created: true,
      user: { login: 'kozlov', name: 'Козлов Андрей', branch: 'Офис Тверь', email: 'kozlov@example.ru', isBot: false },
    });
    expect(await roomsOf('kozlov', 'Первый-пароль-1')).toEqual(['Общий чат', 'Офис Тверь']);
  });

  it('a repeat with the same data changes nothing and signs nobody out', async () => {
    const { token } = await hub.login('kozlov', 'Первый-пароль-1');
    const s = await TestSocket.open(hub.wsUrl, token);
    const res = await put('kozlov', {
      name: 'Козлов Андрей',
      branch: 'Офис Тверь',
      email: 'kozlov@example.ru',
      active: true,
      password: 'Первый-пароль-1',
    });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(false);
    // Still connected: a request gets its answer.
    expect(await s.request('conversations.list')).toHaveProperty('conversations');
    s.close();
  });

  it('moving to another branch moves the person between branch rooms, live', async () => {
    const { token } = await hub.login('kozlov', 'Первый-пароль-1');
    const s = await TestSocket.open(hub.wsUrl, token);
    const tver = s.hello.conversations.find((c) => c.name === 'Офис Тверь')!.id;
    const removed = s.next('conversation.removed', (f) => f.conversationId === tver);
    const added = s.next('conversation', (f) => f.conversation.name === 'Офис Клин');
    const res = await put('kozlov', { name: 'Козлов Андрей Петрович', branch: 'Офис Клин' });
    expect(res.status, res.text).toBe(200);
    await removed;
    await added;
    s.close();
    expect(await account('kozlov')).toMatchObject({
      name: 'Козлов Андрей Петрович',
      branch: 'Офис Клин',
      email: 'kozlov@example.ru',
    });
    expect(await roomsOf('kozlov', 'Первый-пароль-1')).toEqual(['Общий чат', 'Офис Клин']);
  });

  it('a new password ends the sessions; active:false disables and closes the sockets at once', async () => {
    const { token } = await hub.login('kozlov', 'Первый-пароль-1');
    const s = await TestSocket.open(hub.wsUrl, token);
    expect((await put('kozlov', { name: 'Козлов Андрей Петрович', password: 'Второй-пароль-2' })).status).toBe(200);
    expect((await s.closed).code).toBe(4101);
    const t2 = (await hub.login('kozlov', 'Второй-пароль-2')).token;
    const s2 = await TestSocket.open(hub.wsUrl, t2);
    expect((await put('kozlov', { name: 'Козлов Андрей Петрович', active: false })).status).toBe(200);
    expect((await s2.closed).code).toBe(4103);
    await expect(hub.login('kozlov', 'Второй-пароль-2')).rejects.toMatchObject({ status: 403 });
    expect((await put('kozlov', { name: 'Козлов Андрей Петрович', active: true })).status).toBe(200);
    await hub.login('kozlov', 'Второй-пароль-2');
  });

  it('a person created without a password cannot sign in with any until IT sets one', async () => {
    expect((await put('nopass', { name: 'Без Пароля' })).status).toBe(201);
    await expect(hub.login('nopass', 'anything-at-all')).rejects.toMatchObject({ status: 401 });
    const set = cli(['user', 'passwd', 'nopass', '--data', hub.dataDir], 'Теперь-есть-1\n');
    expect(set.code, set.err).toBe(0);
    await hub.login('nopass', 'Теперь-есть-1');
  });

  it('DELETE disables (closing sockets); the account and its messages stay', async () => {
    await put('leaver', { name: 'Уходящий', password: 'Пароль-ухода-1' });
    const s = await TestSocket.open(hub.wsUrl, (await hub.login('leaver', 'Пароль-ухода-1')).token);
    const res = await http(hub, 'DELETE', '/api/v1/users/leaver', { token: sync });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ login: 'leaver', disabled: true });
    expect((await s.closed).code).toBe(4103);
    expect(await account('leaver')).toMatchObject({ disabled: true });
  });

  it("an administrator's session may sync too", async () => {
    const admin = await hub.login(hub.admin!.login, hub.admin!.password);
    expect((await put('viaadmin', { name: 'Через Админа' }, admin.token)).status).toBe(201);
  });

  it("refuses: no right, malformed, bad fields, a bot's login, unknown login to disable", async () => {
    const expectError = async (p: Promise<Answer>, status: number, code: string) => {
      const r = await p;
      expect(r.status, r.text).toBe(status);
      expect(r.body.error.code).toBe(code);
    };
    const plainBot = (await addBot(hub, 'plain')).token;
    await expectError(put('x1', { name: 'X' }, plainBot), 403, 'forbidden');
    const u = await hub.addUser('person', 'Человек');
    const personToken = (await hub.login('person', u.password)).token;
    await expectError(put('x1', { name: 'X' }, personToken), 403, 'forbidden');
    await expectError(http(hub, 'DELETE', '/api/v1/users/kozlov', { token: personToken }), 403, 'forbidden');
    await expectError(put('x1', { name: 'X' }, ''), 401, 'unauthorized');
    await expectError(put('Не%20логин', { name: 'X' }), 400, 'bad_request');
    await expectError(put('x1', {}), 400, 'bad_request');
    await expectError(put('x1', { name: '  ' }), 400, 'bad_request');
    await expectError(put('x1', { name: 'X', email: 'not-an-address' }), 400, 'bad_request');
    await expectError(put('x1', { name: 'X', active: 'yes' }), 400, 'bad_request');
    await expectError(put('x1', { name: 'X', password: 'short' }), 400, 'bad_request');
    await expectError(put('x1', { name: 'X', login: 'x2' }), 400, 'bad_request');
    await expectError(put('plain', { name: 'X' }), 409, 'conflict');
    await expectError(http(hub, 'DELETE', '/api/v1/users/nobody', { token: sync }), 404, 'not_found');
    expect(await account('x1')).toBeUndefined();
  });
});

describe('user import FILE.csv', () => {
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(files, name);
    writeFileSync(file, content);
    return file;
  };

  it('loads a 1C export: UTF-8 with BOM, ";" separated, quoted fields, Russian yes/no', async () => {
    const file = write(
      'staff.csv',
      '\uFEFFlogin;name;branch;email;active\r\n' +
        'orlova;Орлова Ольга;Офис Тверь;orlova@example.ru;да\r\n' +
        'popov;"Попов; Пётр ""Старший""";Офис Клин;;1\r\n' +
        'sokolov;Соколов Сергей;;;нет\r\n' +
        '\r\n',
    );
    const r = cli(['user', 'import', file, '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Imported staff\.csv \(utf-8\): 3 created, 0 updated, 0 unchanged\./);
    expect(await account('orlova')).toMatchObject({ name: 'Орлова Ольга', branch: 'Офис Тверь', disabled: false });
    expect(await account('popov')).toMatchObject({ name: 'Попов; Пётр "Старший"', branch: 'Офис Клин', email: null });
    expect(await account('sokolov')).toMatchObject({ disabled: true, branch: null });
    // Their branch rooms: Орлова is in the one made for Тверь.
    await hub.admin_('user.passwd', { login: 'orlova', password: 'Пароль-Орловой-1' });
    expect(await roomsOf('orlova', 'Пароль-Орловой-1')).toEqual(['Общий чат', 'Офис Тверь']);
    // Importing it again changes nothing.
    expect(cli(['user', 'import', file, '--data', hub.dataDir]).out).toMatch(/0 created, 0 updated, 3 unchanged/);
  });

  it('reads Windows-1251 (what Excel saves as CSV on a Russian Windows) and "," separators', async () => {
    const text =
      'логин,ФИО,Подразделение,Почта,Активен\r\nzaitseva,Зайцева Жанна Ёжиковна,Офис Клин,z@example.ru,1\r\n';
    const bytes = Buffer.from(text.split('').map((ch) => cp1251(ch)));
    const file = write('cp1251.csv', bytes);
    const r = cli(['user', 'import', file, '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/\(windows-1251\): 1 created/);
    expect(await account('zaitseva')).toMatchObject({ name: 'Зайцева Жанна Ёжиковна', branch: 'Офис Клин' });
  });

  it('imports nothing when any line is wrong, and lists every wrong line with its number', async () => {
    const file = write(
      'bad.csv',
      'login;name;branch;email;active\n' +
        'good1;Хороший Первый;;;1\n' +
        'Плохой Логин;Имя;;;1\n' +
        'good2;Хороший Второй;;;1\n' +
        'good1;Дубликат;;;1\n' +
        'good3;;;;1\n' +
        'good4;Четвёртый;;нет-почты;1\n' +
        'good5;Пятый;;;может быть\n' +
        'good6;Шестой;лишнее;поле;1;ещё\n' +
        'plain;Бот;;;1\n',
    );
    const r = cli(['user', 'import', file, '--data', hub.dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.csv: nothing imported; 7 error\(s\):/);
    const lines = [...r.err.matchAll(/line (\d+): /g)].map((m) => Number(m[1]));
    expect(lines).toEqual([3, 5, 6, 7, 8, 9, 10]);
    expect(r.err).toMatch(/line 5: the login "good1" is also on line 2/);
    expect(r.err).toMatch(/line 6: a name is required/);
    expect(r.err).toMatch(/line 9: expected 5 fields separated by ";", found 6/);
    expect(r.err).toMatch(/line 10: the login "plain" belongs to a bot/);
    const logins = (await accounts()).map((u) => u.login);
    for (const login of ['good1', 'good2', 'good4']) expect(logins).not.toContain(login);
  });

  it('reports a header without the required columns, and a missing file', async () => {
    const r = cli(['user', 'import', write('hdr.csv', 'login;surname\nx;y\n'), '--data', hub.dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 1: unknown column "surname"/);
    expect(r.err).toMatch(/line 1: the header has no "name" column/);
    const missing = cli(['user', 'import', path.join(files, 'none.csv'), '--data', hub.dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read/);
  });
});

/** One character in Windows-1251 (enough of the table for the test's text). */
function cp1251(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code;
  if (ch === 'Ё') return 0xa8;
  if (ch === 'ё') return 0xb8;
  if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
  throw new Error(`no Windows-1251 byte for ${ch}`);
}
