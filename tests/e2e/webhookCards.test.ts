// The payloads real tools send to a Slack-compatible webhook (tests/integrations/fixtures/webhooks,
// see SOURCES.md there), posted to a real hub's hook and looked at in the web client in Chromium:
// cards with their headers as headings, fields, links with their addresses, formatting read
// (no literal `*`, `<!here|here>` or `<url|text>`), images as links that are never loaded; and a
// blocks-only Block Kit payload as a structured card. Screenshots of each card in the light and
// dark themes and one in a 1C form's compact size go to BESEDA_SHOTS (a temp folder by default).
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { http, runCli } from '../integrations/integrationHelpers.ts';
import { conversationItem, launchBrowser, openPage, signIn, type WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };
const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../integrations/fixtures/webhooks');
const shotsDir = process.env.BESEDA_SHOTS ?? path.join(os.tmpdir(), 'beseda-webhook-cards');

/** The tools, in posting order; GitLab, Jenkins and Sentry post a form's `payload=` (SOURCES.md). */
const tools = ['alertmanager', 'grafana', 'gitlab', 'jenkins', 'sentry', 'uptime-kuma'] as const;
type Tool = (typeof tools)[number] | 'block-kit';
const formPosted = new Set<Tool>(['gitlab', 'jenkins', 'sentry']);

/**
 * A blocks-only message as Slack's Block Kit documentation builds one (an approval request): every
 * block type the hub keeps, no `text` at all.
 */
const blockKit = {
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Заявка на отпуск', emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Иванов И. И.* просит отпуск: <https://hr.corp.local/requests/77|заявка №77>' },
      accessory: { type: 'image', image_url: 'https://hr.corp.local/avatars/ivanov.png', alt_text: 'Иванов И. И.' },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Тип:*\nЕжегодный оплачиваемый' },
        { type: 'mrkdwn', text: '*Даты:*\n12.01 – 25.01' },
        { type: 'mrkdwn', text: '*Остаток:*\n~28~ 14 дней' },
        { type: 'mrkdwn', text: '*Замещает:*\n_Петрова А. С._' },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Отправлено из 1С:ЗУП · `hr-bot`' }] },
    { type: 'divider' },
    {
      type: 'image',
      image_url: 'https://hr.corp.local/charts/vacations-q1.png',
      alt_text: 'График отпусков отдела',
      title: { type: 'plain_text', text: 'График отпусков, I квартал' },
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Открыть заявку' },
          url: 'https://hr.corp.local/requests/77',
        },
        { type: 'button', text: { type: 'plain_text', text: 'Согласовать' }, value: 'approve', style: 'primary' },
      ],
    },
  ],
};

let hub: TestHub;
let browser: Browser;
const seqs = new Map<Tool, number>();
const pages: WatchedPage[] = [];

/** The body of a fixture as the tool sends it (the test room stands for whatever `channel` it names). */
function fixture(tool: Tool): Record<string, unknown> {
  if (tool === 'block-kit') return blockKit;
  const body = JSON.parse(readFileSync(path.join(fixtureDir, `${tool}.json`), 'utf8')) as Record<string, unknown>;
  // The hook is the test room's; `channel` would name the tool's own (#monitoring, #builds).
  delete body.channel;
  return body;
}

beforeAll(async () => {
  hub = await startHub();
  const ivan = await hub.addUser('ivan', 'Иван Петров');
  const socket = await TestSocket.open(hub.wsUrl, (await hub.login('ivan', ivan.password)).token);
  try {
    await socket.request('rooms.create', { name: 'Мониторинг', kind: 'open' });
    const added = await runCli(['hook', 'add', '--room', 'Мониторинг', '--name', 'Мониторинг', '--data', hub.dataDir]);
    expect(added.code, added.err).toBe(0);
    const hookPath = /^\s+(\/hooks\/[A-Za-z0-9_-]+)$/m.exec(added.out)![1]!;
    for (const tool of [...tools, 'block-kit'] as const) {
      const next = socket.next('message', (f) => f.message.kind === 'text' && f.message.senderId !== ivan.id, 30_000);
      next.catch(() => undefined);
      const body = fixture(tool);
      const res = formPosted.has(tool)
        ? await http(hub, 'POST', hookPath, {
            body: `payload=${encodeURIComponent(JSON.stringify(body))}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          })
        : await http(hub, 'POST', hookPath, { json: body });
      expect(res.status, `${tool}: ${res.text}`).toBe(200);
      seqs.set(tool, ((await next) as { message: Message }).message.seq);
    }
  } finally {
    socket.close();
  }
  browser = await launchBrowser();
  for (const options of [{}, { colorScheme: 'dark' as const }, { width: 420, height: 720 }])
    pages.push(await openPage(browser, options));
  await signIn(pages[0]!.page, hub.url, 'ivan', ivan.password);
  await signIn(pages[1]!.page, hub.url, 'ivan', ivan.password);
  await signIn(pages[2]!.page, `${hub.url}/?compact=1`, 'ivan', ivan.password);
  // The compact layout (a 1C form's field) hides the list behind a button.
  await pages[2]!.page.getByRole('button', { name: 'Показать список разговоров' }).click();
  for (const p of pages) await conversationItem(p.page, 'Мониторинг').click();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

const row = (page: Page, tool: Tool): Locator => page.locator(`[data-message-row][data-seq="${seqs.get(tool)}"]`);

/**
 * Scrolls a tool's message into view and waits until its card is drawn. The list draws only the
 * rows near what is visible, so one far off is reached by scrolling towards it step by step.
 */
async function shown(page: Page, tool: Tool): Promise<Locator> {
  const r = row(page, tool);
  const target = seqs.get(tool)!;
  for (let step = 0; step < 60 && (await r.count()) === 0; step++) {
    await page.locator('.messages').evaluate((list, seq) => {
      const drawn = Array.from(list.querySelectorAll('[data-message-row]')).map((el) =>
        Number(el.getAttribute('data-seq')),
      );
      list.scrollBy(0, drawn.length > 0 && Math.max(...drawn) < seq ? 300 : -300);
    }, target);
    await page.waitForTimeout(50);
  }
  await r.waitFor({ timeout: 20_000 });
  await r.scrollIntoViewIfNeeded();
  await r.locator('.attachment, .block-card').first().waitFor({ timeout: 20_000 });
  return r;
}

/** What a reader sees in the row, with no Slack markup left in it. */
async function checkReadable(r: Locator): Promise<string> {
  const text = await r.innerText();
  expect(text).not.toMatch(/<!(here|channel|everyone)|<https?:|\|[^|\n]*>|\*\*|(^|\s)\*\S|\S\*(\s|$)/);
  expect(text).not.toContain('~');
  return text;
}

const hrefs = (r: Locator) => r.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

async function saveShot(r: Locator, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await r.screenshot({ path: path.join(shotsDir, `${name}.png`), animations: 'disabled' });
}

describe('webhook payloads of real tools in the web client', () => {
  it('Alertmanager: the title links to the alerts, the mrkdwn of the text is read', async () => {
    const r = await shown(pages[0]!.page, 'alertmanager');
    const text = await checkReadable(r);
    expect(text).toContain('[FIRING:2] HighCPU');
    expect(await r.locator('.attachment strong', { hasText: 'Alert:' }).count()).toBe(2);
    expect(await r.locator('.attachment code', { hasText: 'srv-1c:9100' }).count()).toBe(1);
    expect(await hrefs(r)).toContain('http://alertmanager.corp.local:9093/#/alerts?receiver=beseda');
  });

  it('Grafana: <!here|here> reads @all, **Firing** is bold, the panel image is a link never loaded', async () => {
    const r = await shown(pages[0]!.page, 'grafana');
    const text = await checkReadable(r);
    expect(text).toContain('@all');
    expect(await r.locator('.attachment strong', { hasText: 'Firing' }).count()).toBe(1);
    const image = r.getByRole('link', { name: /^Изображение: / });
    expect(await image.getAttribute('href')).toBe(
      'https://grafana.corp.local/public/img/attachments/Kx9aN0rC2xTQwX1hL5Ju.png',
    );
    expect(await pages[0]!.page.locator('img[src*="corp.local"]').count()).toBe(0);
  });

  it('GitLab: author and title are links, fields keep their links', async () => {
    const r = await shown(pages[0]!.page, 'gitlab');
    await checkReadable(r);
    const links = await hrefs(r);
    expect(links).toContain('https://gitlab.corp.local/ivanov.ii');
    expect(links).toContain('https://gitlab.corp.local/erp/trade-1c/-/pipelines/4821/failures');
    expect(links).toContain('https://gitlab.corp.local/erp/trade-1c/-/commits/main');
    expect(await r.locator('.att-field dt', { hasText: 'Failed stage' }).count()).toBe(1);
  });

  it('Jenkins: the one field links to the build', async () => {
    const r = await shown(pages[0]!.page, 'jenkins');
    const text = await checkReadable(r);
    expect(text).toContain('trade-1c-nightly - #312 Failure after 7 min 41 sec');
    expect(await hrefs(r)).toContain('https://jenkins.corp.local/job/trade-1c-nightly/312/');
  });

  it('Sentry: the title links to the issue, the rule link with spaces around | still links', async () => {
    const r = await shown(pages[0]!.page, 'sentry');
    const text = await checkReadable(r);
    expect(text).toContain('ZeroDivisionError: division by zero');
    const links = await hrefs(r);
    expect(links).toContain('https://sentry.corp.local/organizations/acme/issues/1234/?referrer=slack');
    expect(links).toContain('https://sentry.corp.local/settings/acme/projects/trade-web/alerts/rules/7/');
  });

  it("Uptime Kuma: the card's blocks show a heading, fields and link buttons", async () => {
    const r = await shown(pages[0]!.page, 'uptime-kuma');
    const text = await checkReadable(r);
    expect(text).toContain('@all');
    await expect.poll(() => r.getByRole('heading', { name: 'Uptime Kuma Alert' }).count(), poll).toBe(1);
    expect(await r.locator('.blk-field strong', { hasText: 'Message' }).count()).toBe(1);
    const buttons = r.getByRole('group', { name: 'Ссылки' }).getByRole('link');
    expect(await buttons.count()).toBe(2);
    expect(await buttons.nth(0).getAttribute('href')).toBe('https://uptime.corp.local/dashboard/7');
    expect(await buttons.nth(1).innerText()).toBe('Visit site');
  });

  it('a blocks-only Block Kit message: header, sections, fields, context, divider, image and buttons', async () => {
    const r = await shown(pages[0]!.page, 'block-kit');
    await checkReadable(r);
    const card = r.locator('.block-card');
    expect(await card.getByRole('heading', { level: 3 }).innerText()).toBe('Заявка на отпуск');
    expect(await card.locator('.blk-field').count()).toBe(4);
    expect(await card.locator('.blk-field strong', { hasText: 'Даты:' }).count()).toBe(1);
    expect(await card.locator('.blk-field s').innerText()).toBe('28');
    expect(await card.locator('.blk-context').innerText()).toContain('Отправлено из 1С:ЗУП');
    expect(await card.locator('hr.blk-divider').count()).toBe(1);
    expect(await card.getByRole('link', { name: 'Изображение: График отпусков, I квартал' }).getAttribute('href')).toBe(
      'https://hr.corp.local/charts/vacations-q1.png',
    );
    expect(await card.getByRole('link', { name: 'Изображение: Иванов И. И.' }).count()).toBe(1);
    expect(await card.locator('.blk-section .msg-text a[href="https://hr.corp.local/requests/77"]').count()).toBe(1);
    // The button without a url does nothing in Beseda: only the one that opens an address is kept.
    expect(await card.getByRole('group', { name: 'Ссылки' }).getByRole('link').count()).toBe(1);
    expect(await card.locator('img').count()).toBe(0);
  });

  it('opens card links through the app, except in a 1C form where the form gets the plain anchor', async () => {
    /** Clicks a card's link and says whether the page handled it (a 1C form's ПриНажатии would see it otherwise). */
    const handled = async (page: Page) => {
      const button = (await shown(page, 'uptime-kuma')).locator('.blk-button').first();
      return button.evaluate((a) => {
        let prevented: boolean | null = null;
        const after = (e: Event) => {
          prevented = e.defaultPrevented;
          e.preventDefault(); // no new tab in the test
        };
        window.addEventListener('click', after, { once: true });
        a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
        return prevented;
      });
    };
    expect(await handled(pages[0]!.page)).toBe(true);
    expect(await handled(pages[2]!.page)).toBe(false);
  });

  it('screenshots every card in the light and dark themes, and one in a 1C form', async () => {
    for (const tool of [...tools, 'block-kit'] as const) {
      await saveShot(await shown(pages[0]!.page, tool), `light-${tool}`);
      await saveShot(await shown(pages[1]!.page, tool), `dark-${tool}`);
    }
    for (const tool of ['uptime-kuma', 'block-kit', 'gitlab'] as const) {
      const r = await shown(pages[2]!.page, tool);
      await saveShot(r, `compact-${tool}`);
      // Nothing sticks out of a card in a 1C form's narrow field (long addresses wrap).
      const overflow = await r.locator('.attachment, .block-card').evaluateAll((cards) =>
        cards.flatMap((card) =>
          Array.from(card.querySelectorAll('*'))
            .filter((el) => el.getBoundingClientRect().right > card.getBoundingClientRect().right + 1)
            .map((el) => el.outerHTML.slice(0, 80)),
        ),
      );
      expect(overflow, tool).toEqual([]);
    }
    for (const p of pages) {
      expect(p.errors).toEqual([]);
      expect(p.cspViolations).toEqual([]);
    }
  });
});
