// The `admin` request (the web console): full-scope administrators only, console-safe commands
// only, audited under the administrator's login with source `app`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { http } from '../integrations/integrationHelpers.ts';
import { person, type Person } from './connect.ts';

let hub: TestHub;
let admin: Person;
let staff: Person;

/** The result of an `admin` request on a socket. */
const run = async <T = Record<string, unknown>>(p: { socket: TestSocket }, command: string, args: object = {}) =>
  (await p.socket.request<{ result: T }>('admin', { command, args })).result;

beforeAll(async () => {
  hub = await startHub();
  const a = await hub.addUser('anna', 'Анна Админова', { admin: true, branch: 'Самара' });
  const { token } = await hub.login('anna', a.password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  admin = { ...a, token, socket, generalId: socket.hello.conversations.find((c) => c.kind === 'general')!.id };
  staff = await person(hub, 'petrov', 'Пётр Петров');
}, 60_000);
afterAll(async () => {
  await hub.stop();
});

describe('the admin request', () => {
  it('an administrator runs console commands; the change is audited under their login from the app', async () => {
    const created = await run<{ user: { id: number; login: string }; generatedPassword?: string }>(admin, 'user.add', {
      login: 'sidorova',
      name: 'Мария Сидорова',
      branch: 'Тольятти',
    });
    expect(created.user.login).toBe('sidorova');
    expect(created.generatedPassword).toEqual(expect.any(String));
    const updated = await run<{ user: { branch: string; position?: string } }>(admin, 'user.update', {
      login: 'sidorova',
      branch: 'Сызрань',
      position: 'Бухгалтер',
    });
    expect(updated.user).toMatchObject({ branch: 'Сызрань', position: 'Бухгалтер' });
    const { entries } = await run<{ entries: { actor: string; source: string; action: string; target: string }[] }>(
      admin,
      'audit.list',
      { action: 'user.' },
    );
    expect(entries.find((e) => e.action === 'user.add')).toMatchObject({
      actor: 'anna',
      source: 'app',
      target: 'sidorova',
    });
    expect(entries.find((e) => e.action === 'user.update')).toMatchObject({ actor: 'anna', source: 'app' });
    // The generated password never reaches the audit log.
    expect(JSON.stringify(entries)).not.toContain(created.generatedPassword!);
  });

  it('makes an invitation from the console, its code never in the audit log', async () => {
    const made = await run<{ code: string }>(admin, 'user.invite', { login: 'sidorova' });
    expect(made.code).toEqual(expect.any(String));
    const { entries } = await run<{ entries: { actor: string; source: string; action: string }[] }>(
      admin,
      'audit.list',
      { action: 'user.invite' },
    );
    expect(entries[0]).toMatchObject({ actor: 'anna', source: 'app', action: 'user.invite' });
    expect(JSON.stringify(entries)).not.toContain(made.code);
  });

  it("lists a closed room's members and hands the room to another member; its members hear it", async () => {
    const { room } = await run<{ room: { id: number } }>(admin, 'room.add', {
      name: 'Совет директоров',
      owner: 'sidorova',
      members: ['petrov'],
      closed: true,
    });
    const listed = await run<{ members: { login: string; owner: boolean }[] }>(admin, 'room.members', {
      room: String(room.id),
    });
    expect(listed.members.map((m) => [m.login, m.owner])).toEqual([
      ['sidorova', true],
      ['petrov', false],
    ]);
    await expect(run(admin, 'room.owner', { room: String(room.id), login: 'anna' })).rejects.toMatchObject({
      code: expect.stringMatching(/bad_request|not_found|forbidden/),
    });
    const heard = staff.socket.next(
      'conversation',
      (f) => f.conversation.id === room.id && f.conversation.ownerId === staff.id,
    );
    await run(admin, 'room.owner', { room: 'Совет директоров', login: 'petrov' });
    await heard;
    const after = await run<{ members: { login: string; owner: boolean }[] }>(admin, 'room.members', {
      room: String(room.id),
    });
    expect(after.members[0]).toMatchObject({ login: 'petrov', owner: true });
    const { entries } = await run<{ entries: { actor: string; action: string; detail: { login?: string } }[] }>(
      admin,
      'audit.list',
      { action: 'room.' },
    );
    expect(entries[0]).toMatchObject({ actor: 'anna', action: 'room.owner', detail: { login: 'petrov' } });
    expect(entries.map((e) => e.action)).not.toContain('room.members');
  });

  it('refuses a non-administrator, and every command, with forbidden; nothing is created', async () => {
    for (const [command, args] of [
      ['user.list', {}],
      ['user.add', { login: 'intruder', name: 'Взломщик' }],
      ['user.passwd', { login: 'anna' }],
    ] as const)
      await expect(staff.socket.request('admin', { command, args })).rejects.toMatchObject({ code: 'forbidden' });
    const { users } = await run<{ users: { login: string }[] }>(admin, 'user.list');
    expect(users.map((u) => u.login)).not.toContain('intruder');
  });

  it('refuses an administrator commands the console may not run (backup to a path, storage limit)', async () => {
    for (const [command, args] of [
      ['backup', { file: '/tmp/stolen.db' }],
      ['storage.limit', { maxPages: 1 }],
      ['files.collect', {}],
      ['constructor', {}],
    ] as const)
      await expect(admin.socket.request('admin', { command, args })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses an embed (chat) session even of a person who is an administrator now', async () => {
    const kolya = await hub.addUser('kolya', 'Николай');
    const link = await http(hub, 'POST', '/api/v1/embed-links', { token: admin.token, json: { login: 'kolya' } });
    expect(link.status, link.text).toBe(201);
    const opened = await http(hub, 'GET', new URL(link.body.url as string).pathname);
    const code = opened.headers.get('location')!.split('#embed=')[1]!;
    const session = await http(hub, 'POST', '/api/v1/embed-links/redeem', { json: { code } });
    expect(session.status, session.text).toBe(200);
    // Made an administrator afterwards.
    await hub.admin_('user.setAdmin', { login: 'kolya', admin: true });
    const full = await TestSocket.open(hub.wsUrl, (await hub.login('kolya', kolya.password)).token);
    const chat = await TestSocket.open(hub.wsUrl, session.body.token as string);
    try {
      expect(await run<{ users: unknown[] }>({ socket: full }, 'user.list')).toHaveProperty('users');
      await expect(chat.request('admin', { command: 'user.list', args: {} })).rejects.toMatchObject({
        code: 'forbidden',
      });
    } finally {
      chat.close();
      full.close();
    }
  });

  it('who is online, storage and backups, and an announcement report by branch with CSV', async () => {
    const online = await run<{ users: { login: string }[] }>(admin, 'online.list');
    expect(online.users.map((u) => u.login)).toEqual(expect.arrayContaining(['anna', 'petrov']));
    expect(online.users.map((u) => u.login)).not.toContain('sidorova');

    const storage = await run<{ databaseBytes: number; files: { files: number }; backups: { dir: string } | null }>(
      admin,
      'storage.status',
    );
    expect(storage.databaseBytes).toBeGreaterThan(0);
    expect(storage.files.files).toBe(0);
    expect(storage.backups?.dir).toContain(hub.dataDir);

    const { message } = await run<{ message: Message }>(admin, 'announce', {
      to: String(admin.generalId),
      text: 'Инвентаризация в пятницу',
      from: 'petrov', // ignored: the console announces as the administrator
    });
    expect(message.senderId).toBe(admin.id);
    await staff.socket.request('announcements.confirm', { seq: message.seq });
    const report = await run<{
      branches: { branch: string | null; confirmed: number; pending: number }[];
      people: { login: string; confirmedAt: number | null }[];
      csv: string;
    }>(admin, 'announce.report', { seq: message.seq });
    expect(report.people.find((p) => p.login === 'petrov')?.confirmedAt).toEqual(expect.any(Number));
    expect(report.people.find((p) => p.login === 'sidorova')?.confirmedAt).toBeNull();
    expect(report.branches).toContainEqual({ branch: 'Сызрань', confirmed: 0, pending: 1 });
    // Petrov, Nikolai and the bootstrap administrator have no branch; only Petrov confirmed.
    expect(report.branches).toContainEqual({ branch: null, confirmed: 1, pending: 2 });
    expect(report.csv.startsWith('\ufeffbranch;login;name;confirmed_at_utc\r\n')).toBe(true);
    expect(report.csv).toContain('Сызрань;sidorova;Мария Сидорова;\r\n');
  });
  it("gives and takes the administrator right: sockets reconnect with it; never one's own, a bot's or the last one", async () => {
    await expect(run(admin, 'user.setAdmin', { login: 'anna', admin: false })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await hub.admin_('bot.add', { login: 'erp' });
    await expect(run(admin, 'user.setAdmin', { login: 'erp', admin: true })).rejects.toMatchObject({
      code: 'bad_request',
    });

    const given = await run<{ changed: boolean }>(admin, 'user.setAdmin', { login: 'petrov', admin: true });
    expect(given.changed).toBe(true);
    expect((await staff.socket.closed).code).toBe(1001);
    const again = await TestSocket.open(hub.wsUrl, staff.token);
    expect(again.hello.me.isAdmin).toBe(true);
    expect(await run<{ users: unknown[] }>({ socket: again }, 'user.list')).toHaveProperty('users');
    expect((await run<{ changed: boolean }>(admin, 'user.setAdmin', { login: 'petrov', admin: true })).changed).toBe(
      false,
    );

    const taken = await run<{ changed: boolean }>(admin, 'user.setAdmin', { login: 'petrov', admin: false });
    expect(taken.changed).toBe(true);
    await again.closed;
    const third = await TestSocket.open(hub.wsUrl, staff.token);
    expect(third.hello.me.isAdmin).toBe(false);
    await expect(third.request('admin', { command: 'user.list', args: {} })).rejects.toMatchObject({
      code: 'forbidden',
    });
    third.close();

    const { entries } = await run<{ entries: { actor: string; source: string; target: string; detail: object }[] }>(
      admin,
      'audit.list',
      { action: 'user.setAdmin' },
    );
    // Every call is recorded, the one that changed nothing too (newest first).
    const mine = entries.filter((e) => e.actor === 'anna' && e.source === 'app' && e.target === 'petrov');
    expect(mine.map((e) => (e.detail as { admin: boolean }).admin)).toEqual([false, true, true]);

    // Anna is left the last administrator: nobody may take her right, not even with the CLI.
    for (const login of [hub.admin!.login, 'kolya']) await hub.admin_('user.setAdmin', { login, admin: false });
    await expect(hub.admin_('user.setAdmin', { login: 'anna', admin: false })).rejects.toThrow(/last administrator/);
  });
});
