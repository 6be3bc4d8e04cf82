// Announcements in the web client against a real hub: the oldest one still to confirm is pinned
// above the messages, survives reloads (the hub is the source of truth), goes away when confirmed
// — on every device of the person — and never comes back. Screenshots of the banner, light and
// dark, full-size and in a 1C form's compact field, go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { addBot, http } from '../integrations/integrationHelpers.ts';
import { conversationItem, launchBrowser, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };
// A reload loads the page and signs in again over a new socket: slow on a loaded machine.
const afterReload = { timeout: 30_000 };

const banner = (page: Page) => page.locator('section.announcement-banner');
const bannerSeq = async (page: Page) => Number((await banner(page).getAttribute('data-seq')) ?? 0);
const gotIt = (page: Page) => banner(page).getByRole('button', { name: 'Ознакомлен(а)' });

describe('pinned announcements', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivan: { id: number; login: string; password: string };
  let adminToken: string;
  let adminName: string;
  let bot: { token: string; id: number };
  const pages: WatchedPage[] = [];

  const announce = async (token: string, to: string, body: { text?: string; attachments?: unknown[] }) => {
    const res = await http(hub, 'POST', '/api/v1/announcements', { token, json: { to, ...body } });
    expect(res.status, res.text).toBe(201);
    return res.body.message.seq as number;
  };
  const open = async (options: Parameters<typeof openPage>[1] = {}) => {
    const page = await openPage(browser, options);
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    hub = await startHub();
    ivan = await hub.addUser('ivan', 'Иван Петров', { branch: 'Склад' });
    await hub.addUser('maria', 'Мария Иванова');
    const admin = await hub.login(hub.admin!.login, hub.admin!.password);
    adminToken = admin.token;
    adminName = admin.user.name;
    bot = await addBot(hub, 'zabbix', { name: 'Мониторинг', rooms: ['Склад'] });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('pins the oldest announcement until it is confirmed, across reloads and devices', async () => {
    const a = await open();
    await signIn(a.page, hub.url, ivan.login, ivan.password);
    expect(await banner(a.page).count()).toBe(0);

    // Live: the banner comes with the message.
    const first = await announce(adminToken, 'all', {
      text: 'С понедельника пропуска выдаются только через портал: https://portal.example.local/pass\n<b>не жирный</b>',
    });
    await banner(a.page).waitFor({ timeout: 15_000 });
    expect(await bannerSeq(a.page)).toBe(first);
    await expect.poll(() => banner(a.page).locator('.banner-author').textContent(), poll).toBe(adminName);
    expect(await banner(a.page).locator('.tag-bot').count()).toBe(0);
    const text = banner(a.page).locator('.banner-body .msg-text');
    expect(await text.textContent()).toContain('<b>не жирный</b>');
    expect(await banner(a.page).locator('b').count()).toBe(0);
    expect(await text.locator('a').getAttribute('href')).toBe('https://portal.example.local/pass');
    expect(await banner(a.page).locator('.banner-more').count()).toBe(0);

    // The same person on another device: loaded from the hub after sign-in.
    const b = await open();
    await signIn(b.page, hub.url, ivan.login, ivan.password);
    await expect.poll(() => bannerSeq(b.page), poll).toBe(first);

    // A bot's announcement with only a card: the first one stays pinned, "ещё 1" names the other.
    const second = await announce(bot.token, 'Склад', {
      attachments: [
        {
          fallback: 'Диск заполнен на 95% (srv-1c-01)',
          color: 'danger',
          title: 'Диск заполнен на 95%',
          text: 'Сервер srv-1c-01, том D:. Освободите место до 18:00.',
          fields: [{ title: 'Свободно', value: '12 ГБ', short: true }],
        },
      ],
    });
    const more = banner(a.page).locator('.banner-more');
    await expect.poll(() => more.textContent(), poll).toBe('ещё 1');
    expect(await more.getAttribute('title')).toBe('• Диск заполнен на 95% (srv-1c-01)');
    expect(await bannerSeq(a.page)).toBe(first);
    // The bot also writes to Ivan directly: the sidebar marks the conversation as a bot's.
    const direct = await http(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      json: { to: '@ivan', text: 'Проверка связи' },
    });
    expect(direct.status, direct.text).toBe(201);
    await expect.poll(() => conversationItem(a.page, 'Мониторинг').locator('.tag-bot').textContent(), poll).toBe('бот');

    // After a reload it is still pinned: the hub says it is not confirmed yet.
    await a.page.reload();
    await a.page.locator('.app[data-connection="connected"]').waitFor(afterReload);
    await expect.poll(() => bannerSeq(a.page), poll).toBe(first);
    await expect.poll(() => more.textContent(), poll).toBe('ещё 1');
    await a.page.mouse.move(0, 0);
    await screenshot(a.page, 'light-15-announcement');

    // Confirmed here: the next one shows, here and on the other device.
    await gotIt(a.page).click();
    await expect.poll(() => bannerSeq(a.page), poll).toBe(second);
    await expect.poll(() => bannerSeq(b.page), poll).toBe(second);
    expect(await more.count()).toBe(0);
    await expect.poll(() => banner(a.page).locator('.banner-author').textContent(), poll).toBe('Мониторингбот');
    expect(await banner(a.page).locator('.banner-author .tag-bot').textContent()).toBe('бот');
    expect(await banner(a.page).locator('.attachment .att-title').textContent()).toBe('Диск заполнен на 95%');
    await screenshot(a.page, 'light-16-announcement-bot');

    // A click on the banner opens the conversation it was posted in.
    expect(await a.page.locator('.conv-header h1').textContent()).toBe('Общий чат');
    await banner(a.page).locator('.banner-body').click();
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toBe('Склад');
    const row = a.page.locator(`.msg-announcement[data-seq="${second}"]`);
    await row.waitFor({ timeout: 15_000 });
    // The row has its own «Ознакомлен(а)» beside the message actions (reaction, «…») every message has.
    const rowGotIt = row.getByRole('button', { name: 'Ознакомлен(а)' });
    await expect.poll(() => rowGotIt.count(), poll).toBe(1);

    // Confirmed on the other device: gone here too, the row's own button with it (the actions stay).
    await gotIt(b.page).click();
    await expect.poll(() => banner(b.page).count(), poll).toBe(0);
    await expect.poll(() => banner(a.page).count(), poll).toBe(0);
    await expect.poll(() => rowGotIt.count(), poll).toBe(0);
    expect(await row.getByRole('button', { name: 'Действия с сообщением' }).count()).toBe(1);

    // A reload does not bring them back. A third announcement, still pending, proves the list was
    // loaded from the hub after the reload: it alone is pinned.
    const third = await announce(adminToken, 'all', { text: 'Инвентаризация в пятницу.' });
    await expect.poll(() => bannerSeq(a.page), poll).toBe(third);
    await a.page.reload();
    await a.page.locator('.app[data-connection="connected"]').waitFor(afterReload);
    await expect.poll(() => bannerSeq(a.page), poll).toBe(third);
    expect(await banner(a.page).locator('.banner-more').count()).toBe(0);
    await gotIt(a.page).click();
    await expect.poll(() => banner(a.page).count(), poll).toBe(0);
    await a.page.reload();
    await a.page.locator('.app[data-connection="connected"]').waitFor(afterReload);
    await a.page.locator(`.msg-announcement[data-seq="${second}"]`).waitFor({ timeout: 15_000 });
    expect(await banner(a.page).count()).toBe(0);

    for (const p of [a, b]) {
      expect(p.errors).toEqual([]);
      expect(p.cspViolations).toEqual([]);
    }
  }, 120_000);

  it('looks right in the dark theme and in a 1C form field', async () => {
    // Someone new, so nothing the first test left pending is pinned for her (she joined after it).
    const olga = await hub.addUser('olga', 'Ольга Смирнова', { branch: 'Склад' });
    const hello = await http(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      json: { to: '@olga', text: 'Проверка связи' },
    });
    expect(hello.status, hello.text).toBe(201);
    const announcement = await announce(adminToken, 'all', {
      text: 'Коллеги, 1 апреля с 20:00 до 22:00 сервер 1С будет недоступен: обновление конфигурации. Сохраните документы заранее. Подробности: https://portal.example.local/news/42',
    });
    await announce(bot.token, 'Склад', { text: 'Плановая проверка резервного копирования в 23:00.' });

    const dark = await open({ colorScheme: 'dark' });
    await signIn(dark.page, hub.url, olga.login, olga.password);
    await expect.poll(() => bannerSeq(dark.page), poll).toBe(announcement);
    await dark.page.mouse.move(0, 0);
    await screenshot(dark.page, 'dark-15-announcement');

    const compact = await open({ width: 400, height: 620 });
    await compact.page.goto(`${hub.url}/?compact=1`);
    await compact.page.locator('input[name="login"]').fill(olga.login);
    await compact.page.locator('input[name="password"]').fill(olga.password);
    await compact.page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => bannerSeq(compact.page), poll).toBe(announcement);
    // The banner leaves room for the messages and the composer.
    const box = (await banner(compact.page).boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(620 / 2);
    await compact.page.getByRole('textbox', { name: 'Текст сообщения' }).waitFor();
    await screenshot(compact.page, 'light-17-announcement-compact');

    const english = await open({ locale: 'en-US' });
    await english.page.goto(hub.url);
    await english.page.locator('input[name="login"]').fill(olga.login);
    await english.page.locator('input[name="password"]').fill(olga.password);
    await english.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => bannerSeq(english.page), poll).toBe(announcement);
    expect(await banner(english.page).getByRole('button', { name: 'Got it' }).count()).toBe(1);
    expect(await banner(english.page).locator('.banner-more').textContent()).toBe('1 more');

    // Reloaded in another room, where the announcement's sender has written nothing: still named.
    await conversationItem(english.page, 'Склад').click();
    await english.page.reload();
    await english.page.locator('.app[data-connection="connected"]').waitFor(afterReload);
    await expect.poll(() => english.page.locator('.conv-header h1').textContent(), poll).toBe('Склад');
    await expect.poll(() => bannerSeq(english.page), poll).toBe(announcement);
    await expect.poll(() => banner(english.page).locator('.banner-author').textContent(), poll).toBe(adminName);

    for (const p of [dark, compact, english]) {
      expect(p.errors).toEqual([]);
      expect(p.cspViolations).toEqual([]);
    }
  }, 90_000);
});
