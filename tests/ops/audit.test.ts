import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOsUser } from '../../hub/admin/auditAdminCommand.ts';
import type { AuditRecord } from '../../hub/store/AuditStore.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, http, runCli } from '../integrations/integrationHelpers.ts';

// Who the CLI says it is (the sudo caller when run under sudo, else the OS account).
const me = localOsUser();

describe('the audit log of a running hub', () => {
  let hub: TestHub;
  const secrets: string[] = [];
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.stop();
  });

  const entries = async (filter: Record<string, unknown> = {}) =>
    ((await hub.admin_('audit.list', { limit: 1000, ...filter })) as { entries: AuditRecord[] }).entries;

  it('records admin commands as cli:<os user>, without passwords, tokens or hook secrets; not read-only ones', async () => {
    const add = await runCli(
      ['user', 'add', 'ivanov', '--name', 'Иван Иванов', '--data', hub.dataDir],
      'Pass-word-1234\n',
    );
    expect(add.code, add.err).toBe(0);
    secrets.push('Pass-word-1234');
    expect((await runCli(['user', 'disable', 'ivanov', '--data', hub.dataDir])).code).toBe(0);
    expect((await runCli(['user', 'list', '--data', hub.dataDir])).code).toBe(0);
    const bot = await runCli(['bot', 'add', 'erp', '--directory', '--data', hub.dataDir]);
    expect(bot.code, bot.err).toBe(0);
    const hook = (await hub.admin_('hook.add', { room: 'Общий чат', name: 'Zabbix' })) as { secret: string };
    secrets.push(hook.secret, ...(/\bbsd_[A-Za-z0-9_-]+/.exec(bot.out) ?? []));

    const all = await entries();
    const added = all.find((e) => e.action === 'user.add')!;
    expect(added).toMatchObject({ actor: `cli:${me}`, source: 'cli', target: 'ivanov' });
    expect(added.detail).toMatchObject({ login: 'ivanov', name: 'Иван Иванов', passwordGiven: true });
    expect(added.detail).not.toHaveProperty('password');
    expect(all.find((e) => e.action === 'user.disable')).toMatchObject({ actor: `cli:${me}`, target: 'ivanov' });
    expect(all.find((e) => e.action === 'bot.add')).toMatchObject({ target: 'erp', detail: { directory: true } });
    const hookAdded = all.find((e) => e.action === 'hook.add')!;
    expect(hookAdded.target).toMatch(/^hook \d+$/);
    expect(hookAdded.detail).toMatchObject({ room: 'Общий чат', name: 'Zabbix' });
    expect(all.some((e) => e.action === 'user.list' || e.action === 'audit.list')).toBe(false);
    expect(Date.now() - all[0]!.at).toBeLessThan(10 * 60_000);
  });

  it('names the administrator who ran sudo, not the hub account the command ran as', async () => {
    const before = process.env.SUDO_USER;
    process.env.SUDO_USER = 'petrova.it';
    try {
      const r = await runCli(['user', 'enable', 'ivanov', '--data', hub.dataDir]);
      expect(r.code, r.err).toBe(0);
    } finally {
      if (before === undefined) delete process.env.SUDO_USER;
      else process.env.SUDO_USER = before;
    }
    const enabled = (await entries()).filter((e) => e.action === 'user.enable');
    expect(enabled.at(-1) ?? enabled[0]).toMatchObject({ actor: 'cli:petrova.it', target: 'ivanov' });
  });

  it("records the CLI's room commands once, the room as #name like the apps' changes", async () => {
    for (const args of [
      ['room', 'add', 'Бухгалтерия', '--topic', 'Отчёты'],
      ['room', 'rename', 'Бухгалтерия', 'Бухгалтерия-2'],
      ['room', 'archive', 'Бухгалтерия-2'],
    ]) {
      const r = await runCli([...args, '--data', hub.dataDir]);
      expect(r.code, r.err).toBe(0);
    }
    const rooms = (await entries({ action: 'room.' })).reverse();
    expect(rooms.map((e) => [e.actor, e.source, e.action, e.target])).toEqual([
      [`cli:${me}`, 'cli', 'room.add', '#Бухгалтерия'],
      [`cli:${me}`, 'cli', 'room.rename', '#Бухгалтерия'],
      [`cli:${me}`, 'cli', 'room.archive', '#Бухгалтерия-2'],
    ]);
    expect(rooms[0]!.detail).toMatchObject({ topic: 'Отчёты', roomId: expect.any(Number) });
    expect(rooms[1]!.detail).toMatchObject({ name: 'Бухгалтерия-2' });
  });

  it('records directory writes and announcements through the HTTP API as the bot, never the password', async () => {
    const { token } = await addBot(hub, 'hr', { directory: true });
    secrets.push(token);
    const put = await http(hub, 'PUT', '/api/v1/users/petrov', {
      token,
      json: { name: 'Пётр Петров', branch: 'Тверь', password: 'Api-pass-5678' },
    });
    expect(put.status, put.text).toBe(201);
    secrets.push('Api-pass-5678');
    expect((await http(hub, 'DELETE', '/api/v1/users/petrov', { token })).status).toBe(200);
    // The same again changes nothing and records nothing; coming back (active) is an update.
    expect((await http(hub, 'PUT', '/api/v1/users/petrov', { token, json: { name: 'Пётр Петров' } })).status).toBe(200);
    const again = await http(hub, 'PUT', '/api/v1/users/petrov', {
      token,
      json: { name: 'Пётр Петров', active: true },
    });
    expect(again.status).toBe(200);
    const announcer = await addBot(hub, 'notify', { rooms: ['Общий чат'] });
    const ann = await http(hub, 'POST', '/api/v1/announcements', {
      token: announcer.token,
      json: { to: '#Общий чат', text: 'Плановые работы в субботу' },
    });
    expect(ann.status, ann.text).toBe(201);

    const byBot = (await entries({ actor: 'bot:hr' })).reverse();
    expect(byBot.map((e) => e.action)).toEqual(['user.create', 'user.deactivate', 'user.update']);
    expect(byBot.every((e) => e.source === 'api' && e.target === 'petrov')).toBe(true);
    expect(byBot[0]!.detail).toMatchObject({ name: 'Пётр Петров', branch: 'Тверь', passwordGiven: true });
    expect(byBot[2]!.detail).toMatchObject({ active: true });
    const announced = (await entries({ action: 'announce' })).find((e) => e.actor === 'bot:notify')!;
    expect(announced).toMatchObject({ source: 'api', target: '#Общий чат' });
    expect(announced.detail).toMatchObject({ textLength: 'Плановые работы в субботу'.length });
  });

  it('records room changes through the protocol as the person, and a CLI announcement once', async () => {
    const owner = await hub.addUser('sidorova', 'Анна Сидорова');
    const other = await hub.addUser('kozlov', 'Олег Козлов');
    const socket = await TestSocket.open(hub.wsUrl, (await hub.login('sidorova', owner.password)).token);
    try {
      const { conversation } = await socket.request<{ conversation: { id: number } }>('rooms.create', {
        name: 'Склад',
        kind: 'open',
        members: [other.id],
      });
      await socket.request('rooms.update', { conversationId: conversation.id, name: 'Склад №2' });
      await socket.request('rooms.update', { conversationId: conversation.id, topic: 'Остатки и приход' });
      await socket.request('rooms.remove', { conversationId: conversation.id, userId: other.id });
    } finally {
      socket.close();
    }
    const byOwner = (await entries({ actor: 'sidorova' })).reverse();
    expect(byOwner.map((e) => [e.action, e.target, e.source])).toEqual([
      ['room.create', '#Склад', 'app'],
      ['room.rename', '#Склад', 'app'],
      ['room.topic', '#Склад №2', 'app'],
      ['room.remove', '#Склад №2', 'app'],
    ]);
    expect(byOwner[1]!.detail).toMatchObject({ name: 'Склад №2' });
    expect(byOwner[3]!.detail).toMatchObject({ user: 'kozlov' });

    const cli = await runCli(['announce', '--to', 'all', '--data', hub.dataDir], 'Собрание в пятницу\n');
    expect(cli.code, cli.err).toBe(0);
    const announcements = await entries({ action: 'announce' });
    expect(announcements.filter((e) => e.source === 'cli')).toHaveLength(1);
    expect(announcements.filter((e) => e.source === 'cli')[0]).toMatchObject({ actor: `cli:${me}`, target: 'all' });
    expect(announcements.filter((e) => e.actor !== `cli:${me}` && e.target === 'all')).toEqual([]);
  });

  it('never stores a secret', async () => {
    const text = JSON.stringify(await entries());
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('Собрание в пятницу');
  });

  it('beseda-hub audit: filters, columns and CSV', async () => {
    const cols = await runCli(['audit', '--action', 'user.', '--data', hub.dataDir]);
    expect(cols.code, cols.err).toBe(0);
    const lines = cols.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^time \(UTC\)\s+actor\s+source\s+action\s+target\s+detail$/);
    expect(lines[1]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+cli:${me}\\s+cli\\s+user\\.add\\s+ivanov\\s+\\{`),
    );
    expect(lines.slice(1).every((l) => / user\.\w+ /.test(l))).toBe(true);

    const csv = await runCli(['audit', '--target', 'petrov', '--csv', '--data', hub.dataDir]);
    expect(csv.code, csv.err).toBe(0);
    expect(csv.out.startsWith('\ufefftime (UTC);actor;source;action;target;detail\r\n')).toBe(true);
    expect(csv.out.split('\r\n').filter((l) => l !== '')).toHaveLength(4);
    expect(csv.out).toMatch(/;bot:hr;api;user\.create;petrov;"\{""login"":""petrov""/);

    const limited = await runCli(['audit', '--limit', '1', '--csv', '--data', hub.dataDir]);
    expect(limited.out.split('\r\n').filter((l) => l !== '')).toHaveLength(2);
    const future = await runCli(['audit', '--since', '2099-01-01', '--data', hub.dataDir]);
    expect(future.code).toBe(0);
    expect(future.err).toMatch(/no audit log entries match/);
    const recent = await runCli(['audit', '--since', '1h', '--actor', 'sidorova', '--csv', '--data', hub.dataDir]);
    expect(recent.out.split('\r\n').filter((l) => l !== '')).toHaveLength(5);
    const bad = await runCli(['audit', '--since', 'yesterday', '--data', hub.dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since yesterday: give an age/);
  });
});

describe('the audit log with the hub stopped', () => {
  it('the CLI opening the data folder itself records as its OS user too', async () => {
    const hub = await startHub();
    await hub.stop();
    const add = await runCli(
      ['user', 'add', 'orlova', '--name', 'Ольга Орлова', '--data', hub.dataDir],
      'Offline-pass-1\n',
    );
    expect(add.code, add.err).toBe(0);
    expect(add.err).toMatch(/opened directly/);
    const shown = await runCli(['audit', '--csv', '--data', hub.dataDir]);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(new RegExp(`;cli:${me};cli;user\\.add;orlova;`));
    expect(shown.out).not.toContain('Offline-pass-1');
  });
});
