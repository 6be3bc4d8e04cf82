// Profile card, read receipts and drafts in Chromium with the real hub (issue 14, S6): Мария's
// position, phone and e-mail come from a CSV directory import; Иван opens her card from a
// message, writes to her from it, sees ✓ and then ✓✓ (and nothing once she switches receipts
// off); a draft survives a reload and is marked in the sidebar. Screenshots light, dark, compact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { conversationItem, launchBrowser, messagesWithText, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };

let hub: TestHub;
let browser: Browser;
let a: WatchedPage;
let b: WatchedPage;
let maria: { id: number; login: string; password: string };
let ivan: { id: number; login: string; password: string };

beforeAll(async () => {
  hub = await startHub();
  ivan = await hub.addUser('ivan', 'Иван Петров');
  maria = await hub.addUser('maria', 'Мария Иванова');
  // The organisation's directory (a 1C export) gives Мария her position, branch, phone and e-mail.
  const report = (await hub.admin_('user.import', {
    csv:
      'логин;ФИО;Подразделение;Должность;Телефон;Почта\n' +
      'maria;Мария Иванова;Офис Екатеринбург;Главный бухгалтер;+7 (343) 210-55-01 доб. 12;maria@example.ru\n',
  })) as { ok: boolean };
  expect(report.ok).toBe(true);
  browser = await launchBrowser();
  a = await openPage(browser);
  b = await openPage(browser);
  await signIn(b.page, hub.url, maria.login, maria.password);
  await signIn(a.page, hub.url, ivan.login, ivan.password);
  // Мария's app reported Moscow after hello; she is in Yekaterinburg (another device said so).
  const { token } = await hub.login(maria.login, maria.password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  await socket.request('settings.set', { timeZone: 'Asia/Yekaterinburg' });
  const sent = await socket.request<{ message: Message }>('send', {
    conversationId: socket.hello.conversations.find((c) => c.kind === 'general')!.id,
    clientId: 'profile-card-hello-1',
    text: 'Коллеги, акты сверки до пятницы',
  });
  expect(sent.message.seq).toBeGreaterThan(0);
  socket.close();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
});

const card = (page: Page) => page.getByRole('dialog', { name: 'Профиль' });
const box = (page: Page) => page.getByRole('textbox', { name: 'Текст сообщения' });

describe('profile card', () => {
  it('opens from a name in a message with the directory fields, local time and «Написать»', async () => {
    const row = messagesWithText(a.page, 'акты сверки');
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: /^Профиль: Мария Иванова/ }).click();
    const dialog = card(a.page);
    await dialog.waitFor();
    await expect.poll(() => dialog.textContent(), poll).toContain('Главный бухгалтер');
    const text = (await dialog.textContent()) ?? '';
    for (const part of ['Мария Иванова', '@maria', 'Офис Екатеринбург', 'Должность', 'Телефон', 'Почта'])
      expect(text).toContain(part);
    expect(await dialog.getByRole('link', { name: /210-55-01/ }).getAttribute('href')).toBe('tel:+73432105501');
    expect(await dialog.getByRole('link', { name: 'maria@example.ru' }).getAttribute('href')).toBe(
      'mailto:maria@example.ru',
    );
    // Yekaterinburg is two hours ahead of the page's Moscow.
    const local = await dialog.locator('[data-local-time]').textContent();
    expect(local).toMatch(/^\d{2}:\d{2} \(Екатеринбург\) · на 2 ч больше, чем у вас$/);
    expect(text).toMatch(/в сети|не в сети|был/);
    await screenshot(a.page, 's6-profile-card-light');
    await dialog.getByRole('button', { name: 'Написать' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toContain('Мария Иванова');
  }, 60_000);

  it('opens from the avatar too, and Esc closes it', async () => {
    await conversationItem(a.page, 'Общий').click();
    const row = messagesWithText(a.page, 'акты сверки');
    await row.locator('.msg-gutter .profile-button').click();
    await card(a.page).waitFor();
    await a.page.keyboard.press('Escape');
    await card(a.page).waitFor({ state: 'detached' });
    // And from the members panel: a member opens the card (Написать is there).
    await a.page.getByRole('button', { name: /^Участники/ }).click();
    await a.page
      .locator('.members-panel')
      .getByRole('button', { name: /^Профиль: Мария Иванова/ })
      .click();
    await expect.poll(() => card(a.page).textContent(), poll).toContain('Главный бухгалтер');
    await a.page.keyboard.press('Escape');
    await card(a.page).waitFor({ state: 'detached' });
    await a.page.getByRole('button', { name: 'Закрыть список участников' }).click();
  }, 30_000);
});

describe('read receipts', () => {
  it('✓ once her app has it, ✓✓ once she has read it', async () => {
    await conversationItem(a.page, 'Мария Иванова').click();
    await box(a.page).fill('Мария, посмотрите счёт №17');
    await box(a.page).press('Enter');
    const mine = messagesWithText(a.page, 'счёт №17');
    await expect.poll(() => mine.getByRole('img', { name: 'Доставлено' }).count(), poll).toBe(1);
    await screenshot(a.page, 's6-receipt-delivered');
    await conversationItem(b.page, 'Иван Петров').click();
    await messagesWithText(b.page, 'счёт №17').waitFor({ timeout: 20_000 });
    await expect.poll(() => mine.getByRole('img', { name: 'Прочитано' }).count(), poll).toBe(1);
    expect(await mine.getByRole('img', { name: 'Доставлено' }).count()).toBe(0);
    // Her own messages never carry marks on her screen for messages she received.
    expect(await messagesWithText(b.page, 'счёт №17').locator('.msg-receipt').count()).toBe(0);
    await screenshot(a.page, 's6-receipt-read');
  }, 60_000);

  it('she switches them off in her menu: Иван sees no marks, and she sees none on hers', async () => {
    await b.page.getByRole('button', { name: /^Мой статус и настройки/ }).click();
    const item = b.page.getByRole('menuitemcheckbox', { name: 'Отчёты о прочтении' });
    expect(await item.getAttribute('aria-checked')).toBe('true');
    await screenshot(b.page, 's6-receipts-menu');
    await item.click();
    const mine = messagesWithText(a.page, 'счёт №17');
    await expect.poll(() => mine.locator('.msg-receipt').count(), poll).toBe(0);
    await box(b.page).fill('Ответ без отметок');
    await box(b.page).press('Enter');
    await messagesWithText(a.page, 'Ответ без отметок').waitFor({ timeout: 20_000 });
    await box(a.page).fill('Второе сообщение');
    await box(a.page).press('Enter');
    await messagesWithText(b.page, 'Второе сообщение').waitFor({ timeout: 20_000 });
    // Read on her screen, yet nothing on his; and nothing on hers for her own message he has read.
    await b.page.getByRole('button', { name: /^Мой статус и настройки/ }).click();
    expect(
      await b.page.getByRole('menuitemcheckbox', { name: 'Отчёты о прочтении' }).getAttribute('aria-checked'),
    ).toBe('false');
    await b.page.keyboard.press('Escape');
    await b.page.getByRole('menu', { name: 'Мой статус и настройки' }).waitFor({ state: 'detached' });
    expect(await a.page.locator('.msg-receipt').count()).toBe(0);
    expect(await b.page.locator('.msg-receipt').count()).toBe(0);
  }, 60_000);
});

describe('drafts', () => {
  it('survive a reload and show in the sidebar as «Черновик:»', async () => {
    await conversationItem(a.page, 'Общий').click();
    await box(a.page).fill('Недописанное сообщение про отгрузку');
    await conversationItem(a.page, 'Мария Иванова').click();
    const general = conversationItem(a.page, 'Общий');
    await expect
      .poll(() => general.locator('.conv-draft').textContent(), poll)
      .toBe('Черновик: Недописанное сообщение про отгрузку');
    expect(await general.getAttribute('aria-label')).toContain('черновик: Недописанное сообщение про отгрузку');
    await screenshot(a.page, 's6-draft-sidebar-light');
    await a.page.reload();
    await a.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => general.locator('.conv-draft').count(), poll).toBe(1);
    await general.click();
    await expect.poll(() => box(a.page).inputValue(), poll).toBe('Недописанное сообщение про отгрузку');
    // Sent: the draft is gone, in the sidebar and after another reload.
    await box(a.page).press('Enter');
    await conversationItem(a.page, 'Мария Иванова').click();
    await expect.poll(() => general.locator('.conv-draft').count(), poll).toBe(0);
    await a.page.reload();
    await a.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await general.click();
    expect(await box(a.page).inputValue()).toBe('');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 60_000);
});

describe('screens', () => {
  it('dark and compact', async () => {
    // Мария switches receipts back on: her read marker shows again (✓✓ on what she has read).
    await b.page.getByRole('button', { name: /^Мой статус и настройки/ }).click();
    await b.page.getByRole('menuitemcheckbox', { name: 'Отчёты о прочтении' }).click();
    const dark = await openPage(browser, { colorScheme: 'dark' });
    const pw = ivan.password;
    await signIn(dark.page, hub.url, ivan.login, pw);
    await conversationItem(dark.page, 'Мария Иванова').click();
    await box(dark.page).fill('черновик в тёмной теме');
    await conversationItem(dark.page, 'Общий').click();
    await conversationItem(dark.page, 'Мария Иванова').locator('.conv-draft').waitFor();
    await messagesWithText(dark.page, 'акты сверки')
      .getByRole('button', { name: /^Профиль/ })
      .click();
    await card(dark.page).waitFor();
    await expect.poll(() => card(dark.page).textContent(), poll).toContain('Главный бухгалтер');
    await screenshot(dark.page, 's6-profile-card-dark');
    await dark.page.keyboard.press('Escape');
    await conversationItem(dark.page, 'Мария Иванова').click();
    await expect
      .poll(() => messagesWithText(dark.page, 'Второе сообщение').getByRole('img', { name: 'Прочитано' }).count(), poll)
      .toBe(1);
    await conversationItem(dark.page, 'Общий').click();
    await screenshot(dark.page, 's6-draft-sidebar-dark');
    await conversationItem(dark.page, 'Мария Иванова').click();
    await screenshot(dark.page, 's6-receipts-dark');

    const compact = await openPage(browser, { width: 420, height: 640 });
    await signIn(compact.page, hub.url, ivan.login, pw);
    await compact.page.goto(`${hub.url}/?compact=1`);
    await compact.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 20_000 });
    const row = messagesWithText(compact.page, 'акты сверки');
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: /^Профиль/ }).click();
    await card(compact.page).waitFor();
    await expect.poll(() => card(compact.page).textContent(), poll).toContain('Главный бухгалтер');
    await screenshot(compact.page, 's6-profile-card-compact');
  }, 90_000);
});
