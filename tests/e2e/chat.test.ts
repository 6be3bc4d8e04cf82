// Two people in two browser contexts against a real hub: the scenario of the issue, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import type { Message } from '../../common/protocol/model.ts';
import { conversationItem, launchBrowser, messagesWithText, openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };

describe('web client: two people chatting', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivan: { id: number; login: string; password: string };
  let maria: { id: number; login: string; password: string };
  let a: WatchedPage;
  let b: WatchedPage;

  beforeAll(async () => {
    hub = await startHub();
    ivan = await hub.addUser('ivan', 'Иван Петров');
    maria = await hub.addUser('maria', 'Мария Иванова');
    browser = await launchBrowser();
    a = await openPage(browser);
    b = await openPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('explains a failed sign-in, then signs both in', async () => {
    await a.page.goto(hub.url);
    await expect.poll(() => a.page.locator('input[name="hub"]').inputValue()).toBe(hub.url);
    await a.page.locator('input[name="login"]').fill('ivan');
    await a.page.locator('input[name="password"]').fill('wrong password');
    await a.page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => a.page.getByRole('alert').textContent(), poll).toContain('Неверный логин или пароль');

    await signIn(a.page, hub.url, ivan.login, ivan.password);
    await signIn(b.page, hub.url, maria.login, maria.password);
    // The general room comes first and opens by itself.
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toBeTruthy();
    const general = await a.page.locator('nav.sidebar .conv-item').first().getAttribute('aria-current');
    expect(general).toBe('page');
  }, 60_000);

  it('exchanges messages in the general room', async () => {
    await a.page
      .getByRole('textbox', { name: 'Текст сообщения' })
      .fill('Привет, Мария! Смотри https://example.com/doc.');
    await a.page.keyboard.press('Enter');
    await expect.poll(() => messagesWithText(b.page, 'Привет, Мария!').count(), poll).toBe(1);
    const link = messagesWithText(b.page, 'Привет, Мария!').locator('a');
    expect(await link.getAttribute('href')).toBe('https://example.com/doc');

    const box = b.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('Привет, Иван!');
    await box.press('Shift+Enter');
    await box.pressSequentially('Вторая строка');
    await box.press('Enter');
    await expect.poll(() => messagesWithText(a.page, 'Вторая строка').count(), poll).toBe(1);
    expect(await messagesWithText(a.page, 'Вторая строка').locator('.msg-text').textContent()).toBe(
      'Привет, Иван!\nВторая строка',
    );
    expect(await box.inputValue()).toBe('');
  }, 60_000);

  it('shows markup in a message as text and runs none of it', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const box = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill(evil);
    await box.press('Enter');
    await expect.poll(() => messagesWithText(b.page, evil).count(), poll).toBe(1);
    const row = messagesWithText(b.page, evil);
    expect(await row.locator('.msg-text').textContent()).toBe(evil);
    expect(await row.locator('img').count()).toBe(0);
    expect(await b.page.locator('.msg-text img, .msg-text script').count()).toBe(0);
    await b.page.waitForTimeout(300);
    expect(a.dialogs).toEqual([]);
    expect(b.dialogs).toEqual([]);
  }, 60_000);

  it('creates a closed room and invites the other person', async () => {
    await a.page.getByRole('button', { name: 'Создать комнату' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Новая комната' });
    await dialog.waitFor();
    await dialog.getByLabel('Название').fill('Бухгалтерия');
    await dialog.getByLabel('Закрытая — только приглашённые').check();
    await dialog.getByRole('searchbox', { name: 'Найти сотрудника' }).fill('Мария');
    await dialog.getByRole('button', { name: 'Добавить Мария Иванова' }).click();
    await expect.poll(() => dialog.locator('.chip').textContent()).toContain('Мария Иванова');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toContain('Бухгалтерия');

    // Maria sees the room appear, marked closed, and can open it.
    const room = conversationItem(b.page, 'Бухгалтерия');
    await room.waitFor({ timeout: 15_000 });
    expect(await room.getByRole('img', { name: 'Закрытая комната' }).count()).toBe(1);
    await room.click();
    await expect
      .poll(() => b.page.locator('.msg-system').first().textContent(), poll)
      .toContain('Иван Петров создал комнату «Бухгалтерия»');
    await expect
      .poll(() => b.page.locator('.msg-system').nth(1).textContent(), poll)
      .toContain('Иван Петров пригласил: Мария Иванова');
  }, 60_000);

  it('raises the unread badge of a direct conversation and clears it when opened', async () => {
    await a.page.getByRole('button', { name: 'Написать сотруднику' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Написать сотруднику' });
    await dialog.getByRole('searchbox').fill('Мария');
    await dialog.getByRole('button', { name: 'Написать Мария Иванова' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toContain('Мария Иванова');
    const box = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('Мария, глянь заявку №4512');
    await box.press('Enter');
    await box.fill('И ещё одну — №4513');
    await box.press('Enter');

    const direct = conversationItem(b.page, 'Иван Петров');
    await direct.waitFor({ timeout: 15_000 });
    await expect.poll(() => direct.locator('.badge').getAttribute('data-unread'), poll).toBe('2');
    await expect.poll(() => b.page.locator('.total-unread').getAttribute('data-total-unread'), poll).toBe('2');
    expect(await b.page.title()).toBe('(2) Беседа');

    await direct.click();
    await expect.poll(() => messagesWithText(b.page, '№4513').count(), poll).toBe(1);
    await expect.poll(() => direct.locator('.badge').count(), poll).toBe(0);
    await expect.poll(() => b.page.title(), poll).toBe('Беседа');
    await expect.poll(() => b.page.locator('#unread-divider').count(), poll).toBe(1);
  }, 60_000);

  it('changes the presence dot when the other person signs out', async () => {
    const dot = conversationItem(a.page, 'Мария Иванова').locator('[data-presence]');
    await expect.poll(() => dot.getAttribute('data-presence'), poll).toBe('online');
    await b.page.getByRole('button', { name: /Мой статус и настройки/ }).click();
    await b.page.getByRole('menuitem', { name: 'Выйти' }).click();
    await b.page.locator('input[name="login"]').waitFor();
    await expect.poll(() => dot.getAttribute('data-presence'), { timeout: 30_000, interval: 200 }).toBe('offline');
    // Signed back in, she is online again.
    await signIn(b.page, hub.url, maria.login, maria.password);
    await expect.poll(() => dot.getAttribute('data-presence'), poll).toBe('online');
  }, 90_000);

  it('keeps a message typed while the hub is down and delivers it exactly once', async () => {
    await conversationItem(b.page, 'Иван Петров').click();
    await hub.stop();
    await expect.poll(() => a.page.locator('.connection-banner').count(), poll).toBe(1);
    expect(await a.page.locator('.connection-banner').textContent()).toContain(
      'Нет связи с сервером — сообщения отправятся при подключении',
    );

    const text = 'Отправлено без связи';
    const box = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill(text);
    await box.press('Enter');
    const mine = messagesWithText(a.page, text);
    await expect.poll(() => mine.getAttribute('data-status'), poll).toBe('pending');
    expect(await mine.getByRole('img', { name: 'Отправляется' }).count()).toBe(1);

    await hub.restart();
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 45_000, interval: 200 }).toBe('sent');
    await expect.poll(() => a.page.locator('.connection-banner').count(), { timeout: 45_000 }).toBe(0);
    await expect.poll(() => messagesWithText(b.page, text).count(), { timeout: 45_000, interval: 200 }).toBe(1);
    await a.page.waitForTimeout(1000);
    expect(await messagesWithText(a.page, text).count()).toBe(1);
    expect(await messagesWithText(b.page, text).count()).toBe(1);

    // And the hub stored it once.
    const { token } = await hub.login(maria.login, maria.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    try {
      const direct = socket.hello.conversations.find((c) => c.kind === 'direct')!;
      const history = await socket.request<{ messages: Message[] }>('history', {
        conversationId: direct.id,
        limit: 50,
      });
      expect(history.messages.filter((m) => m.text === text)).toHaveLength(1);
    } finally {
      socket.close();
    }
  }, 120_000);

  it('ran without page errors, CSP violations or dialogs', () => {
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    expect(a.cspViolations).toEqual([]);
    expect(b.cspViolations).toEqual([]);
    expect([...a.dialogs, ...b.dialogs]).toEqual([]);
  });
});
