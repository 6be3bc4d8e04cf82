// Message search in Chromium with the real hub (issue 14): Ctrl+Shift+F searches everywhere, «акт»
// finds «акты» and «актов» (the words marked), «федорова» finds «Фёдорова»; clicking a result 500
// messages back opens the conversation there (a window around it) and highlights it; filters (this
// conversation by Ctrl+F, from a person, with files, a date range) and «Ничего не найдено»; the
// keyboard (arrows, Enter, Esc). Screenshots in light, dark and compact go to a temp folder.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { conversationItem, launchBrowser, openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { pdfBytes, uploadFile } from './sampleFiles.ts';

const poll = { timeout: 30_000, interval: 100 };
const shots = process.env.BESEDA_SHOTS ?? path.join(os.tmpdir(), 'beseda-search');
/** Messages after the target: it is far above the newest page the conversation opens with. */
const filler = 500;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), animations: 'allow' });
}

const row = (page: Page, seq: number) => page.locator(`[data-message-row][data-seq="${seq}"]`);
/** Whether a message row is inside the visible part of the message list. */
const inView = (page: Page, seq: number) =>
  row(page, seq).evaluate((el) => {
    const list = el.closest('.messages')!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return box.bottom > list.top && box.top < list.bottom;
  });
const panel = (page: Page) => page.locator('aside.search-panel');
const box = (page: Page) => page.getByRole('combobox', { name: 'Найти в сообщениях' });
const results = (page: Page) => panel(page).locator('.search-result');
/** The seqs of the results shown, in order. */
const resultSeqs = (page: Page) =>
  results(page).evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.seq)));
/** The words marked in the results, in order. */
const marks = (page: Page) => panel(page).locator('.search-snippet mark').allTextContents();

let clientIds = 0;
const cid = () => `e${++clientIds}-${'x'.repeat(10)}`;

describe('message search in the web client', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivanPage: WatchedPage;
  let dark: WatchedPage;
  let compact: WatchedPage;
  let english: WatchedPage;
  let a: Page;
  let ivan = { id: 0, login: '', password: '' };
  const seq = { old: 0, shipping: 0, file: 0, petr: 0, invoice: 0, last: 0 };
  /** «акт» everywhere, as shown: Бухгалтерия's hits newest first, then the general room's. */
  const everywhere = () => [seq.petr, seq.shipping, seq.old, seq.file];
  let accounting = 0;
  let general = 0;

  beforeAll(async () => {
    hub = await startHub({
      args: [
        '--send-per-second',
        '2000',
        '--send-burst',
        '2000',
        '--frames-per-second',
        '5000',
        '--frames-burst',
        '5000',
      ],
    });
    ivan = await hub.addUser('ivan', 'Иван Петров');
    const maria = await hub.addUser('maria', 'Мария Фёдорова');
    const petr = await hub.addUser('petr', 'Пётр Сидоров');
    const socketOf = async (u: { login: string; password: string }) => {
      const { token } = await hub.login(u.login, u.password);
      return { socket: await TestSocket.open(hub.wsUrl, token), token };
    };
    const m = await socketOf(maria);
    const p = await socketOf(petr);
    const post = async (s: TestSocket, conversationId: number, text: string, extra: Record<string, unknown> = {}) =>
      (await s.request<{ message: Message }>('send', { conversationId, clientId: cid(), text, ...extra })).message;
    accounting = (
      await m.socket.request<{ conversation: { id: number } }>('rooms.create', {
        name: 'Бухгалтерия',
        kind: 'open',
        members: [ivan.id, petr.id],
      })
    ).conversation.id;
    general = (
      m.socket.frames.find((f) => f.type === 'hello') as { conversations: { id: number; kind: string }[] }
    ).conversations.find((c) => c.kind === 'general')!.id;
    seq.old = (await post(m.socket, accounting, 'Подписали акты за март, оригиналы у меня')).seq;
    for (let i = 1; i <= filler; i++) await post(m.socket, accounting, `Рабочее сообщение №${i}`);
    seq.shipping = (await post(m.socket, accounting, 'Отгрузка актов завтра в 10:00')).seq;
    const pdf = await uploadFile(hub.url, p.token, 'акт-сверки.pdf', 'application/pdf', pdfBytes);
    seq.file = (await post(p.socket, general, 'Акт сверки во вложении', { files: [pdf.id] })).seq;
    seq.petr = (await post(p.socket, accounting, 'Жду акт от поставщика')).seq;
    seq.invoice = (await post(m.socket, general, 'Счёт проверила, подпись Фёдорова')).seq;
    seq.last = (await post(m.socket, accounting, 'Последнее сообщение в бухгалтерии')).seq;
    m.socket.close();
    p.socket.close();
    // Иван has read it all: the conversation opens at the newest, the old message 500 messages up.
    const i = await socketOf(ivan);
    for (const [conversationId, last] of [
      [accounting, seq.last],
      [general, seq.invoice],
    ] as const)
      await i.socket.request('read', { conversationId, seq: last });
    i.socket.close();

    browser = await launchBrowser();
    ivanPage = await openPage(browser);
    a = ivanPage.page;
    await signIn(a, hub.url, ivan.login, ivan.password);
    await conversationItem(a, 'Бухгалтерия').click();
    await row(a, seq.last).waitFor({ timeout: 30_000 });
    // The screenshot pages sign in now, while the web client just built is certainly in place
    // (another test run may rebuild it later).
    dark = await openPage(browser, { colorScheme: 'dark' });
    await signIn(dark.page, hub.url, ivan.login, ivan.password);
    compact = await openPage(browser, { width: 420, height: 680 });
    await signInAt(compact.page, `${hub.url}/?compact=1`, 'Войти');
    english = await openPage(browser, { locale: 'en-US' });
    await signInAt(english.page, hub.url, 'Sign in');
  }, 240_000);

  async function signInAt(page: Page, address: string, button: string): Promise<void> {
    await page.goto(address);
    await page.locator('input[name="login"]').fill(ivan.login);
    await page.locator('input[name="password"]').fill(ivan.password);
    await page.getByRole('button', { name: button }).click();
    await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
  }

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('Ctrl+Shift+F searches everywhere: «акт» finds «акты», «актов», «Акт», grouped by conversation, words marked', async () => {
    await a.keyboard.press('Control+Shift+F');
    await box(a).waitFor();
    await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('role')), poll).toBe('combobox');
    expect(
      await panel(a)
        .getByRole('checkbox', { name: /Только в/ })
        .isChecked(),
    ).toBe(false);
    await box(a).fill('акт');
    // Grouped by conversation (each where its newest hit is), newest first inside a group.
    await expect.poll(() => resultSeqs(a), poll).toEqual(everywhere());
    expect(await marks(a)).toEqual(['акт', 'актов', 'акты', 'Акт']);
    expect(await panel(a).locator('.search-group-title').allTextContents()).toEqual(['Бухгалтерия', 'Общий чат']);
    const first = results(a).first();
    expect(await first.locator('.search-sender').textContent()).toBe('Пётр Сидоров');
    expect(await first.locator('.search-time').textContent()).toMatch(/Сегодня, \d{1,2}:\d{2}/);
    // Marks are elements inside a text snippet: no markup from the message.
    expect(await first.locator('.search-snippet').innerHTML()).toBe('Жду <mark>акт</mark> от поставщика');
    await shot(a, 'search-results-light');
    expect(ivanPage.errors).toEqual([]);
  });

  it('«федорова» finds «Фёдорова» (ё/е and case folded)', async () => {
    await box(a).fill('федорова');
    await expect.poll(() => resultSeqs(a), poll).toEqual([seq.invoice]);
    expect(await marks(a)).toEqual(['Фёдорова']);
    expect(await results(a).first().locator('.search-sender').textContent()).toBe('Мария Фёдорова');
  });

  it('a click on a result 500 messages back opens the conversation there and highlights it', async () => {
    await conversationItem(a, 'Общий чат').click();
    await box(a).fill('акты март');
    await expect.poll(() => resultSeqs(a), poll).toEqual([seq.old]);
    expect(await row(a, seq.old).count()).toBe(0);
    await results(a).first().click();
    await row(a, seq.old).waitFor({ timeout: 30_000 });
    await expect.poll(() => row(a, seq.old).getAttribute('class'), poll).toContain('highlight');
    await expect.poll(() => inView(a, seq.old), poll).toBe(true);
    expect(await a.locator('.conv-header h1').textContent()).toBe('Бухгалтерия');
    expect(await results(a).first().getAttribute('class')).toContain('opened');
    await shot(a, 'search-opened-old-light');
    // A newer page loads below it (the window around it held only ~25 short messages, under 1200 px),
    // and it stays in view.
    const height = () => a.locator('.messages').evaluate((el) => el.scrollHeight);
    await expect.poll(height, poll).toBeGreaterThan(2000);
    await expect.poll(() => a.locator('.loading-newer').count(), poll).toBe(0);
    expect(await inView(a, seq.old)).toBe(true);
    await expect.poll(() => row(a, seq.old).getAttribute('class'), poll).not.toContain('highlight');
  });

  it('filters: this conversation (Ctrl+F), from a person, with files, a date range; «Ничего не найдено»', async () => {
    await panel(a).getByRole('button', { name: 'Закрыть поиск' }).click();
    await panel(a).waitFor({ state: 'detached' });
    // Ctrl+F in Бухгалтерия: only its messages.
    await a.locator('.conv-header h1').click();
    await a.keyboard.press('Control+F');
    await box(a).waitFor();
    const here = panel(a).getByRole('checkbox', { name: 'Только в «Бухгалтерия»' });
    expect(await here.isChecked()).toBe(true);
    await box(a).fill('акт');
    await expect.poll(() => resultSeqs(a), poll).toEqual([seq.petr, seq.shipping, seq.old]);
    expect(await panel(a).locator('.search-group-title').allTextContents()).toEqual(['Бухгалтерия']);
    await here.uncheck();
    await expect.poll(() => resultSeqs(a), poll).toEqual(everywhere());

    // From a person, picked from the directory by a folded name.
    await panel(a).getByRole('button', { name: 'от любого' }).click();
    await panel(a).getByRole('searchbox', { name: 'Найти человека' }).fill('Сидоров');
    await panel(a)
      .getByRole('button', { name: /Сообщения от Пётр Сидоров/ })
      .click();
    await expect.poll(() => resultSeqs(a), poll).toEqual([seq.petr, seq.file]);
    expect(await panel(a).locator('.search-sender').allTextContents()).toEqual(['Пётр Сидоров', 'Пётр Сидоров']);
    await shot(a, 'search-filters-light');
    await panel(a)
      .getByRole('button', { name: /Убрать фильтр/ })
      .click();
    await expect.poll(() => resultSeqs(a), poll).toEqual(everywhere());

    await panel(a).getByRole('checkbox', { name: 'С файлами' }).check();
    await expect.poll(() => resultSeqs(a), poll).toEqual([seq.file]);
    await panel(a).getByRole('checkbox', { name: 'С файлами' }).uncheck();

    // Up to yesterday: everything here was sent today.
    // Days as the page sees them (Moscow time).
    const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(d);
    const yesterday = new Date(Date.now() - 86_400_000);
    await panel(a).locator('input[name="until"]').fill(day(yesterday));
    await panel(a).getByText('Ничего не найдено').waitFor({ timeout: 30_000 });
    expect(await results(a).count()).toBe(0);
    await shot(a, 'search-nothing-light');
    await panel(a).locator('input[name="until"]').fill('');
    await panel(a).locator('input[name="since"]').fill(day(new Date()));
    await expect.poll(() => resultSeqs(a), poll).toEqual(everywhere());
    await panel(a).getByRole('button', { name: 'Сбросить фильтры' }).click();
  });

  it('the keyboard: ↓ moves through the results, Enter opens one, Esc closes the panel', async () => {
    await box(a).focus();
    await box(a).fill('акты');
    await expect.poll(() => resultSeqs(a), poll).toEqual(everywhere());
    await expect.poll(() => panel(a).locator('#search-results').getAttribute('aria-busy'), poll).toBe('false');
    // Down to the last one shown (the general room's file message), past the group boundary.
    for (let i = 1; i <= 3; i++) {
      await box(a).press('ArrowDown');
      await expect
        .poll(() => box(a).getAttribute('aria-activedescendant'), poll)
        .toBe(await results(a).nth(i).getAttribute('id'));
    }
    expect(await results(a).nth(3).getAttribute('aria-selected')).toBe('true');
    expect(await results(a).nth(3).getAttribute('data-seq')).toBe(String(seq.file));
    await box(a).press('Enter');
    await expect.poll(() => a.locator('.conv-header h1').textContent(), poll).toBe('Общий чат');
    await row(a, seq.file).waitFor({ timeout: 30_000 });
    await expect.poll(() => row(a, seq.file).getAttribute('class'), poll).toContain('highlight');
    await box(a).press('Escape');
    await panel(a).waitFor({ state: 'detached' });
    expect(ivanPage.errors).toEqual([]);
  });

  it('pages: 20 results, «Показать ещё» adds the next 20, ↓ past the last loads more', async () => {
    await a.keyboard.press('Control+Shift+F');
    await box(a).fill('рабочее сообщение');
    await expect.poll(() => results(a).count(), poll).toBe(20);
    const firstPage = await resultSeqs(a);
    // Newest first: №500 down to №481.
    expect(await results(a).first().locator('.search-snippet').textContent()).toBe('Рабочее сообщение №500');
    await panel(a).getByRole('button', { name: 'Показать ещё' }).click();
    await expect.poll(() => results(a).count(), poll).toBe(40);
    const both = await resultSeqs(a);
    expect(both.slice(0, 20)).toEqual(firstPage);
    expect(Math.max(...both.slice(20))).toBeLessThan(Math.min(...firstPage));
    expect(await results(a).nth(39).locator('.search-snippet').textContent()).toBe('Рабочее сообщение №461');
    // The arrows reach the last one shown, which asks for the next page.
    await box(a).focus();
    for (let i = 0; i < 39; i++) await box(a).press('ArrowDown');
    await expect.poll(() => results(a).count(), poll).toBe(60);
    expect(await results(a).nth(39).getAttribute('aria-selected')).toBe('true');
    await box(a).press('Escape');
    await panel(a).waitFor({ state: 'detached' });
  });

  it('looks right in dark, compact and English (screenshots)', async () => {
    await dark.page.keyboard.press('Control+Shift+F');
    await box(dark.page).fill('акт');
    await expect.poll(() => resultSeqs(dark.page), poll).toHaveLength(4);
    await shot(dark.page, 'search-results-dark');

    await compact.page.locator('.header-search').click();
    // The header's box searches the open conversation (the general room here).
    await box(compact.page).fill('актов');
    await expect.poll(() => resultSeqs(compact.page), poll).toEqual([seq.file]);
    await shot(compact.page, 'search-results-compact');
    // In the compact layout a result closes the panel to show the conversation.
    await results(compact.page).first().click();
    await panel(compact.page).waitFor({ state: 'detached' });
    await row(compact.page, seq.file).waitFor({ timeout: 30_000 });
    await shot(compact.page, 'search-opened-compact');
    expect(dark.errors).toEqual([]);
    expect(compact.errors).toEqual([]);

    // English: the same panel in the other language.
    await english.page.keyboard.press('Control+Shift+F');
    await english.page.getByRole('combobox', { name: 'Search in messages' }).fill('федорова');
    await expect.poll(() => resultSeqs(english.page), poll).toEqual([seq.invoice]);
    expect(await panel(english.page).locator('h2').textContent()).toBe('Search messages');
    await english.page.getByRole('combobox', { name: 'Search in messages' }).fill('несуществующееслово');
    await panel(english.page).getByText('Nothing found').waitFor({ timeout: 30_000 });
    await shot(english.page, 'search-nothing-en');
    expect(english.errors).toEqual([]);
  });
});
