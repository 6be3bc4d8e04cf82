// The Node.js bot of docs/integrations.md ("A bot that listens") run as it is printed, against a real
// hub: it connects with its bot token, answers «остаток 12345» in its direct conversation with a
// reply, and leaves other messages alone. Both languages print the same program.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Conversation, Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { cid, person, type Person } from '../hub/connect.ts';
import { addBot } from '../integrations/integrationHelpers.ts';

const guide = readFileSync(new URL('../../docs/integrations.md', import.meta.url), 'utf8');
/** The `js` code blocks that open a WebSocket with a bot token. */
const listeners = [...guide.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes('/ws'));

let hub: TestHub;
let ivanov: Person;
let child: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  hub = await startHub();
  ivanov = await person(hub, 'ivanov', 'Иван Иванов');
}, 120_000);

afterAll(async () => {
  child?.kill();
  ivanov?.socket.close();
  await hub?.stop();
});

it('prints one program, the same in Russian and in English', () => {
  expect(listeners).toHaveLength(2);
  expect(listeners[0]).toBe(listeners[1]);
  expect(listeners[0]!.trim().split('\n').length).toBeLessThanOrEqual(20);
});

it('answers «остаток 12345» with a reply in its direct conversation, and nothing else', async () => {
  const bot = await addBot(hub, 'onec', { name: '1С:Склад' });
  // The program imports 'ws' by name; from a temporary folder it is found by its path here.
  const wsEntry = pathToFileURL(createRequire(import.meta.url).resolve('ws')).href;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'beseda-listen-')), 'listen.mjs');
  writeFileSync(file, listeners[0]!.replace("from 'ws'", `from '${wsEntry}'`));
  child = spawn(process.execPath, [file], {
    env: { ...process.env, HUB: hub.wsUrl.replace(/\/ws$/, ''), TOKEN: bot.token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

  const direct = (await ivanov.socket.request<{ conversation: Conversation }>('direct.open', { userId: bot.id }))
    .conversation.id;
  // The program may still be connecting: ask until an answer comes (its clientId makes one answer per question).
  const send = (text: string) =>
    ivanov.socket
      .request<{ message: Message }>('send', { conversationId: direct, clientId: cid(), text })
      .then((r) => r.message);
  const other = await send('добрый день');
  // A late answer to an earlier question counts too: on a loaded machine one may take seconds.
  const questions: number[] = [];
  const isAnswer = (m: Message) => m.senderId === bot.id && questions.includes(m.replyTo?.seq ?? -1);
  let answer: Message | undefined;
  for (let i = 0; i < 60 && !answer; i++) {
    questions.push((await send('остаток 12345')).seq);
    answer =
      ivanov.socket.all('message').find((f) => isAnswer(f.message))?.message ??
      (await ivanov.socket
        .next('message', (f) => isAnswer(f.message), 2000)
        .then((f) => f.message)
        .catch(() => undefined));
  }
  expect(answer, output).toBeDefined();
  expect(answer!.text).toBe('Остаток по 12345: 42 шт.');
  const answers = ivanov.socket.all('message').filter((f) => f.message.senderId === bot.id);
  expect(answers.every((f) => f.message.replyTo?.seq !== other.seq)).toBe(true);
}, 180_000);
