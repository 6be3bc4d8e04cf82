// The rest of what the web client promises, against a real hub: typing, refused messages, rooms
// (browse, join, rename, topic, transfer, remove, leave), keyboard use, language, the tab title
// and favicon, and the compact layout for a 1C form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import type { Message } from '../../common/protocol/model.ts';
import { conversationItem, launchBrowser, messagesWithText, openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };

const header = (page: Page) => page.locator('.conv-header h1');
const composer = (page: Page) => page.getByRole('textbox', { name: 'Текст сообщения' });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

describe('web client features', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivan: { id: number; login: string; password: string };
  let maria: { id: number; login: string; password: string };
  let a: WatchedPage;
  let b: WatchedPage;
  // Read at each (re)start of the hub: the refusal test lowers the limit and raises it again.
  const hubArgs = ['--max-text-bytes', '300'];

  beforeAll(async () => {
    hub = await startHub({ args: hubArgs });
    ivan = await hub.addUser('ivan', 'Иван Петров');
    maria = await hub.addUser('maria', 'Мария Иванова');
    await hub.addUser('anna', 'Анна Ким', { branch: 'Склад' });
    browser = await launchBrowser();
    a = await openPage(browser);
    b = await openPage(browser);
    await signIn(a.page, hub.url, ivan.login, ivan.password);
    await signIn(b.page, hub.url, maria.login, maria.password);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('shows who is typing', async () => {
    await send(a.page, 'Всем привет');
    await expect.poll(() => messagesWithText(b.page, 'Всем привет').count(), poll).toBe(1);
    // The hub passes on one "typing" per person and conversation every 2 s; writing the greeting
    // has just used it up.
    await a.page.waitForTimeout(2100);
    await composer(a.page).pressSequentially('Сейчас напишу');
    await expect.poll(() => b.page.locator('.typing').textContent(), poll).toBe('Иван Петров печатает…');
    await composer(a.page).press('Enter');
    await expect.poll(() => messagesWithText(b.page, 'Сейчас напишу').count(), poll).toBe(1);
    await expect.poll(() => b.page.locator('.typing').textContent(), poll).toBe('');
  }, 30_000);

  it('says why a message was refused and lets it be retried or deleted', async () => {
    // The box itself no longer sends a message over the limit (mentionsOversized.test.ts covers
    // that), so the refusal comes from the hub: two messages are written offline, fitting the 300
    // bytes the page knows, and the hub comes back with a limit of 256 that refuses them both.
    const kept = 'Отчёт по складу. '.repeat(9); // 269 bytes (the hub trims the last space)
    const dropped = 'Остатки на вечер. '.repeat(9); // 287 bytes
    await hub.stop();
    await a.page.locator('.app[data-connection="connected"]').waitFor({ state: 'detached', timeout: 30_000 });
    await send(a.page, kept);
    await send(a.page, dropped);
    expect(await composer(a.page).inputValue()).toBe('');
    const keptRow = messagesWithText(a.page, 'Отчёт по складу.');
    const droppedRow = messagesWithText(a.page, 'Остатки на вечер.');
    await expect.poll(() => a.page.locator('[data-status="pending"]').count(), poll).toBe(2);
    hubArgs[1] = '256'; // the least the hub accepts
    await hub.restart();
    for (const row of [keptRow, droppedRow]) {
      await expect.poll(() => row.getAttribute('data-status'), { ...poll, timeout: 45_000 }).toBe('failed');
      // The reason states the hub's limit, so the writer knows how much to cut.
      expect(await row.getByRole('alert').textContent()).toContain(
        'Не отправлено: сообщение длиннее предела в 256 байт',
      );
      expect(await row.getByRole('button', { name: 'Вернуть в поле ввода' }).count()).toBe(1);
    }
    await droppedRow.getByRole('button', { name: 'Удалить' }).click();
    await expect.poll(() => droppedRow.count(), poll).toBe(0);
    expect(await keptRow.getAttribute('data-status')).toBe('failed');

    // The limit goes back up: «Повторить» sends the kept one, and Maria gets it (only it).
    await hub.stop();
    hubArgs[1] = '300';
    await hub.restart();
    for (const page of [a.page, b.page])
      await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 45_000 });
    expect(await keptRow.getAttribute('data-status')).toBe('failed');
    await keptRow.getByRole('button', { name: 'Повторить' }).click();
    await expect.poll(() => keptRow.getAttribute('data-status'), poll).toBe('sent');
    await expect.poll(() => messagesWithText(b.page, 'Отчёт по складу.').count(), poll).toBe(1);
    expect(await messagesWithText(b.page, 'Остатки на вечер.').count()).toBe(0);
    expect(await droppedRow.count()).toBe(0);
  }, 120_000);

  it('creates an open room that another person finds and joins', async () => {
    await b.page.getByRole('button', { name: 'Создать комнату' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Новая комната' });
    // An empty name is refused with a clear message.
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Введите название комнаты');
    // A taken name (the hub made a room for Anna's branch "Склад") is explained next to the field.
    await dialog.getByLabel('Название', { exact: true }).fill('Склад');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), poll)
      .toBe('Комната «Склад» уже есть — выберите другое название');
    await dialog.getByLabel('Название', { exact: true }).fill('Отгрузки');
    await dialog.getByLabel('Тема (необязательно)').fill('Отгрузки и остатки');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => header(b.page).textContent(), poll).toBe('Отгрузки');

    await a.page.getByRole('button', { name: 'Обзор комнат' }).click();
    const browse = a.page.getByRole('dialog', { name: 'Обзор комнат' });
    await browse.getByRole('searchbox').fill('отгр');
    const join = browse.getByRole('button', { name: 'Войти в комнату «Отгрузки»' });
    await join.waitFor({ timeout: 15_000 });
    expect(await browse.locator('.room-result').first().textContent()).toContain('Отгрузки и остатки');
    await join.click();
    await browse.waitFor({ state: 'detached' });
    await expect.poll(() => header(a.page).textContent(), poll).toBe('Отгрузки');
    expect(await conversationItem(a.page, 'Отгрузки').getByRole('img', { name: 'Открытая комната' }).count()).toBe(1);
    await expect
      .poll(() => b.page.locator('.msg-system').last().textContent(), poll)
      .toContain('Иван Петров присоединился к комнате');
    await expect.poll(() => b.page.locator('.member-count').textContent(), poll).toBe('2');
  }, 60_000);

  it('suggests people for an @mention and highlights the mention for them', async () => {
    await composer(a.page).pressSequentially('Вопрос к @мар');
    const option = a.page.getByRole('option', { name: /Мария Иванова/ });
    await option.waitFor({ timeout: 10_000 });
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await composer(a.page).press('Enter');
    // The box shows her name; what goes to the hub is her login.
    expect(await composer(a.page).inputValue()).toBe('Вопрос к @Мария Иванова ');
    await composer(a.page).pressSequentially('посмотри остатки');
    await composer(a.page).press('Enter');
    const row = messagesWithText(b.page, 'посмотри остатки');
    await expect.poll(() => row.count(), poll).toBe(1);
    expect(await row.getAttribute('class')).toContain('mentions-me');
    // Maria sees her mention marked: a chip with her name, her login in the hint.
    const chip = row.locator('.mention-me');
    expect(await chip.textContent()).toBe('@Мария Иванова');
    expect(await chip.getAttribute('title')).toBe('@maria');
    // Ivan sees the chip on his own message, not marked as his.
    const mine = messagesWithText(a.page, 'посмотри остатки');
    await expect.poll(() => mine.locator('.mention-chip').textContent(), poll).toBe('@Мария Иванова');
    expect(await mine.locator('.mention-me').count()).toBe(0);
    // The hub stored the login, with Maria as the one mentioned.
    const socket = await TestSocket.open(hub.wsUrl, (await hub.login(ivan.login, ivan.password)).token);
    try {
      const room = socket.hello.conversations.find((c) => c.name === 'Отгрузки')!;
      const { messages } = await socket.request<{ messages: Message[] }>('history', {
        conversationId: room.id,
        limit: 10,
      });
      const sent = messages.find((m) => m.text.includes('посмотри остатки'))!;
      expect(sent.text).toBe('Вопрос к @maria посмотри остатки');
      expect(sent.mentions).toEqual([maria.id]);
    } finally {
      socket.close();
    }
  }, 30_000);

  it('keeps a draft per conversation and pastes plain text only', async () => {
    await composer(a.page).fill('Черновик про отгрузки');
    const general = a.page.locator('nav.sidebar .conv-item').first();
    await general.click();
    await expect.poll(() => composer(a.page).inputValue(), poll).toBe('');
    const pasted = await a.page.evaluate(`(() => {
      const box = document.querySelector('.composer textarea');
      box.focus();
      const data = new DataTransfer();
      data.setData('text/html', '<b>жирный</b> <img src=x onerror=alert(1)>');
      data.setData('text/plain', 'просто текст');
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return box.value;
    })()`);
    expect(pasted).toBe('просто текст');
    await conversationItem(a.page, 'Отгрузки').click();
    await expect.poll(() => composer(a.page).inputValue(), poll).toBe('Черновик про отгрузки');
    await general.click();
    await expect.poll(() => composer(a.page).inputValue(), poll).toBe('просто текст');
    await composer(a.page).fill('');
    await conversationItem(a.page, 'Отгрузки').click();
    await composer(a.page).fill('');
  }, 30_000);

  it('lets the owner rename the room, set its topic and hand it over', async () => {
    await b.page.getByRole('button', { name: 'Настройки комнаты' }).click();
    // The title follows the room's name, so the dialog is found by the start of it.
    const settings = b.page.getByRole('dialog', { name: /^Настройки комнаты/ });
    await settings.getByLabel('Название').fill('Отгрузки и логистика');
    await settings.getByLabel('Тема').fill('Отгрузки, остатки, машины');
    await settings.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => header(a.page).textContent(), poll).toBe('Отгрузки и логистика');
    await expect.poll(() => a.page.locator('.conv-topic').textContent(), poll).toBe('Отгрузки, остатки, машины');
    await expect
      .poll(() => a.page.locator('.msg-system', { hasText: 'переименовала' }).textContent(), poll)
      .toContain('Мария Иванова переименовала комнату в «Отгрузки и логистика»');

    // The owner invites Anna from the directory.
    await settings.getByRole('searchbox', { name: 'Найти сотрудника' }).fill('Анна');
    await settings.getByRole('button', { name: 'Добавить Анна Ким' }).click();
    await settings.getByRole('button', { name: 'Пригласить выбранных' }).click();
    await expect.poll(() => a.page.locator('.member-count').textContent(), poll).toBe('3');
    await expect.poll(() => settings.locator('.member-list .member').count(), poll).toBe(3);

    // A member cannot edit: the fields are read-only and the dialog says why.
    await a.page.getByRole('button', { name: 'Настройки комнаты' }).click();
    let theirs = a.page.getByRole('dialog', { name: /Настройки комнаты/ });
    expect(await theirs.getByLabel('Название').getAttribute('readonly')).not.toBeNull();
    expect(await theirs.textContent()).toContain('Изменять комнату может только её владелец');
    await a.page.keyboard.press('Escape');
    await theirs.waitFor({ state: 'detached' });

    // Options carry the login: two members may share a name.
    await settings.getByLabel('Новый владелец').selectOption({ label: 'Иван Петров · ivan' });
    await settings.getByRole('button', { name: 'Передать' }).click();
    await settings.locator('.confirm').getByRole('button', { name: 'Передать' }).click();
    await expect
      .poll(() => a.page.locator('.msg-system', { hasText: 'права владельца' }).textContent(), poll)
      .toContain('Мария Иванова передала права владельца: Иван Петров');
    await b.page.keyboard.press('Escape');

    // Now Ivan owns it: he may edit, and remove Maria.
    await a.page.getByRole('button', { name: 'Настройки комнаты' }).click();
    theirs = a.page.getByRole('dialog', { name: /Настройки комнаты/ });
    expect(await theirs.getByLabel('Название').getAttribute('readonly')).toBeNull();
    await theirs.getByRole('button', { name: 'Исключить Мария Иванова' }).click();
    await expect.poll(() => conversationItem(b.page, 'Отгрузки и логистика').count(), poll).toBe(0);
    // Maria was looking at the room: she is moved to the general room.
    await expect
      .poll(() => b.page.locator('nav.sidebar .conv-item').first().getAttribute('aria-current'), poll)
      .toBe('page');
    await a.page.keyboard.press('Escape');
  }, 60_000);

  it('leaves a room after confirming', async () => {
    await a.page.getByRole('button', { name: 'Настройки комнаты' }).click();
    const settings = a.page.getByRole('dialog', { name: /Настройки комнаты/ });
    await settings.getByRole('button', { name: 'Покинуть комнату' }).click();
    await settings.locator('.confirm').getByRole('button', { name: 'Покинуть комнату' }).click();
    await settings.waitFor({ state: 'detached' });
    await expect.poll(() => conversationItem(a.page, 'Отгрузки и логистика').count(), poll).toBe(0);
    await expect
      .poll(() => a.page.locator('nav.sidebar .conv-item').first().getAttribute('aria-current'), poll)
      .toBe('page');
  }, 30_000);

  it('moves between conversations from the keyboard and traps focus in dialogs', async () => {
    await a.page.getByRole('button', { name: 'Создать комнату' }).click();
    const create = a.page.getByRole('dialog', { name: 'Новая комната' });
    for (let i = 0; i < 12; i++) {
      await a.page.keyboard.press('Tab');
      expect(await a.page.evaluate("!!document.activeElement.closest('[role=dialog]')")).toBe(true);
    }
    await a.page.keyboard.press('Shift+Tab');
    expect(await a.page.evaluate("!!document.activeElement.closest('[role=dialog]')")).toBe(true);
    await create.getByLabel('Название', { exact: true }).fill('Бухгалтерия');
    await create.getByRole('button', { name: 'Создать' }).click();
    await create.waitFor({ state: 'detached' });
    await expect.poll(() => header(a.page).textContent(), poll).toBe('Бухгалтерия');

    await a.page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => header(a.page).textContent(), poll).not.toBe('Бухгалтерия');
    const general = await header(a.page).textContent();
    await a.page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => header(a.page).textContent(), poll).toBe('Бухгалтерия');

    await a.page.keyboard.press('Control+k');
    const quick = a.page.getByRole('dialog', { name: 'Перейти к разговору' });
    await quick.waitFor();
    // The search box has the focus as soon as the dialog is there.
    expect(await a.page.evaluate("document.activeElement.getAttribute('role')")).toBe('combobox');
    await a.page.keyboard.type(general!.slice(0, 3));
    await a.page.keyboard.press('Enter');
    await quick.waitFor({ state: 'detached' });
    await expect.poll(() => header(a.page).textContent(), poll).toBe(general);

    await a.page.keyboard.press('Control+k');
    await quick.waitFor();
    await a.page.keyboard.press('Escape');
    await quick.waitFor({ state: 'detached' });
    // Every button has a name a screen reader can say.
    const unnamed = await a.page.evaluate(
      `[...document.querySelectorAll('button')].filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).length`,
    );
    expect(unnamed).toBe(0);
  }, 60_000);

  it('switches to English and remembers it', async () => {
    await a.page.getByRole('button', { name: /Мой статус и настройки/ }).click();
    await a.page.getByRole('menuitemradio', { name: 'English' }).click();
    await expect.poll(() => a.page.locator('.section-header h2').first().textContent(), poll).toBe('Rooms');
    expect(await composer(a.page).count()).toBe(0);
    await a.page.reload();
    await expect.poll(() => a.page.locator('.section-header h2').last().textContent(), poll).toBe('Direct messages');
    expect(await a.page.evaluate('document.documentElement.lang')).toBe('en');
    await a.page.getByRole('button', { name: /My status and settings/ }).click();
    await a.page.getByRole('menuitemradio', { name: 'System default' }).click();
    await expect.poll(() => a.page.locator('.section-header h2').first().textContent(), poll).toBe('Комнаты');
  }, 30_000);

  it('shows the unread count in the tab title and favicon, and blinks while the tab is hidden', async () => {
    // Maria's tab goes to the background.
    await b.page.evaluate(`(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    })()`);
    const before = await b.page.locator('link[rel="icon"]').getAttribute('href');
    await conversationItem(
      a.page,
      await header(b.page)
        .textContent()
        .then((n) => n!),
    ).click();
    await send(a.page, 'Пока вкладка скрыта');
    const titles = new Set<string>();
    await expect
      .poll(async () => {
        titles.add(await b.page.title());
        return titles.has('✉ Новое сообщение') && titles.has('(1) Беседа');
      }, poll)
      .toBe(true);
    const icon = await b.page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toMatch(/^data:image\/png;base64,/);
    expect(icon).not.toBe(before);

    // Back to the tab: the blinking stops, the message is read, the title is plain again.
    await b.page.evaluate(`(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    })()`);
    await expect.poll(() => b.page.title(), poll).toBe('Беседа');
    await b.page.waitForTimeout(1500);
    expect(await b.page.title()).toBe('Беседа');
    // The unread messages that arrived while away are marked.
    expect(await b.page.locator('#unread-divider').count()).toBe(1);
  }, 30_000);

  it('fits a narrow 1C form field with ?compact=1', async () => {
    const compact = await openPage(browser, { width: 420, height: 640 });
    try {
      await compact.page.goto(`${hub.url}/?compact=1`);
      await compact.page.locator('input[name="login"]').fill(ivan.login);
      await compact.page.locator('input[name="password"]').fill(ivan.password);
      await compact.page.getByRole('button', { name: 'Войти' }).click();
      await header(compact.page).waitFor({ timeout: 15_000 });
      const sidebar = compact.page.locator('nav.sidebar');
      await expect.poll(() => sidebar.isVisible(), poll).toBe(false);
      await compact.page.getByRole('button', { name: 'Показать список разговоров' }).click();
      await expect.poll(() => sidebar.isVisible(), poll).toBe(true);
      await conversationItem(compact.page, 'Бухгалтерия').click();
      await expect.poll(() => sidebar.isVisible(), poll).toBe(false);
      await expect.poll(() => header(compact.page).textContent(), poll).toBe('Бухгалтерия');
      expect(compact.errors).toEqual([]);
    } finally {
      await compact.context.close();
    }
  }, 30_000);

  it('explains a throttled and an unreachable sign-in', async () => {
    const fresh = await openPage(browser);
    try {
      const { page } = fresh;
      await page.goto(hub.url);
      await page.locator('input[name="login"]').fill('nobody');
      const submit = page.getByRole('button', { name: 'Войти' });
      const alert = page.locator('#signin-error');
      // Five failures are free; after that the hub asks to wait, and the form says how long. The
      // wait doubles with each failure, so however slowly a loaded machine types, a later attempt
      // lands inside it: keep trying until refused rather than counting on the sixth one.
      for (let i = 0; i < 20; i++) {
        await page.locator('input[name="password"]').fill(`wrong-${i}`);
        await expect.poll(() => submit.isEnabled(), { timeout: 10_000 }).toBe(true);
        await submit.click();
        await expect.poll(() => alert.count(), poll).toBe(1);
        if ((await alert.textContent())?.includes('Слишком много попыток')) break;
      }
      expect(await alert.textContent()).toMatch(
        /^Слишком много попыток входа\. Попробуйте снова через \d+ секунд[уы]?$/,
      );
      expect(await submit.isDisabled()).toBe(true);
      // The wait runs out and the button comes back.
      await expect.poll(() => submit.isEnabled(), { timeout: 90_000, interval: 200 }).toBe(true);

      await page.locator('input[name="hub"]').fill('http://127.0.0.1:9');
      await page.locator('input[name="login"]').fill('ivan');
      await page.locator('input[name="password"]').fill('whatever');
      await submit.click();
      await expect
        .poll(() => alert.textContent(), poll)
        .toBe('Сервер http://127.0.0.1:9 не отвечает. Проверьте адрес и подключение к сети');
      expect(fresh.dialogs).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  }, 240_000);

  it('ran without page errors, CSP violations or dialogs', () => {
    expect([...a.errors, ...b.errors]).toEqual([]);
    expect([...a.cspViolations, ...b.cspViolations]).toEqual([]);
    expect([...a.dialogs, ...b.dialogs]).toEqual([]);
  });
});
