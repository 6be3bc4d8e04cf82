import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { ReplyError, TestSocket } from '../helpers/TestSocket.ts';
import { cli, clientId } from '../integrations/integrationHelpers.ts';
import { startReceiver, verifyCall } from '../callbacks/receiver.ts';

// Slash commands (issue 18) on a real hub process: registered with the CLI (audited), listed for
// the composer, run in a conversation; a real local HTTP server stands in for 1C and answers.

let hub: TestHub;
let r: Awaited<ReturnType<typeof startReceiver>>;
let secret: string;
let ivan: TestSocket;
let maria: TestSocket;
let petr: TestSocket;
let room: number;
let other: number;

const run = (s: TestSocket, conversationId: number, command: string, args = '', id = clientId('run')) =>
  s.request<Record<string, unknown>>('command.run', { conversationId, command, args, clientId: id });

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof ReplyError ? e : Promise.reject(e)),
  );

const commandCalls = () => r.received.filter((x) => x.body?.type === 'command');

beforeAll(async () => {
  r = await startReceiver((x) => {
    if (x.body?.command === '/остаток')
      return { status: 200, body: JSON.stringify({ text: `Остаток ${x.body.args}: 5 шт.` }) };
    if (x.body?.command === '/отпуск')
      return { status: 200, body: JSON.stringify({ text: 'Заявка на отпуск создана', visibility: 'conversation' }) };
    return { status: 200, body: '{}' };
  });
  hub = await startHub({ args: ['--callback-allow', '127.0.0.1'] });
  const people = {
    ivan: await hub.addUser('ivan', 'Иван Петров'),
    maria: await hub.addUser('maria', 'Мария Козлова'),
    petr: await hub.addUser('petr', 'Пётр Сидоров'),
  };
  const addRoom = async (name: string, members: string[]) =>
    ((await hub.admin_('room.add', { name, members, closed: true })) as { room: { id: number } }).room.id;
  room = await addRoom('Склад', ['ivan', 'maria']);
  other = await addRoom('Кадры', ['ivan']); // the bot is not in it
  const add = cli(['bot', 'add', 'onec', '--rooms', 'Склад', '--callback-url', r.url, '--data', hub.dataDir]);
  expect(add.code, add.err).toBe(0);
  secret = /Callback secret[^\n]*\n\s+(\S+)/.exec(add.out)![1]!;
  const open = async (login: 'ivan' | 'maria' | 'petr') =>
    TestSocket.open(hub.wsUrl, (await hub.login(login, people[login].password)).token);
  [ivan, maria, petr] = [await open('ivan'), await open('maria'), await open('petr')];
}, 180_000);
afterAll(async () => {
  for (const s of [ivan, maria, petr]) s?.close();
  await hub?.stop();
  await r?.close();
});

describe('slash commands', () => {
  it('command add / list / remove through the CLI, audited; commands.list for the composer', async () => {
    const add = (name: string, ...rest: string[]) =>
      cli(['command', 'add', name, '--bot', 'onec', ...rest, '--data', hub.dataDir]);
    const first = add('/Остаток', '--description', 'Остаток товара на складе', '--usage', '<артикул>');
    expect(first.code, first.err).toBe(0);
    expect(add('/отпуск').code).toBe(0);
    expect(add('/временная').code).toBe(0);
    const taken = add('/остаток');
    expect(taken.code).not.toBe(0);
    expect(taken.err).toMatch(/exists already/);
    const bad = add('/два слова');
    expect(bad.code).not.toBe(0);
    const removed = cli(['command', 'remove', '/временная', '--data', hub.dataDir]);
    expect(removed.code, removed.err).toBe(0);
    const list = cli(['command', 'list', '--data', hub.dataDir]);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(/\/остаток\s+onec\s+<артикул>\s+Остаток товара на складе/);
    expect(list.out).toMatch(/2 commands/);
    const listed = await ivan.request<{ commands: { name: string; usage: string }[] }>('commands.list');
    expect(listed.commands.map((c) => c.name)).toEqual(['/остаток', '/отпуск']);
    // The web admin console lists them too.
    const adminSocket = await TestSocket.open(
      hub.wsUrl,
      (await hub.login(hub.admin!.login, hub.admin!.password)).token,
    );
    try {
      const viaConsole = await adminSocket.request<{ result: { commands: { name: string }[] } }>('admin', {
        command: 'command.list',
      });
      expect(viaConsole.result.commands.map((c) => c.name)).toEqual(['/остаток', '/отпуск']);
    } finally {
      adminSocket.close();
    }
    const audit = cli(['audit', '--action', 'command.', '--data', hub.dataDir]);
    expect(audit.code, audit.err).toBe(0);
    expect(audit.out).toMatch(/command\.add/);
    expect(audit.out).toMatch(/command\.remove/);
  }, 120_000);

  it('a command answered to the caller only', async () => {
    const answer = await run(ivan, room, '/остаток', '12345');
    expect(answer).toEqual({ visibility: 'caller', text: 'Остаток 12345: 5 шт.' });
    const call = commandCalls().at(-1)!;
    expect(verifyCall(secret, call.headers, call.raw)).toBe(true);
    expect(call.body).toMatchObject({
      type: 'command',
      command: '/остаток',
      args: '12345',
      conversation: { id: room, kind: 'closed', name: 'Склад' },
      user: { login: 'ivan', name: 'Иван Петров', externalId: null },
      bot: { login: 'onec' },
    });
    // Nothing about it reached Maria: a message the bot posts afterwards comes first.
    const marker = maria.next('message', (f) => f.message.text === 'Заявка на отпуск создана', 30_000);
    await run(ivan, room, '/отпуск');
    await marker;
    for (const f of maria.frames) expect(JSON.stringify(f)).not.toContain('Остаток 12345');
  }, 60_000);

  it('a command answered to the conversation is posted by the bot, once per clientId', async () => {
    const id = clientId('leave');
    const seen = maria.next('message', (f) => f.message.text === 'Заявка на отпуск создана', 30_000);
    const answer = (await run(ivan, room, '/отпуск', '', id)) as { visibility: string; message: { seq: number } };
    expect(answer.visibility).toBe('conversation');
    const posted = await seen;
    expect(posted.message.seq).toBe(answer.message.seq);
    expect(posted.message.senderId).not.toBe(ivan.hello.me.id);
    const again = (await run(ivan, room, '/отпуск', '', id)) as { message: { seq: number } };
    expect(again.message.seq).toBe(answer.message.seq);
  }, 60_000);

  it('unknown command not_found; a person outside the conversation cannot run one; the bot learns no other conversation', async () => {
    expect((await refusal(run(ivan, room, '/нет')))?.code).toBe('not_found');
    const before = commandCalls().length;
    expect((await refusal(run(petr, room, '/остаток', '1')))?.code).toBe('not_found');
    expect(commandCalls().length).toBe(before);
    // Ivan in a room the bot is not in: answered to him, the bot told of no conversation.
    expect(await run(ivan, other, '/остаток', '7')).toEqual({ visibility: 'caller', text: 'Остаток 7: 5 шт.' });
    expect(commandCalls().at(-1)!.body.conversation).toBeNull();
    expect((await refusal(run(ivan, other, '/отпуск')))?.code).toBe('bot_unavailable');
  }, 60_000);
});
