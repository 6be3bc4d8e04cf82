// Privilege boundaries of the integration API, each attack as it was made against a real hub:
// embed links that minted administrator sessions, directory sync that took over or locked out
// administrators, reserved logins, JSON-only bodies and the headers every API answer carries.
import Sqlite from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { migrations } from '../../hub/db/migrations.ts';
import type { AccountInfo } from '../../hub/ops/Hub.ts';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { ReplyError, TestSocket } from '../helpers/TestSocket.ts';
import { addBot, type Answer, http } from './integrationHelpers.ts';

let hub: TestHub;
let admin: { login: string; password: string };
let embedder: string;
let directory: string;
const files = mkdtempSync(path.join(os.tmpdir(), 'beseda-privilege-'));

beforeAll(async () => {
  hub = await startHub();
  // The first administrator of a fresh data folder is "admin"; its password is set here so the test
  // does not depend on how the hub hands out the generated one.
  admin = { login: 'admin', password: 'Пароль-администратора-1' };
  await hub.admin_('user.passwd', admin);
  embedder = (await addBot(hub, 'onec-web', { embed: true })).token;
  directory = (await addBot(hub, 'onec-hr', { directory: true })).token;
});
afterAll(async () => {
  await hub.stop();
});

const createLink = (login: string, token = embedder) =>
  http(hub, 'POST', '/api/v1/embed-links', { token, json: { login } });
const accounts = async () => ((await hub.admin_('user.list', {})) as { users: AccountInfo[] }).users;
const account = async (login: string) => (await accounts()).find((u) => u.login === login);

/**
 * `beseda-hub …` as IT runs it, without blocking this process: while a synchronous child runs, a
 * kept-alive HTTP connection can time out unnoticed and the next request would be sent on it.
 */
function cli(args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hubBundle, ...args, '--data', hub.dataDir], {
      env: { ...process.env, BESEDA_SCRYPT_N: '1024' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

async function expectError(p: Promise<Answer>, status: number, code: string, message?: RegExp): Promise<Answer> {
  const r = await p;
  expect(r.status, r.text).toBe(status);
  expect(r.body.error.code).toBe(code);
  if (message) expect(r.body.error.message).toMatch(message);
  return r;
}

/** Opens a link and exchanges its code, as the embedded page does; returns the session token. */
async function redeemLink(url: string): Promise<Answer> {
  const opened = await http(hub, 'GET', new URL(url).pathname);
  expect(opened.status, opened.text).toBe(302);
  const code = opened.headers.get('location')!.split('#embed=')[1]!;
  return http(hub, 'POST', '/api/v1/embed-links/redeem', { json: { code } });
}

/** A session of `login` through an embed link (the way 1C signs a person in). */
async function embedSession(login: string): Promise<string> {
  const link = await createLink(login);
  expect(link.status, link.text).toBe(201);
  const session = await redeemLink(link.body.url);
  expect(session.status, session.text).toBe(200);
  return session.body.token as string;
}

/** Makes an account an administrator behind the hub's back (no CLI command does this), in its real database. */
function promote(login: string): void {
  const db = new Sqlite(path.join(hub.dataDir, 'beseda.db'), { timeout: 5000 });
  try {
    db.prepare('UPDATE users SET is_admin = 1 WHERE login = ?').run(login);
  } finally {
    db.close();
  }
}

describe('embed links never sign anyone in as an administrator', () => {
  it('refuses a link for an administrator or a bot, with a clear 403', async () => {
    await expectError(createLink('admin'), 403, 'forbidden', /administrator/);
    await expectError(createLink('ADMIN'), 403, 'forbidden', /administrator/);
    await hub.addUser('second.admin', 'Второй администратор', { admin: true });
    await expectError(createLink('second.admin'), 403, 'forbidden', /administrator/);
    await expectError(createLink('onec-hr'), 403, 'forbidden', /bot/);
    // An administrator's own session may make links, but not for administrators either.
    const adminSession = (await hub.login(admin.login, admin.password)).token;
    await expectError(createLink('second.admin', adminSession), 403, 'forbidden', /administrator/);
  });

  it('a chat session chats over WebSocket but gets 403 from every HTTP API', async () => {
    const ivanov = await hub.addUser('ivanov', 'Иван Иванов');
    const token = await embedSession('ivanov');
    const s = await TestSocket.open(hub.wsUrl, token);
    expect(s.hello.me).toMatchObject({ id: ivanov.id, isAdmin: false });
    const general = s.hello.conversations.find((c) => c.kind === 'general')!;
    const sent = await s.request<{ message: { text: string } }>('send', {
      conversationId: general.id,
      clientId: 'embed-chat-0001',
      text: 'Привет из формы 1С',
    });
    expect(sent.message.text).toBe('Привет из формы 1С');
    expect(await s.request('announcements.pending')).toHaveProperty('messages');

    const forbidden = /embed link/;
    await expectError(
      http(hub, 'PUT', '/api/v1/users/x', { token, json: { name: 'X', password: 'Чужой-пароль-1' } }),
      403,
      'forbidden',
      forbidden,
    );
    await expectError(http(hub, 'DELETE', '/api/v1/users/x', { token }), 403, 'forbidden', forbidden);
    await expectError(createLink('ivanov', token), 403, 'forbidden', forbidden);
    await expectError(
      http(hub, 'POST', '/api/v1/announcements', { token, json: { to: 'all', text: 'Всем!' } }),
      403,
      'forbidden',
      forbidden,
    );
    await expectError(http(hub, 'GET', '/api/v1/announcements/pending', { token }), 403, 'forbidden', forbidden);
    await expectError(
      http(hub, 'POST', '/api/v1/messages', { token, json: { to: '@admin', text: 'x' } }),
      403,
      'forbidden',
      forbidden,
    );
    expect(await account('x')).toBeUndefined();
    // Who am I and sign-out concern the session itself: the embedded page uses both.
    const me = await http(hub, 'GET', '/api/v1/me', { token });
    expect(me.status, me.text).toBe(200);
    expect(me.body.user.id).toBe(ivanov.id);
    const closed = s.closed;
    expect((await http(hub, 'POST', '/api/v1/logout', { token })).status).toBe(204);
    expect((await closed).code).toBe(4101);
  });

  it('an account made administrator later: its embed sessions stay chat-only, its old links are refused', async () => {
    const petrov = await hub.addUser('petrov', 'Пётр Петров');
    const chatToken = await embedSession('petrov');
    const pendingLink = await createLink('petrov');
    expect(pendingLink.status).toBe(201);
    promote('petrov');

    // The password session has the new rights (the general room is the administrators' to rename)...
    const full = await TestSocket.open(hub.wsUrl, (await hub.login('petrov', petrov.password)).token);
    const general = full.hello.conversations.find((c) => c.kind === 'general')!;
    await full.request('rooms.update', { conversationId: general.id, topic: 'Тема от администратора' });
    full.close();
    // ...the embed session does not, over WebSocket or HTTP.
    const chat = await TestSocket.open(hub.wsUrl, chatToken);
    const refused = await chat.request('rooms.update', { conversationId: general.id, topic: 'Захват' }).catch((e) => e);
    expect(refused).toBeInstanceOf(ReplyError);
    expect((refused as ReplyError).code).toBe('forbidden');
    chat.close();
    await expectError(
      http(hub, 'PUT', `/api/v1/users/${admin.login}`, {
        token: chatToken,
        json: { name: 'Администратор', password: 'Захваченный-1' },
      }),
      403,
      'forbidden',
    );
    // A link made while petrov was a plain person cannot be used now that he is an administrator.
    await expectError(redeemLink(pendingLink.body.url), 403, 'forbidden', /administrator/);
    await hub.login(admin.login, admin.password);
  });

  it("migration 4 gives sessions made by embed links before it the 'chat' scope", () => {
    const file = path.join(files, 'v3.db');
    const old = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 3) });
    old
      .prepare(
        `INSERT INTO users (login, name, search_key, password_hash, is_admin, created_at) VALUES ('boss', 'B', 'boss', 'x', 1, 0)`,
      )
      .run();
    const add = old.prepare(
      `INSERT INTO sessions (user_id, token_hash, source, created_at, last_used_at) VALUES (1, ?, ?, 0, 0)`,
    );
    add.run(Buffer.alloc(32, 1), 'embed 10.0.0.7');
    add.run(Buffer.alloc(32, 2), '10.0.0.7');
    old.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT source, scope FROM sessions ORDER BY id').all()).toEqual([
      { source: 'embed 10.0.0.7', scope: 'chat' },
      { source: '10.0.0.7', scope: 'full' },
    ]);
    db.close();
  });
});

describe('directory sync and import leave administrators alone', () => {
  const put = (login: string, json: unknown) => http(hub, 'PUT', `/api/v1/users/${login}`, { token: directory, json });

  it('a --directory bot cannot set an administrator password, disable or delete one', async () => {
    const socket = await TestSocket.open(hub.wsUrl, (await hub.login(admin.login, admin.password)).token);
    await expectError(
      put(admin.login, { name: 'Администратор', password: 'Пароль-захватчика-1' }),
      403,
      'forbidden',
      /administrator/,
    );
    await expect(hub.login(admin.login, 'Пароль-захватчика-1')).rejects.toMatchObject({ status: 401 });
    await expectError(put(admin.login, { name: 'Администратор', active: false }), 403, 'forbidden', /administrator/);
    await expectError(put('Admin', { name: 'Переименован' }), 403, 'forbidden', /administrator/);
    await expectError(
      http(hub, 'DELETE', `/api/v1/users/${admin.login}`, { token: directory }),
      403,
      'forbidden',
      /administrator/,
    );
    // Still signed in, still enabled, unchanged.
    expect(await socket.request('conversations.list')).toHaveProperty('conversations');
    socket.close();
    expect(await account(admin.login)).toMatchObject({ isAdmin: true, disabled: false, name: 'Администратор' });
    await hub.login(admin.login, admin.password);
  });

  it('never grants administrator rights', async () => {
    await expectError(put('upstart', { name: 'Выскочка', isAdmin: true }), 403, 'forbidden', /administrator/);
    await expectError(put('upstart', { name: 'Выскочка', admin: true }), 403, 'forbidden');
    expect(await account('upstart')).toBeUndefined();
    const created = await put('upstart', { name: 'Выскочка', password: 'Обычный-пароль-1' });
    expect(created.status, created.text).toBe(201);
    expect(created.body.user.isAdmin).toBe(false);
  });

  it('the CSV import refuses a line for an administrator, and imports nothing', async () => {
    const file = path.join(files, 'takeover.csv');
    writeFileSync(file, `login;name;branch;email;active\nnewcomer;Новичок;;;1\n${admin.login};Администратор;;;0\n`);
    const r = await cli(['user', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing imported; 1 error/);
    expect(r.err).toMatch(new RegExp(`line 3: the login "${admin.login}" belongs to an administrator`));
    expect(await account('newcomer')).toBeUndefined();
    expect(await account(admin.login)).toMatchObject({ disabled: false });
    await hub.login(admin.login, admin.password);
  });
});

describe('reserved logins are refused by every path that creates accounts', () => {
  const reserved = ['all', 'here', 'channel', 'everyone'];

  // Each CLI run starts a process; on a loaded machine they take a while, so they run side by side.
  it('user add, bot add, directory PUT and CSV import', { timeout: 120_000 }, async () => {
    const file = path.join(files, 'reserved.csv');
    writeFileSync(file, `login;name\nok.person;Нормальный\n${reserved.map((l) => `${l};X`).join('\n')}\n`);
    const [users, bots, imported] = await Promise.all([
      Promise.all(reserved.map((login) => cli(['user', 'add', login, '--name', 'X'], 'Пароль-для-всех-1\n'))),
      Promise.all(reserved.map((login) => cli(['bot', 'add', login.toUpperCase()]))),
      cli(['user', 'import', file]),
    ]);
    for (const [i, login] of reserved.entries()) {
      for (const r of [users[i]!, bots[i]!]) {
        expect(r.code, login).not.toBe(0);
        expect(r.err).toMatch(new RegExp(`the login "${login}" is reserved`));
      }
      await expectError(
        http(hub, 'PUT', `/api/v1/users/${login}`, { token: directory, json: { name: 'X' } }),
        400,
        'bad_request',
        /reserved/,
      );
      expect(imported.err).toMatch(new RegExp(`line ${i + 3}: the login "${login}" is reserved`));
    }
    expect(imported.code).toBe(1);
    const logins = (await accounts()).map((u) => u.login);
    for (const login of [...reserved, 'ok.person']) expect(logins).not.toContain(login);
  });
});

describe('JSON bodies and API headers', () => {
  it('login and every JSON API need Content-Type: application/json (415 otherwise)', async () => {
    const u = await hub.addUser('typed', 'Типизированный');
    const body = JSON.stringify({ login: 'typed', password: u.password });
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }]) {
      await expectError(
        http(hub, 'POST', '/api/v1/login', { body, headers }),
        415,
        'bad_request',
        /Content-Type: application\/json/,
      );
    }
    // No type at all (a bare client, or a form a page builds without one).
    await expectError(http(hub, 'POST', '/api/v1/login', { body: new TextEncoder().encode(body) }), 415, 'bad_request');
    const ok = await http(hub, 'POST', '/api/v1/login', {
      body,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(ok.status, ok.text).toBe(200);

    const bot = (await addBot(hub, 'typed-bot')).token;
    const plain = { 'content-type': 'text/plain' };
    const json = JSON.stringify({ to: '@typed', text: 'x' });
    await expectError(
      http(hub, 'POST', '/api/v1/messages', { token: bot, body: json, headers: plain }),
      415,
      'bad_request',
    );
    await expectError(
      http(hub, 'PUT', '/api/v1/users/typed2', { token: directory, body: '{"name":"X"}', headers: plain }),
      415,
      'bad_request',
    );
    await expectError(
      http(hub, 'POST', '/api/v1/embed-links', { token: embedder, body: '{"login":"typed"}', headers: plain }),
      415,
      'bad_request',
    );
    await expectError(
      http(hub, 'POST', '/api/v1/embed-links/redeem', { body: '{"code":"x"}', headers: plain }),
      415,
      'bad_request',
    );
    expect(await account('typed2')).toBeUndefined();
  });

  it('every API answer, errors and 404s included, is no-store and nosniff', async () => {
    const u = await hub.addUser('headers', 'Заголовки');
    const { token } = await hub.login('headers', u.password);
    const hook = await cli(['hook', 'add', '--room', 'Общий чат']);
    expect(hook.code, hook.err).toBe(0);
    const hookPath = /^\s+(\/hooks\/[A-Za-z0-9_-]+)$/m.exec(hook.out)![1]!;
    const answers: [string, Answer][] = [
      ['login ok', await http(hub, 'POST', '/api/v1/login', { json: { login: 'headers', password: u.password } })],
      ['login refused', await http(hub, 'POST', '/api/v1/login', { json: { login: 'headers', password: 'wrong' } })],
      ['login 415', await http(hub, 'POST', '/api/v1/login', { body: 'x', headers: { 'content-type': 'text/plain' } })],
      ['me', await http(hub, 'GET', '/api/v1/me', { token })],
      ['me 401', await http(hub, 'GET', '/api/v1/me')],
      ['unknown endpoint', await http(hub, 'GET', '/api/v1/nothing')],
      ['unknown hook', await http(hub, 'POST', `/hooks/${'x'.repeat(43)}`, { json: { text: 'x' } })],
      ['hook ok', await http(hub, 'POST', hookPath, { json: { text: 'Проверка' } })],
      [
        'hook 415',
        await http(hub, 'POST', hookPath, { body: '{"text":"x"}', headers: { 'content-type': 'text/plain' } }),
      ],
      ['healthz', await http(hub, 'GET', '/healthz')],
      ['embed-links 403', await createLink('admin')],
      ['users 403', await http(hub, 'PUT', `/api/v1/users/${admin.login}`, { token: directory, json: { name: 'A' } })],
      ['logout', await http(hub, 'POST', '/api/v1/logout', { token })],
    ];
    for (const [what, r] of answers) {
      expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(r.headers.get('cache-control'), what).toBe('no-store');
    }
  });
});
