// The bodies real tools send to a Slack-compatible incoming webhook (fixtures/webhooks/*.json,
// built from each tool's source: fixtures/webhooks/SOURCES.md), posted to a real hub the way each
// tool posts them (JSON, or a form's payload=), and the message the hub stores and hands out again
// (history, read from the database); Block Kit blocks, blocks-only payloads and their limits; and
// refusals as Slack writes them, read the way Grafana's Slack notifier reads them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { type Answer, http, type Loose, runCli } from './integrationHelpers.ts';

const fixtureDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/webhooks');
const fixture = (name: string): Loose => JSON.parse(readFileSync(path.join(fixtureDir, `${name}.json`), 'utf8'));
/** GitLab (Slack::Messenger), Jenkins and Sentry post `payload=<json>` as a form; the others JSON. */
const formSenders = new Set(['gitlab', 'jenkins', 'sentry']);

let hub: TestHub;
let reader: { id: number; socket: TestSocket };
const rooms: Record<string, number> = {};

beforeAll(async () => {
  // Each hook is its own bot: a burst of 3 lets every test post, and the fourth quick post is refused (429).
  hub = await startHub({ args: ['--send-burst', '3', '--send-per-second', '0.1'] });
  const u = await hub.addUser('petrova', 'Анна Петрова');
  reader = { id: u.id, socket: await TestSocket.open(hub.wsUrl, (await hub.login('petrova', u.password)).token) };
  for (const name of ['monitoring', 'builds', 'errors'])
    rooms[name] = (
      await reader.socket.request<{ conversation: { id: number } }>('rooms.create', { name, kind: 'open' })
    ).conversation.id;
}, 120_000);
afterAll(async () => {
  reader?.socket.close();
  await hub?.stop();
});

/** `hook add` as IT runs it; returns the hook's path. */
async function addHook(room: string, name: string): Promise<string> {
  const r = await runCli(['hook', 'add', '--room', room, '--name', name, '--data', hub.dataDir]);
  expect(r.code, r.err).toBe(0);
  return /^\s+(\/hooks\/[A-Za-z0-9_-]+)$/m.exec(r.out)![1]!;
}

/** Posts a payload as its tool does: JSON, or (GitLab, Jenkins, Sentry) a form's `payload=` field. */
function send(hookPath: string, payload: unknown, asForm = false): Promise<Answer> {
  if (!asForm) return http(hub, 'POST', hookPath, { json: payload });
  const body = 'payload=' + encodeURIComponent(JSON.stringify(payload));
  return http(hub, 'POST', hookPath, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** Posts, checks Slack's `ok`, and returns the message as the hub hands it out later (history). */
async function stored(hookPath: string, payload: unknown, asForm = false): Promise<Message> {
  const live = reader.socket.next('message', (f) => f.message.senderId !== reader.id, 30_000);
  live.catch(() => undefined);
  const res = await send(hookPath, payload, asForm);
  expect(res.status, res.text).toBe(200);
  expect(res.text).toBe('ok');
  const { message } = await live;
  const history = await reader.socket.request<{ messages: Message[] }>('history', {
    conversationId: message.conversationId,
    limit: 5,
  });
  const again = history.messages.find((m) => m.seq === message.seq)!;
  // Read back from the database exactly as it was handed out live.
  expect(again).toEqual(message);
  return again;
}

/** Posts a tool's fixture through a new hook on its room. */
async function postFixture(tool: string, room: string): Promise<Message> {
  const hookPath = await addHook(room, tool);
  return stored(hookPath, fixture(tool), formSenders.has(tool));
}

/** No Slack markup is left anywhere in what the hub stored: no `<!here|here>`, no `<url|text>`. */
function expectNoSlackMarkup(message: Message): void {
  const all = JSON.stringify(message);
  expect(all).not.toMatch(/<!|<https?:|<mailto:|<@|&lt;|&gt;/);
}

/**
 * How Grafana's Slack notifier (grafana/alerting receivers/slack/slack.go, sendSlackRequest and
 * handleSlackIncomingWebhookResponse) reads an incoming webhook's answer: the error it logs, or
 * null for success. A JSON answer is unmarshalled into `{ok, ts, error: string}`.
 */
function grafanaReads(res: Answer): string | null {
  if (res.status >= 500) return `unexpected 5xx status code: ${res.status}`;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) {
    const body = res.body as { ok?: unknown; error?: unknown } | undefined;
    if (!body || typeof body !== 'object' || (body.error !== undefined && typeof body.error !== 'string'))
      return 'failed to unmarshal response';
    return body.ok === true ? null : `failed to send request: ${String(body.error)}`;
  }
  if (res.text === 'ok') return null;
  const known: Record<string, string> = {
    user_not_found: 'the user does not exist or is invalid',
    channel_not_found: 'the channel does not exist or is invalid',
    channel_is_archived: 'cannot send an incoming webhook for an archived channel',
    posting_to_general_channel_denied: 'cannot send an incoming webhook to the #general channel',
    no_service: 'the incoming webhook is either disabled, removed, or invalid',
    no_text: 'cannot send an incoming webhook without a message',
  };
  return known[res.text] ?? `failed incoming webhook: ${res.text}`;
}

describe('the real tools’ payloads', () => {
  it('Prometheus Alertmanager: the card with its mrkdwn text, summary and the url buttons as links', async () => {
    const source = fixture('alertmanager').attachments[0];
    const message = await postFixture('alertmanager', 'monitoring');
    expectNoSlackMarkup(message);
    expect(message).toMatchObject({ conversationId: rooms['monitoring'], text: '', mentionsAll: false });
    expect(message.displayName).toBe('Alertmanager');
    expect(message.blocks).toBeUndefined();
    expect(message.attachments).toEqual([
      {
        fallback: source.fallback,
        color: 'danger',
        title: source.title,
        titleLink: source.title_link,
        // Slack mrkdwn stays as written: clients read a hook's texts as mrkdwn.
        text: source.text,
        blocks: [
          {
            type: 'links',
            links: [
              { text: 'Runbook :blue_book:', url: 'https://wiki.corp.local/runbooks/high-cpu' },
              { text: 'Query :mag:', url: source.actions[1].url },
            ],
          },
        ],
      },
    ]);
  });

  it('Grafana: <!here|here> in the pretext notifies as @all; the panel image is kept as a link', async () => {
    const source = fixture('grafana').attachments[0];
    const message = await postFixture('grafana', 'monitoring');
    expectNoSlackMarkup(message);
    expect(message.mentionsAll).toBe(true);
    expect(message.attachments).toEqual([
      {
        fallback: source.title,
        color: '#d63232',
        pretext: '@all',
        title: source.title,
        titleLink: source.title_link,
        text: source.text,
        footer: 'Grafana v11.3.0',
        imageUrl: source.image_url,
      },
    ]);
  });

  it('GitLab (form payload=): links in the summary and fields become named Markdown links, the author links', async () => {
    const message = await postFixture('gitlab', 'builds');
    expectNoSlackMarkup(message);
    expect(message).toMatchObject({ conversationId: rooms['builds'], text: '', mentionsAll: false });
    const project = 'https://gitlab.corp.local/erp/trade-1c';
    const [card] = message.attachments!;
    expect(card).toMatchObject({
      fallback:
        `[trade-1c](${project}): Pipeline [#4821](${project}/-/pipelines/4821/failures) of branch ` +
        `[main](${project}/-/commits/main) by Ivan Ivanov (ivanov.ii) has failed in 04:17`,
      color: 'danger',
      authorName: 'Ivan Ivanov (ivanov.ii)',
      authorLink: 'https://gitlab.corp.local/ivanov.ii',
      title: 'Pipeline #4821 has failed in 04:17',
      titleLink: `${project}/-/pipelines/4821/failures`,
      footer: 'trade-1c',
    });
    expect(card!.fields).toEqual([
      { title: 'Branch', value: `[main](${project}/-/commits/main)`, short: true },
      { title: 'Commit', value: `[Fix VAT rounding in invoice print form](${project}/-/commit/9f2c1e7a)`, short: true },
      { title: 'Failed stage', value: `[test](${project}/-/pipelines/4821/failures)`, short: true },
      { title: 'Failed job', value: `[vanessa-automation](${project}/-/jobs/99120)`, short: true },
    ]);
  });

  it('Jenkins (form payload=): the build line in the field and the fallback, <url|Open> translated', async () => {
    const message = await postFixture('jenkins', 'builds');
    expectNoSlackMarkup(message);
    const line =
      'trade-1c-nightly - #312 Failure after 7 min 41 sec ([Open](https://jenkins.corp.local/job/trade-1c-nightly/312/))';
    expect(message.attachments).toEqual([
      { fallback: line, color: 'danger', fields: [{ title: '', value: line, short: false }] },
    ]);
  });

  it('Sentry (form payload=): the issue card; <url | rule> with spaces becomes text', async () => {
    const message = await postFixture('sentry', 'errors');
    expectNoSlackMarkup(message);
    expect(message.displayName).toBe('Sentry');
    const [card] = message.attachments!;
    expect(card).toMatchObject({
      fallback: '[acme / trade-web] ZeroDivisionError: division by zero',
      color: '#f43f20',
      title: 'ZeroDivisionError: division by zero',
      titleLink: 'https://sentry.corp.local/organizations/acme/issues/1234/?referrer=slack',
    });
    expect(card!.fields!.find((f) => f.title === 'Triggered By')!.value).toBe(
      '[Send a notification for new issues](https://sentry.corp.local/settings/acme/projects/trade-web/alerts/rules/7/)',
    );
  });

  it('Uptime Kuma: <!channel> notifies; the attachment’s blocks (header, fields, buttons) stay in its card', async () => {
    const message = await postFixture('uptime-kuma', 'monitoring');
    expectNoSlackMarkup(message);
    const line = '[1C web client] [🔴 Down] connect ECONNREFUSED 10.0.0.5:443 @all';
    expect(message).toMatchObject({ text: line, mentionsAll: true, displayName: 'Uptime Kuma' });
    expect(message.attachments).toEqual([
      {
        color: '#e01e5a',
        blocks: [
          { type: 'header', text: 'Uptime Kuma Alert' },
          { type: 'section', fields: [`*Message*\n${line}`, '*Time (Europe/Moscow)*\n2026-12-03 03:30:12'] },
          {
            type: 'links',
            links: [
              { text: 'Visit Uptime Kuma', url: 'https://uptime.corp.local/dashboard/7' },
              { text: 'Visit site', url: 'https://1c.corp.local/trade/' },
            ],
          },
        ],
      },
    ]);
  });
});

describe('Block Kit', () => {
  const buttons = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'button',
      text: { type: 'plain_text', text: `Step ${i + 1}` },
      url: `https://wiki.corp.local/step/${i + 1}`,
    }));

  it('a blocks-only payload is accepted (as Slack does) and every kind of block is kept in the stored shape', async () => {
    const hookPath = await addHook('monitoring', 'blocks');
    const message = await stored(hookPath, {
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Заказ №17 ждёт согласования', emoji: true } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Сумма:* 1 250 000 ₽ — <https://1c.corp.local/e1cib/data/17|открыть в 1С>' },
          accessory: { type: 'image', image_url: 'https://1c.corp.local/logo.png', alt_text: 'логотип' },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Клиент*\nООО «Ромашка»' },
            { type: 'plain_text', text: 'Склад: Основной' },
          ],
          accessory: {
            type: 'button',
            text: { type: 'plain_text', text: 'Счёт' },
            url: 'https://1c.corp.local/inv/17',
          },
        },
        {
          type: 'context',
          elements: [
            { type: 'image', image_url: 'https://1c.corp.local/avatar.png', alt_text: 'Иванов' },
            { type: 'mrkdwn', text: 'отправил <!here|here>' },
          ],
        },
        { type: 'divider' },
        {
          type: 'image',
          image_url: 'https://grafana.corp.local/render/panel.png',
          alt_text: 'CPU',
          title: { type: 'plain_text', text: 'Загрузка' },
        },
        { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'не ссылка' },
        {
          type: 'actions',
          elements: [
            ...buttons(6),
            { type: 'button', text: { type: 'plain_text', text: 'Approve' }, value: 'approve', action_id: 'a1' },
          ],
        },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'См. ' },
                { type: 'link', url: 'https://wiki.corp.local/x', text: 'регламент' },
              ],
            },
          ],
        },
        { type: 'input', element: { type: 'plain_text_input' }, label: { type: 'plain_text', text: 'x' } },
      ],
    });
    expectNoSlackMarkup(message);
    expect(message.text).toBe('');
    expect(message.mentionsAll).toBe(true);
    expect(message.blocks).toEqual([
      { type: 'header', text: 'Заказ №17 ждёт согласования' },
      {
        type: 'section',
        text: '*Сумма:* 1 250 000 ₽ — [открыть в 1С](https://1c.corp.local/e1cib/data/17)',
        image: { url: 'https://1c.corp.local/logo.png', alt: 'логотип' },
      },
      { type: 'section', fields: ['*Клиент*\nООО «Ромашка»', 'Склад: Основной'] },
      { type: 'links', links: [{ text: 'Счёт', url: 'https://1c.corp.local/inv/17' }] },
      { type: 'context', elements: ['Иванов', 'отправил @all'] },
      { type: 'divider' },
      { type: 'image', url: 'https://grafana.corp.local/render/panel.png', alt: 'CPU', title: 'Загрузка' },
      { type: 'context', elements: ['не ссылка'] },
      { type: 'links', links: buttons(5).map((b) => ({ text: b.text.text, url: b.url })) },
      { type: 'links', links: [{ text: 'Step 6', url: 'https://wiki.corp.local/step/6' }] },
      { type: 'section', text: 'См. [регламент](https://wiki.corp.local/x)' },
    ]);
  });

  it('blocks as JSON text (a form field) are read too; texts and blocks together', async () => {
    const hookPath = await addHook('monitoring', 'blocks-text');
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '_готово_' } }];
    const message = await stored(hookPath, { text: 'Выгрузка', blocks: JSON.stringify(blocks) }, true);
    expect(message).toMatchObject({
      text: 'Выгрузка',
      mentionsAll: false,
      blocks: [{ type: 'section', text: '_готово_' }],
    });
  });

  it('a forward copies the blocks and the cards; a deletion removes them', async () => {
    const hookPath = await addHook('monitoring', 'forwarded');
    const original = await stored(hookPath, fixture('uptime-kuma'));
    const clientId = (tag: string) => `${tag}-${original.seq}-blocks`;
    const { message: copy } = await reader.socket.request<{ message: Message }>('send', {
      conversationId: rooms['errors'],
      clientId: clientId('fwd'),
      text: '',
      forward: original.seq,
    });
    expect(copy.attachments).toEqual(original.attachments);
    expect(copy.forwarded).toMatchObject({ senderId: original.senderId });
    // The room's owner deletes the hook's message: text, cards and blocks are gone from the hub.
    await reader.socket.request('message.delete', { clientId: clientId('del'), seq: original.seq });
    const { messages } = await reader.socket.request<{ messages: Message[] }>('history', {
      conversationId: original.conversationId,
      limit: 5,
    });
    const placeholder = messages.find((m) => m.seq === original.seq)!;
    expect(placeholder.deleted).toBeDefined();
    expect(placeholder.attachments).toBeUndefined();
    expect(placeholder.blocks).toBeUndefined();
    // A blocks-only message forwarded keeps its top-level blocks too.
    const blocksOnly = await stored(hookPath, {
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Итог' } }],
    });
    const { message: copied } = await reader.socket.request<{ message: Message }>('send', {
      conversationId: rooms['errors'],
      clientId: clientId('fwd2'),
      text: '',
      forward: blocksOnly.seq,
    });
    expect(copied.blocks).toEqual([{ type: 'header', text: 'Итог' }]);
  });

  it("Slack's limits are refused with a clear reason (invalid_blocks), nothing posted", async () => {
    const hookPath = await addHook('monitoring', 'limits');
    const refused = async (payload: unknown, reason: RegExp) => {
      const res = await send(hookPath, payload);
      expect(res.status, res.text).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const [word, why] = res.text.split('\n');
      expect(word).toBe('invalid_blocks');
      expect(why).toMatch(reason);
    };
    await refused({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, /51 blocks; .* at most 50/);
    await refused(
      { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'я'.repeat(3001) } }] },
      /blocks\[0\]\.text is 3001 characters; the limit is 3000/,
    );
    await refused(
      { blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }] },
      /blocks\[0\]\.fields has 11 fields/,
    );
    await refused({ blocks: [{ type: 'divider' }, 'header'] }, /blocks\[1\] must be an object/);
    await refused({ attachments: [{ blocks: { type: 'divider' } }] }, /attachments\[0\]\.blocks" must be a list/);
    // Nothing of it reached the room: the next message there is the one posted now.
    const after = await stored(hookPath, { text: 'после отказов' });
    expect(after.text).toBe('после отказов');
  });
});

describe('refusals as Slack answers them', () => {
  it('plain text: the word Slack uses, the reason after it; Grafana logs the reason, not an unmarshal error', async () => {
    const hookPath = await addHook('monitoring', 'Grafana');
    const empty = await send(hookPath, { text: '' });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    // A word Slack's clients know comes alone, as from Slack: Grafana says it in its own words.
    expect(empty.text).toBe('no_text');
    expect(grafanaReads(empty)).toBe('cannot send an incoming webhook without a message');

    const bad = await send(hookPath, {
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(3001) } }],
    });
    expect(grafanaReads(bad)).toBe(
      'failed incoming webhook: invalid_blocks\nblocks[0].text is 3001 characters; the limit is 3000',
    );

    const gone = await http(hub, 'POST', `/hooks/${'z'.repeat(43)}`, { json: { text: 'x' } });
    expect(gone.status).toBe(404);
    expect(grafanaReads(gone)).toBe('the incoming webhook is either disabled, removed, or invalid');
    expect(grafanaReads(await send(hookPath, { text: 'всё в порядке' }))).toBeNull();
  });

  it('429 carries Retry-After, in plain text too', async () => {
    const hookPath = await addHook('monitoring', 'burst');
    // Burst of 3 per bot (see startHub above); the fourth in a row is refused.
    for (let i = 0; i < 3; i++) expect((await send(hookPath, { text: `#${i}` })).status).toBe(200);
    const res = await send(hookPath, { text: 'слишком часто' });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text.split('\n')[0]).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
