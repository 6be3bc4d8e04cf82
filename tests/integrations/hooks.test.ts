// Slack-compatible incoming webhooks fed the payloads of Mattermost's and Slack's documentation,
// as JSON, as a form's `payload=` and with no content type; delivered live to connected clients.
// Refusals are plain text as Slack writes them (tests/integrations/webhookPayloads.test.ts has
// the real tools' payloads and how their clients read these answers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import {
  mattermostAttachments,
  mattermostHello,
  mattermostHelloPayload,
  mattermostTestResults,
  slackAttachments,
  slackBlocks,
  slackHello,
  slackLegacyForm,
  slackMarkup,
} from './fixtures/webhookPayloads.ts';
import { type Answer, http, runCli } from './integrationHelpers.ts';

let hub: TestHub;
let ivanov: { id: number; socket: TestSocket };
const roomIds: Record<string, number> = {};

beforeAll(async () => {
  hub = await startHub();
  const u = await hub.addUser('ivanov', 'Иван Иванов');
  const { token } = await hub.login('ivanov', u.password);
  ivanov = { id: u.id, socket: await TestSocket.open(hub.wsUrl, token) };
  for (const [name, kind] of [
    ['Мониторинг', 'open'],
    ['town-square', 'open'],
    ['random', 'open'],
    ['Другая', 'open'],
  ] as const)
    roomIds[name] = (
      await ivanov.socket.request<{ conversation: { id: number } }>('rooms.create', { name, kind })
    ).conversation.id;
  // A closed room Иванов is not in (made by someone else).
  const other = await hub.addUser('sidorov', 'Сидоров');
  const otherSocket = await TestSocket.open(hub.wsUrl, (await hub.login('sidorov', other.password)).token);
  roomIds['Тайная'] = (
    await otherSocket.request<{ conversation: { id: number } }>('rooms.create', { name: 'Тайная', kind: 'closed' })
  ).conversation.id;
  otherSocket.close();
});
afterAll(async () => {
  ivanov?.socket.close();
  await hub.stop();
});

/** `hook add` as IT runs it; returns the hook's path and id. */
async function addHook(args: string[]): Promise<{ path: string; id: number; out: string }> {
  const r = await runCli(['hook', 'add', ...args, '--data', hub.dataDir]);
  expect(r.code, r.err).toBe(0);
  const path = /^\s+(\/hooks\/[A-Za-z0-9_-]+)$/m.exec(r.out)?.[1];
  const id = Number(/Created webhook (\d+)/.exec(r.out)?.[1]);
  expect(path).toBeDefined();
  return { path: path!, id, out: r.out };
}

const postJson = (path: string, payload: unknown) => http(hub, 'POST', path, { json: payload });
/** A raw body; without a type, sent with no Content-Type header at all (as a bare HTTP client would). */
const postRaw = (path: string, body: string, type?: string) =>
  type
    ? http(hub, 'POST', path, { body, headers: { 'content-type': type } })
    : http(hub, 'POST', path, { body: new TextEncoder().encode(body) });

/** Posts and waits for the message the connected client receives. */
async function delivered(post: () => Promise<{ status: number; text: string; headers: Headers }>) {
  const next = ivanov.socket.next(
    'message',
    (f) => f.message.kind === 'text' && f.message.senderId !== ivanov.id,
    30_000,
  );
  // A failed post fails the test; the wait must not also end as an unhandled rejection later.
  next.catch(() => undefined);
  const res = await post();
  expect(res.status, res.text).toBe(200);
  expect(res.text).toBe('ok');
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return (await next).message;
}

/**
 * A refusal as Slack writes it: plain text, the error word on the first line (what Grafana and
 * Alertmanager match), the hub's reason on the second; never JSON.
 */
function slackError(res: Answer, status: number, word: string): string {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(res.body).toBeUndefined();
  const [first, ...rest] = res.text.split('\n');
  expect(first, res.text).toBe(word);
  return rest.join('\n');
}

describe('hook add / list / revoke', () => {
  it('prints a secret URL once (≥128 bits), lists hooks without it, and a revoked URL answers 404', async () => {
    const hook = await addHook(['--room', 'Мониторинг', '--name', 'Zabbix']);
    expect(hook.path).toMatch(/^\/hooks\/[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(hook.out).toMatch(/posting to "Мониторинг" as hook-\d+\./);
    const list = await runCli(['hook', 'list', '--data', hub.dataDir]);
    expect(list.out).toMatch(new RegExp(`${hook.id}\\s+active\\s+no\\s+Мониторинг\\s+Zabbix`));
    expect(list.out).not.toContain(hook.path.slice(7));

    const message = await delivered(() => postJson(hook.path, { text: 'Сервер 1С: CPU 95%' }));
    expect(message).toMatchObject({ conversationId: roomIds['Мониторинг'], text: 'Сервер 1С: CPU 95%' });
    const [sender] = (await ivanov.socket.request<{ users: User[] }>('users.get', { ids: [message.senderId] })).users;
    expect(sender).toMatchObject({ name: 'Zabbix', isBot: true, login: expect.stringMatching(/^hook-\d+$/) });

    const revoke = await runCli(['hook', 'revoke', String(hook.id), '--data', hub.dataDir]);
    expect(revoke.code, revoke.err).toBe(0);
    const after = await postJson(hook.path, { text: 'после отзыва' });
    // A word Slack's clients turn into their own sentence comes alone, exactly as Slack sends it.
    expect(slackError(after, 404, 'no_service')).toBe('');
    expect((await runCli(['hook', 'list', '--data', hub.dataDir])).out).toMatch(new RegExp(`${hook.id}\\s+revoked`));
    const unknown = await postJson(`/hooks/${'x'.repeat(43)}`, { text: 'x' });
    slackError(unknown, 404, 'no_service');
    slackError(await postJson('/hooks/short', { text: 'x' }), 404, 'invalid_token');
    // Not a hook address at all (a Rocket.Chat-style /hooks/<id>/<token>): still the webhooks' way.
    slackError(await postJson('/hooks/a/b', { text: 'x' }), 404, 'invalid_token');
    // The secret never reaches the hub's log.
    expect(hub.output.join('\n')).not.toContain(hook.path.slice(7));
  });
});

describe('Mattermost documentation payloads', () => {
  it('JSON, form-encoded payload= and payload= with no content type', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    const expected = 'Hello, this is some text\nThis is more text. :tada:';
    expect((await delivered(() => postJson(path, mattermostHello))).text).toBe(expected);
    // curl --data-urlencode: a form content type, the payload URL-encoded.
    const encoded = 'payload=' + encodeURIComponent(mattermostHelloPayload);
    expect((await delivered(() => postRaw(path, encoded, 'application/x-www-form-urlencoded'))).text).toBe(expected);
    // No content type at all: the payload as written, or URL-encoded.
    expect((await delivered(() => postRaw(path, 'payload=' + mattermostHelloPayload))).text).toBe(expected);
    expect((await delivered(() => postRaw(path, encoded))).text).toBe(expected);
  });

  it('username, icon and <!channel>: a display name, a mention of everyone, the table as text', async () => {
    const { path } = await addHook(['--room', 'town-square']);
    const message = await delivered(() => postJson(path, mattermostTestResults));
    expect(message.conversationId).toBe(roomIds['town-square']);
    expect(message.displayName).toBe('test-automation');
    expect(message.text).toContain('@all please review failed tests.');
    expect(message.text).toContain('| Web Client | 123         | :warning: 2 [(see details)](http://linktologs) |');
    expect(message.mentionsAll).toBe(true);
  });

  it('attachments become cards: colour, pretext, linked author and title, text, fields, the image as a link', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    const message = await delivered(() => postJson(path, mattermostAttachments));
    expect(message.text).toBe('');
    const a = mattermostAttachments.attachments[0]!;
    expect(message.attachments).toEqual([
      {
        fallback: 'test',
        color: '#ff8000',
        pretext: a.pretext,
        authorName: 'Mattermost',
        authorLink: a.author_link,
        title: 'Example Attachment',
        titleLink: a.title_link,
        text: a.text,
        fields: a.fields,
        imageUrl: a.image_url,
      },
    ]);
  });
});

describe('Slack documentation payloads', () => {
  it('plain JSON text, and Block Kit messages with their text and their blocks', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    expect((await delivered(() => postJson(path, slackHello))).text).toBe('Hello, World!');
    const blocks = await delivered(() => postJson(path, slackBlocks));
    expect(blocks.text).toBe('Danny Torrence left a 1 star review for your property.');
    expect(blocks.blocks?.length).toBeGreaterThan(0);
  });

  it('the legacy form payload with channel, username and icon_emoji', async () => {
    const { path } = await addHook(['--room', 'random']);
    const message = await delivered(() => postRaw(path, slackLegacyForm, 'application/x-www-form-urlencoded'));
    expect(message).toMatchObject({
      conversationId: roomIds['random'],
      displayName: 'webhookbot',
      text: 'This is posted to #random and comes from a bot named webhookbot.',
    });
  });

  it('markup: <url|text>, <url>, <mailto:…|…>, <!channel> and &amp; escapes become plain text and a mention', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    const message = await delivered(() => postJson(path, slackMarkup));
    expect(message.text).toBe(
      '@all Build failed: [build #42](https://ci.example.com/builds/42). Logs: https://ci.example.com/logs/42. Ask ops@example.com. 5 < 7 && 7 > 5',
    );
    expect(message.mentionsAll).toBe(true);
  });

  it('the legacy attachment example, images kept as links and icons left out', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    const message = await delivered(() => postJson(path, slackAttachments));
    expect(message.attachments).toEqual([
      {
        fallback: 'Required plain-text summary of the attachment.',
        color: '#2eb886',
        pretext: 'Optional text that appears above the attachment block',
        authorName: 'Bobby Tables',
        authorLink: 'http://flickr.com/bobby/',
        title: 'Slack API Documentation',
        titleLink: 'https://api.slack.com/',
        text: 'Optional text that appears within the attachment',
        fields: [{ title: 'Priority', value: 'High', short: false }],
        footer: 'Slack API',
        imageUrl: 'http://my-website.com/path/to/image.jpg',
        thumbUrl: 'http://example.com/path/to/thumb.png',
      },
    ]);
  });
});

describe('channel override', () => {
  it('a hook without --allow-channel-override posts only to its room', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    for (const channel of ['#Другая', '@ivanov', 'Тайная', '#нет-такой']) {
      const res = await postJson(path, { text: 'x', channel });
      expect(slackError(res, 403, 'action_prohibited'), channel).toMatch(/allow-channel-override/);
    }
    // Naming its own room is fine.
    await delivered(() => postJson(path, { text: 'сюда можно', channel: '#Мониторинг' }));
  });

  it('with the override: another open room (joining it), a person directly; never a closed room', async () => {
    const { path } = await addHook(['--room', 'Мониторинг', '--allow-channel-override', '--name', 'Grafana']);
    const other = await delivered(() => postJson(path, { text: 'в другую', channel: '#Другая' }));
    expect(other.conversationId).toBe(roomIds['Другая']);
    const direct = await delivered(() => postJson(path, { text: 'лично', channel: '@ivanov' }));
    const conversations = await ivanov.socket.request<{ conversations: { id: number; kind: string; name: string }[] }>(
      'conversations.list',
    );
    expect(conversations.conversations.find((c) => c.id === direct.conversationId)).toMatchObject({
      kind: 'direct',
      name: 'Grafana',
    });
    const closed = await postJson(path, { text: 'x', channel: '#Тайная' });
    const missing = await postJson(path, { text: 'x', channel: '#нет-такой' });
    // A closed room answers exactly as a missing one: its name tells nothing.
    slackError(closed, 404, 'channel_not_found');
    expect(closed.text).toBe(missing.text);
    const person = await postJson(path, { text: 'x', channel: '@nobody' });
    slackError(person, 404, 'user_not_found');
  });
});

describe('refusals', () => {
  it('empty, malformed, form without payload, and too long (refused, not split), in Slack words', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    const expectError = async (res: Promise<Answer>, status: number, word: string) =>
      slackError(await res, status, word);
    await expectError(postJson(path, {}), 400, 'no_text');
    await expectError(postJson(path, { text: '' }), 400, 'no_text');
    await expectError(postJson(path, { text: '', attachments: [{ color: 'danger' }], blocks: [] }), 400, 'no_text');
    await expectError(postJson(path, [1, 2]), 400, 'invalid_payload');
    await expectError(postJson(path, { text: 5 }), 400, 'invalid_payload');
    await expectError(postJson(path, { text: 'x', channel: 7 }), 400, 'invalid_payload');
    await expectError(postRaw(path, '{"text": ', 'application/json'), 400, 'invalid_payload');
    await expectError(postRaw(path, 'text=hello', 'application/x-www-form-urlencoded'), 400, 'invalid_payload');
    await expectError(postRaw(path, ''), 400, 'invalid_payload');
    await expectError(postJson(path, { blocks: 'not json' }), 400, 'invalid_blocks');
    await expectError(postJson(path, { attachments: {} }), 400, 'invalid_attachments');
    const reason = await expectError(postJson(path, { text: 'щ'.repeat(9000) }), 413, 'msg_too_long');
    expect(reason).toMatch(/bytes; the limit is/);
  });
});

describe('keep-alive', () => {
  it('a sender that pauses longer than 5 s keeps its connection: the next post on it gets through', async () => {
    const { path } = await addHook(['--room', 'Мониторинг']);
    await delivered(() => postJson(path, { text: 'до паузы' }));
    // This process does nothing for 6 s, as a busy sender would, then posts at once on the pooled
    // connection. The hub used to close idle connections after 5 s: "other side closed".
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6000);
    const res = await fetch(`${hub.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'после паузы' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    // Clients that follow the hint (Node's fetch and http agent) let go of it before the hub does.
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });
});
