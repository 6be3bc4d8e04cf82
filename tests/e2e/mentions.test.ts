// Mentions by name through a real hub in Chromium (issue 14): «федорова» finds Анна Фёдорова in
// the @-list, the box shows her name, the hub gets @fedorova and both screens show the name chip;
// editing brings the name back; @all is offered only to those the hub lets notify everyone;
// mentioning someone who is not in the room asks to invite them (or says they will not see it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import type { Conversation, Member, Message } from '../../common/protocol/model.ts';
import { conversationItem, launchBrowser, messagesWithText, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };
// The message box, in edit mode too (where its name says so).
const box = (page: Page) => page.locator('.composer textarea');
const options = (page: Page) => page.locator('#mention-list [role="option"]');

describe('mentions by name', () => {
  let hub: TestHub;
  let browser: Browser;
  let a: WatchedPage;
  let b: WatchedPage;
  let ivan: { id: number; login: string; password: string };
  let anna: { id: number; login: string; password: string };
  let olga: { id: number; login: string; password: string };
  let ivanSocket: TestSocket;
  let storeId = 0;

  beforeAll(async () => {
    hub = await startHub();
    ivan = await hub.addUser('ivan', 'Иван Петров');
    anna = await hub.addUser('fedorova', 'Анна Фёдорова');
    olga = await hub.addUser('olga', 'Ольга Смирнова');
    browser = await launchBrowser();
    a = await openPage(browser);
    b = await openPage(browser);
    await signIn(a.page, hub.url, ivan.login, ivan.password);
    await signIn(b.page, hub.url, anna.login, anna.password);
    ivanSocket = await TestSocket.open(hub.wsUrl, (await hub.login(ivan.login, ivan.password)).token);
  }, 120_000);

  afterAll(async () => {
    ivanSocket?.close();
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('finds Фёдорова by «федорова», shows her name in the box and sends @fedorova, a chip on both screens', async () => {
    await box(a.page).click();
    await box(a.page).pressSequentially('Привет, @федорова');
    await expect.poll(() => options(a.page).first().textContent(), poll).toContain('Анна Фёдорова');
    await screenshot(a.page, 'mentions-autocomplete');
    await box(a.page).press('Enter');
    expect(await box(a.page).inputValue()).toBe('Привет, @Анна Фёдорова ');
    // The name is highlighted behind the text (the overlay's mark over exactly the name).
    expect(await a.page.locator('.composer-overlay mark').textContent()).toBe('@Анна Фёдорова');
    await box(a.page).pressSequentially('как дела?');
    await screenshot(a.page, 'mentions-composer-token');
    await a.page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(a.page, 'mentions-composer-token-dark');
    await a.page.emulateMedia({ colorScheme: 'light' });
    await box(a.page).press('Enter');

    // Анна: a mention of her (marked row), the chip with her name and her login in the hint.
    const row = messagesWithText(b.page, 'как дела?');
    await expect.poll(() => row.count(), poll).toBe(1);
    const chip = row.locator('.mention-chip');
    expect(await chip.textContent()).toBe('@Анна Фёдорова');
    expect(await chip.getAttribute('title')).toBe('@fedorova');
    expect(await row.getAttribute('class')).toContain('mentions-me');
    expect(await row.locator('.msg-text').textContent()).toBe('Привет, @Анна Фёдорова как дела?');
    await screenshot(b.page, 'mentions-chip-received');
    // Иван sees the same chip on his own message.
    const mine = messagesWithText(a.page, 'как дела?');
    await expect.poll(() => mine.locator('.mention-chip').textContent(), poll).toBe('@Анна Фёдорова');
    await screenshot(a.page, 'mentions-chip-sent');
    await b.page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(b.page, 'mentions-chip-received-dark');
    await b.page.emulateMedia({ colorScheme: 'light' });
    expect(await box(a.page).inputValue()).toBe('');
    // On the wire and in the hub: the login, and she is the one mentioned.
    const hello = ivanSocket.frames.find((f) => f.type === 'hello') as { conversations: Conversation[] } | undefined;
    const general = hello!.conversations.find((c) => c.kind === 'general')!;
    const { messages } = await ivanSocket.request<{ messages: Message[] }>('history', {
      conversationId: general.id,
      limit: 10,
    });
    const sent = messages.find((m) => m.text.includes('как дела?'))!;
    expect(sent.text).toBe('Привет, @fedorova как дела?');
    expect(sent.mentions).toEqual([anna.id]);
  }, 90_000);

  it('edits an old message with the names shown again, and the hub still gets the login', async () => {
    await box(a.page).press('ArrowUp');
    await expect.poll(() => a.page.locator('.composer.editing').count(), poll).toBe(1);
    expect(await box(a.page).inputValue()).toBe('Привет, @Анна Фёдорова как дела?');
    await box(a.page).press('End');
    await box(a.page).pressSequentially(' Жду');
    await box(a.page).press('Enter');
    const row = messagesWithText(b.page, 'как дела? Жду');
    await expect.poll(() => row.count(), poll).toBe(1);
    expect(await row.locator('.mention-chip').getAttribute('title')).toBe('@fedorova');
  }, 60_000);

  it('takes a chosen name back out with Ctrl+Z (the box keeps its own undo)', async () => {
    await box(a.page).pressSequentially('Вопрос @федор');
    await expect.poll(() => options(a.page).count(), poll).toBeGreaterThan(0);
    await box(a.page).press('Enter');
    expect(await box(a.page).inputValue()).toBe('Вопрос @Анна Фёдорова ');
    await box(a.page).press('Control+z');
    await expect.poll(() => box(a.page).inputValue(), poll).toBe('Вопрос @федор');
    expect(await a.page.locator('.composer-overlay mark').count()).toBe(0);
    await box(a.page).press('Control+Shift+z');
    await expect.poll(() => box(a.page).inputValue(), poll).toBe('Вопрос @Анна Фёдорова ');
    // Redone, it is her name again, not its letters.
    expect(await a.page.locator('.composer-overlay mark').textContent()).toBe('@Анна Фёдорова');
    await box(a.page).fill('');
  }, 60_000);

  it('breaks a name typed into into plain text (no mention is sent)', async () => {
    await box(a.page).pressSequentially('@федор');
    await expect.poll(() => options(a.page).count(), poll).toBeGreaterThan(0);
    await box(a.page).press('Enter');
    // "@Анна Фёдорова |": back over the space and into the name, then a letter.
    for (let i = 0; i < 4; i++) await box(a.page).press('ArrowLeft');
    await box(a.page).press('x');
    expect(await a.page.locator('.composer-overlay mark').count()).toBe(0);
    await box(a.page).press('End');
    await box(a.page).pressSequentially(' сломано');
    await box(a.page).press('Enter');
    const row = messagesWithText(b.page, 'сломано');
    await expect.poll(() => row.count(), poll).toBe(1);
    // No mention went out: no chip, not marked as a mention of her ("@Анна" is only a word).
    expect(await row.locator('.mention-chip').count()).toBe(0);
    expect(await row.getAttribute('class')).not.toContain('mentions-me');
    expect(await row.locator('.msg-text').textContent()).toBe('@Анна Фёдорxова  сломано');
  }, 60_000);

  it('offers @all to a room owner only, never to a plain member of the general room', async () => {
    await box(a.page).pressSequentially('@');
    await expect.poll(() => options(a.page).count(), poll).toBeGreaterThan(0);
    expect(await a.page.locator('#mention-all').count()).toBe(0);
    await box(a.page).press('Escape');
    await box(a.page).fill('');

    const created = await ivanSocket.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Склад',
      kind: 'open',
      members: [anna.id],
    });
    storeId = created.conversation.id;
    await conversationItem(a.page, 'Склад').click();
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toContain('Склад');
    await box(a.page).pressSequentially('@');
    await expect.poll(() => a.page.locator('#mention-all').count(), poll).toBe(1);
    await box(a.page).press('Escape');
    await box(a.page).fill('');
  }, 60_000);

  it('offers people who can be added after the members and asks to invite them on sending', async () => {
    await box(a.page).pressSequentially('@смир');
    const olgaOption = a.page.locator('#mention-olga');
    await expect.poll(() => olgaOption.count(), poll).toBe(1);
    expect(await olgaOption.textContent()).toContain('не в комнате');
    await box(a.page).press('Enter');
    await box(a.page).pressSequentially('зайди на склад');
    await box(a.page).press('Enter');
    const dialog = a.page.getByRole('dialog', { name: 'Пригласить в комнату?' });
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.textContent()).toContain('Ольга Смирнова не в этой комнате. Пригласить?');
    await screenshot(a.page, 'mentions-invite-prompt');
    await dialog.getByRole('button', { name: 'Пригласить' }).click();

    await conversationItem(b.page, 'Склад').click();
    const row = messagesWithText(b.page, 'зайди на склад');
    await expect.poll(() => row.count(), poll).toBe(1);
    expect(await row.locator('.mention-chip').textContent()).toBe('@Ольга Смирнова');
    const { members } = await ivanSocket.request<{ members: Member[] }>('rooms.members', { conversationId: storeId });
    expect(members.map((m) => m.userId)).toContain(olga.id);
    // The invitation's system line is there too.
    await expect.poll(() => a.page.locator('.msg-system', { hasText: 'Ольга Смирнова' }).count(), poll).toBe(1);
  }, 60_000);

  it('says a mentioned person will not see it where the user may not invite', async () => {
    const annaSocket = await TestSocket.open(hub.wsUrl, (await hub.login(anna.login, anna.password)).token);
    try {
      await annaSocket.request('rooms.create', { name: 'Бухгалтерия', kind: 'closed', members: [ivan.id] });
    } finally {
      annaSocket.close();
    }
    await conversationItem(a.page, 'Бухгалтерия').click();
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toContain('Бухгалтерия');
    // Ольга cannot be added here by Иван: she is not offered.
    await box(a.page).pressSequentially('@смир');
    await expect.poll(() => options(a.page).count(), poll).toBe(0);
    await box(a.page).pressSequentially('нова? @olga отчёт');
    await box(a.page).press('Enter');
    const dialog = a.page.getByRole('dialog', { name: 'Упомянутые не увидят сообщение' });
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.textContent()).toContain('Ольга Смирнова не в этой комнате и не увидит это сообщение.');
    expect(await dialog.getByRole('button', { name: 'Пригласить' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    // Cancelled: nothing sent, the text still in the box.
    expect(await box(a.page).inputValue()).toBe('@смирнова? @olga отчёт');
    await box(a.page).press('Enter');
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Всё равно отправить' }).click();
    await expect.poll(() => messagesWithText(b.page, 'отчёт').count(), poll).toBe(0);
    await conversationItem(b.page, 'Бухгалтерия').click();
    await expect.poll(() => messagesWithText(b.page, 'отчёт').count(), poll).toBe(1);
  }, 60_000);

  it('shows @login written by another client as the name chip, also of someone the page did not know', async () => {
    const annaSocket = await TestSocket.open(hub.wsUrl, (await hub.login(anna.login, anna.password)).token);
    try {
      const room = await annaSocket.request<{ conversation: { id: number } }>('rooms.create', {
        name: 'Снабжение',
        kind: 'closed',
        members: [ivan.id],
      });
      // Иван is away from the general room (whose member list would tell his page about a
      // newcomer) when Пётр joins the hub: his page meets Пётр only in the message.
      await conversationItem(a.page, 'Снабжение').click();
      await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toContain('Снабжение');
      await hub.addUser('petr', 'Пётр Сидоров');
      await annaSocket.request('send', {
        conversationId: room.conversation.id,
        clientId: 'mention-old-1xxxxxxx',
        text: '@ivan и @petr, счёт от @fedorova. @nobody',
      });
    } finally {
      annaSocket.close();
    }
    const row = messagesWithText(a.page, 'счёт от');
    await expect
      .poll(() => row.locator('.mention-chip').allTextContents(), poll)
      .toEqual(['@Иван Петров', '@Пётр Сидоров', '@Анна Фёдорова']);
    expect(await row.locator('.mention-chip').nth(1).getAttribute('title')).toBe('@petr');
    expect(await row.locator('.msg-text').textContent()).toBe(
      '@Иван Петров и @Пётр Сидоров, счёт от @Анна Фёдорова. @nobody',
    );
  }, 60_000);

  it('finds «Фёдорова» by «федорова» in the sidebar filter and the quick switch', async () => {
    await ivanSocket.request('direct.open', { userId: anna.id });
    await expect.poll(() => conversationItem(a.page, 'Анна Фёдорова').count(), poll).toBe(1);
    const filter = a.page
      .getByRole('searchbox', { name: 'Найти разговор' })
      .or(a.page.getByRole('textbox', { name: 'Найти разговор' }));
    await filter.fill('федорова');
    await expect
      .poll(() => a.page.locator('nav.sidebar .conv-item').allTextContents(), poll)
      .toEqual([expect.stringContaining('Анна Фёдорова')]);
    await filter.fill('');
    await box(a.page).click();
    await a.page.keyboard.press('Control+k');
    const input = a.page.getByRole('combobox', { name: 'Название разговора или имя' });
    await input.fill('ФЕДОРОВА');
    await expect
      .poll(() => a.page.locator('#switch-list [role="option"]').allTextContents(), poll)
      .toEqual([expect.stringContaining('Анна Фёдорова')]);
    await input.press('Enter');
    await expect.poll(() => a.page.locator('.conv-header h1').textContent(), poll).toContain('Анна Фёдорова');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 60_000);

  it('looks right in the compact layout (a 1C form): the chip and the @-list', async () => {
    await b.page.setViewportSize({ width: 420, height: 640 });
    await b.page.goto(`${hub.url}/?compact=1`);
    await b.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
    await b.page.keyboard.press('Control+k');
    await b.page.getByRole('combobox', { name: 'Название разговора или имя' }).fill('общий');
    await b.page.keyboard.press('Enter');
    const row = messagesWithText(b.page, 'как дела? Жду');
    await expect.poll(() => row.locator('.mention-chip').count(), poll).toBe(1);
    await box(b.page).pressSequentially('@ив');
    await expect.poll(() => options(b.page).first().textContent(), poll).toContain('Иван Петров');
    await screenshot(b.page, 'mentions-compact');
    await box(b.page).press('Enter');
    expect(await box(b.page).inputValue()).toBe('@Иван Петров ');
    await b.page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(b.page, 'mentions-compact-dark');
    expect(b.errors).toEqual([]);
  }, 60_000);
});
