// The main screens in Russian, light and dark, written to test-results/screenshots/ for people
// to look at; and what must hold on each of them: the theme follows the system, nothing breaks
// the CSP, nothing throws.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { generalRoomId, setLastMessage } from '../../hub/store/sqlite/conversations.ts';
import { insertMessage } from '../../hub/store/sqlite/messages.ts';
import type { NewMessage } from '../../hub/store/MessageStore.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { conversationItem, launchBrowser, openPage, screenshot, signIn } from './browser.ts';
import {
  animatedGif,
  cancelDrag,
  dropFiles,
  pasteFile,
  pdfBytes,
  photoJpeg,
  screenshotPng,
  uploadFile,
} from './sampleFiles.ts';

type Account = { id: number; login: string; password: string };

const poll = { timeout: 20_000, interval: 100 };

/** The page's background colour as `r,g,b`. */
async function background(page: Page): Promise<number[]> {
  const color = (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
  return (color.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

/** Waits until every inline image of the open conversation has loaded. */
async function imagesLoaded(page: Page): Promise<void> {
  await page.locator('.image-preview img').first().waitFor({ timeout: 20_000 });
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLImageElement>('.image-preview img')).every(
            (i) => i.complete && i.naturalWidth > 0,
          ),
        ),
      poll,
    )
    .toBe(true);
}

/** The files screens of the open conversation: images and cards, the drop zone, the composer's strip, the viewer. */
async function showFiles(page: Page, prefix: string): Promise<void> {
  await imagesLoaded(page);
  await page.locator('.file-card').first().waitFor();
  // The animation shows as a still with a badge until it is opened.
  expect(await page.locator('.image-preview .gif-badge').count()).toBe(1);
  // The newest messages: the conversation opens at its unread divider.
  const jump = page.locator('.jump-bottom');
  if ((await jump.count()) > 0) await jump.click();
  await expect.poll(() => page.locator('.jump-bottom').count(), poll).toBe(0);
  await screenshot(page, `${prefix}-15-files`);
  await dropFiles(page, [{ bytes: pdfBytes, name: 'Акт сверки.pdf', type: 'application/pdf' }], true);
  await page.locator('.drop-zone').waitFor();
  await screenshot(page, `${prefix}-16-drop-zone`);
  await cancelDrag(page);
  await expect.poll(() => page.locator('.drop-zone').count(), poll).toBe(0);
  await pasteFile(page, await screenshotPng(), 'image.png', 'image/png');
  await dropFiles(page, [
    { bytes: Buffer.alloc(4000), name: 'Остатки.xlsx', type: 'application/vnd.ms-excel' },
    { bytes: pdfBytes, name: 'Акт сверки с ООО «Ромашка» за март.pdf', type: 'application/pdf' },
  ]);
  await expect.poll(() => page.locator('.composer-file').count(), poll).toBe(3);
  await page.locator('.composer textarea').fill('Поправил, проверь ещё раз');
  await screenshot(page, `${prefix}-17-composer-files`);
  for (let n = 3; n > 0; n--) await page.locator('.composer-file-remove').first().click();
  await page.locator('.composer textarea').fill('');
  await page.locator('.image-preview').first().click();
  const viewer = page.getByRole('dialog', { name: 'Просмотр изображения' });
  await expect
    .poll(() => viewer.locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth), poll)
    .toBeGreaterThan(0);
  await screenshot(page, `${prefix}-18-viewer`);
  await page.keyboard.press('Escape');
  await expect.poll(() => viewer.count(), poll).toBe(0);
}

describe('main screens', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivan: Account;
  let maria: Account;
  let anna: Account;
  // Read at each (re)start of the hub: the offline test lowers the limit to get a refusal.
  const hubArgs = ['--max-text-bytes', '300'];

  beforeAll(async () => {
    hub = await startHub({ args: hubArgs });
    ivan = await hub.addUser('ivan', 'Иван Петров', { branch: 'Бухгалтерия' });
    maria = await hub.addUser('maria', 'Мария Иванова', { branch: 'Бухгалтерия' });
    anna = await hub.addUser('anna', 'Анна Ким');
    await hub.addUser('sergey', 'Сергей Волков', { branch: 'Склад' });

    // Yesterday's talk and an integration's messages go straight into the database.
    await hub.stop();
    const db = openDatabase(path.join(hub.dataDir, 'beseda.db'));
    try {
      const general = generalRoomId(db);
      // Yesterday at 16:05 on the pages' clock (Europe/Moscow, UTC+3 all year), not this process's:
      // from 21:00 UTC Moscow is already a day ahead, and "yesterday" here was two days ago there.
      const moscowMs = 3 * 3600_000;
      const wall = new Date(Date.now() + moscowMs);
      const yesterday = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() - 1, 16, 5) - moscowMs;
      const at = (minutes: number) => yesterday + minutes * 60_000;
      let n = 0;
      const put = (
        m: Omit<NewMessage, 'conversationId' | 'clientId' | 'mentions' | 'mentionsAll'> & Partial<NewMessage>,
      ) => {
        const message = insertMessage(db, {
          conversationId: general,
          clientId: `seed-${++n}-xxxxxxxx`,
          mentions: [],
          mentionsAll: false,
          ...m,
        });
        setLastMessage(db, general, message.seq, message.ts);
      };
      put({ senderId: maria.id, kind: 'text', text: 'Коллеги, добрый вечер! Завтра в 10:00 планёрка.', ts: at(0) });
      put({ senderId: anna.id, kind: 'text', text: 'Буду 👍', ts: at(2) });
      put({
        senderId: 1,
        kind: 'text',
        text: 'Закрытие периода',
        displayName: '1С:Бухгалтерия',
        ts: at(30),
        attachments: [
          {
            color: 'good',
            title: 'Закрытие месяца завершено',
            titleLink: 'https://1c.example.local/close/2024-03',
            text: 'Все регламентные операции выполнены без ошибок.',
            fields: [
              { title: 'Организация', value: 'ООО «Ромашка»', short: true },
              { title: 'Период', value: 'Март 2024', short: true },
              { title: 'Документов проведено', value: '1 284', short: false },
            ],
            footer: 'Регламентное задание · 16:35',
          },
        ],
      });
      put({
        senderId: 1,
        kind: 'announcement',
        text: 'С понедельника пропуска выдаются только через портал. Подробности: https://portal.example.local/pass',
        displayName: 'Администрация',
        ts: at(45),
      });
    } finally {
      db.close();
    }
    await hub.restart();

    // Today's talk through the protocol, as people would write it.
    const talk = async (who: Account, conversationId: number, text: string) => {
      const { token } = await hub.login(who.login, who.password);
      const socket = await TestSocket.open(hub.wsUrl, token);
      try {
        await socket.request('send', { conversationId, clientId: `c${Math.random().toString(36).slice(2, 14)}`, text });
      } finally {
        socket.close();
      }
    };
    const { token } = await hub.login(maria.login, maria.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    let room: Conversation;
    try {
      const general = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
      room = (
        await socket.request<{ conversation: Conversation }>('rooms.create', {
          name: 'Закрытие месяца',
          kind: 'closed',
          topic: 'Акты сверки, отчётность, сроки',
          members: [ivan.id, anna.id],
        })
      ).conversation;
      await socket.request('rooms.create', { name: 'Кадры', kind: 'open', topic: 'Отпуска и больничные' });
      await talk(maria, general, 'Доброе утро! Повестка планёрки: https://portal.example.local/meetings/today');
      await talk(anna, general, '@ivan, пришли, пожалуйста, выгрузку остатков до обеда.\nНужны склады «Север» и «Юг».');
      await talk(ivan, general, 'Пришлю к 12:00.');
      await talk(ivan, general, 'Если что-то срочное — пишите в личку.');
      await talk(anna, general, '<img src=x onerror=alert(1)> — так выглядит текст, а не картинка');
      await talk(maria, room.id, 'Акты сверки нужны до пятницы.');
      await talk(anna, room.id, 'Сверку с «Ромашкой» сделала, файл в общей папке.');
      const direct = (await socket.request<{ conversation: Conversation }>('direct.open', { userId: ivan.id }))
        .conversation;
      await talk(maria, direct.id, 'Иван, глянь заявку №4512, пожалуйста.');
      // Files: a screenshot with a caption, a photo, a PDF and a spreadsheet, as the web client sends them.
      const shot = await uploadFile(
        hub.url,
        token,
        'Скриншот 2026-03-14 10.42.png',
        'image/png',
        await screenshotPng(),
      );
      const photo = await uploadFile(hub.url, token, 'Стеллаж 4, склад «Юг».jpg', 'image/jpeg', await photoJpeg());
      const pdf = await uploadFile(hub.url, token, 'Счёт №17 от 14.03.2026.pdf', 'application/pdf', pdfBytes);
      const xlsx = await uploadFile(hub.url, token, 'Остатки на 01.03.xlsx', 'application/vnd.ms-excel', pdfBytes);
      const sendFiles = (text: string, files: string[]) =>
        socket.request('send', { conversationId: direct.id, clientId: `f${files.join('').slice(1, 12)}`, text, files });
      await sendFiles('Вот что выдаёт при проведении заявки:', [shot.id]);
      const gif = await uploadFile(hub.url, token, 'Как воспроизвести.gif', 'image/gif', await animatedGif());
      await sendFiles('', [photo.id, gif.id]);
      await sendFiles('Счёт на согласование и остатки', [pdf.id, xlsx.id]);
      await socket.request('presence.set', { status: 'away' });
    } finally {
      socket.close();
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows sign-in, chat and dialogs in the ${scheme} theme`, async () => {
      const watched = await openPage(browser, { colorScheme: scheme });
      const { page } = watched;
      await page.goto(hub.url);
      await page.locator('input[name="login"]').waitFor();
      const [r, g, b] = await background(page);
      // Light: a near-white surface; dark: a near-black one.
      if (scheme === 'light') expect(Math.min(r!, g!, b!)).toBeGreaterThan(200);
      else expect(Math.max(r!, g!, b!)).toBeLessThan(60);
      await screenshot(page, `${scheme}-01-sign-in`);

      await page.locator('input[name="login"]').fill('ivan');
      await page.locator('input[name="password"]').fill('неверный');
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.getByRole('alert').waitFor();
      await screenshot(page, `${scheme}-02-sign-in-error`);

      await signIn(page, hub.url, ivan.login, ivan.password);
      await page.locator('.attachment').waitFor({ timeout: 15_000 });
      await page.locator('.msg-announcement').waitFor();
      await screenshot(page, `${scheme}-03-general-room`);
      const box = page.getByRole('textbox', { name: 'Текст сообщения' });
      await box.pressSequentially('Коллеги, @');
      await page.getByRole('listbox', { name: 'Упомянуть' }).waitFor();
      await screenshot(page, `${scheme}-03b-mention`);
      await box.fill('');

      await conversationItem(page, 'Закрытие месяца').click();
      await page.getByRole('button', { name: /^Участники/ }).click();
      await page.locator('.members-panel .member').nth(2).waitFor();
      await screenshot(page, `${scheme}-04-room-with-members`);

      await page.getByRole('button', { name: 'Настройки комнаты' }).click();
      await page.getByRole('dialog').locator('.member').nth(2).waitFor();
      await screenshot(page, `${scheme}-05-room-settings`);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Создать комнату' }).click();
      const create = page.getByRole('dialog', { name: 'Новая комната' });
      await create.getByLabel('Название', { exact: true }).fill('Планёрка');
      await create.getByRole('searchbox').fill('а');
      await create.locator('.result').first().waitFor();
      await create.locator('.result').first().click();
      await screenshot(page, `${scheme}-06-create-room`);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Написать сотруднику' }).click();
      await page.getByRole('dialog').locator('.result').nth(2).waitFor();
      await screenshot(page, `${scheme}-07-people-directory`);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Обзор комнат' }).click();
      await page.getByRole('dialog').locator('.room-result').first().waitFor();
      await screenshot(page, `${scheme}-08-browse-rooms`);
      await page.keyboard.press('Escape');

      await conversationItem(page, 'Мария Иванова').click();
      await showFiles(page, scheme);
      await page.keyboard.press('Control+k');
      await page.getByRole('dialog', { name: 'Перейти к разговору' }).waitFor();
      await screenshot(page, `${scheme}-09-quick-switch`);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: /Мой статус и настройки/ }).click();
      await page.getByRole('menu').waitFor();
      await screenshot(page, `${scheme}-10-status-menu`);
      await page.keyboard.press('Escape');
      expect(await page.getByRole('menu').count()).toBe(0);

      expect(watched.cspViolations).toEqual([]);
      expect(watched.errors).toEqual([]);
      expect(watched.dialogs).toEqual([]);
    }, 90_000);
  }

  it('shows the offline banner, a pending and a refused message', async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    await signIn(page, hub.url, anna.login, anna.password);
    await conversationItem(page, 'Закрытие месяца').click();
    const box = page.getByRole('textbox', { name: 'Текст сообщения' });
    // The box refuses a message over the limit before sending it, so the refusal comes from the
    // hub: written offline within the 300 bytes the page knows, the message meets a hub that comes
    // back with a limit of 256.
    await hub.stop();
    await page.locator('.connection-banner').waitFor({ timeout: 15_000 });
    await box.fill('Очень длинное сообщение. '.repeat(6)); // 275 bytes
    await box.press('Enter');
    await page.locator('[data-status="pending"]').waitFor();
    hubArgs[1] = '256'; // the least the hub accepts
    await hub.restart();
    const failed = page.locator('[data-status="failed"]');
    await expect.poll(() => failed.count(), { timeout: 45_000, interval: 100 }).toBe(1);
    expect(await failed.getByRole('alert').textContent()).toContain('сообщение длиннее предела в 256 байт');
    await hub.stop();
    await page.locator('.connection-banner').waitFor({ timeout: 15_000 });
    await pasteFile(page, await screenshotPng(), 'image.png', 'image/png');
    await box.fill('Отправлю, как только появится связь');
    await box.press('Enter');
    await page.locator('[data-status="pending"]').waitFor();
    await screenshot(page, 'light-11-offline-pending-failed');
    await hub.restart();
    await expect.poll(() => page.locator('[data-status="pending"]').count(), { timeout: 45_000 }).toBe(0);
    expect(watched.cspViolations).toEqual([]);
    expect(watched.errors).toEqual([]);
  }, 150_000);

  it('fits a 1C form field (?compact=1) and speaks English when asked', async () => {
    const compact = await openPage(browser, { width: 400, height: 620 });
    await compact.page.goto(`${hub.url}/?compact=1`);
    await compact.page.locator('input[name="login"]').fill(maria.login);
    await compact.page.locator('input[name="password"]').fill(maria.password);
    await compact.page.getByRole('button', { name: 'Войти' }).click();
    await compact.page.locator('.conv-header').waitFor({ timeout: 15_000 });
    await screenshot(compact.page, 'light-12-compact');
    await compact.page.getByRole('button', { name: 'Показать список разговоров' }).click();
    await compact.page.locator('nav.sidebar').waitFor({ state: 'visible' });
    await screenshot(compact.page, 'light-13-compact-sidebar');
    await conversationItem(compact.page, 'Иван Петров').click();
    await showFiles(compact.page, 'compact');

    const english = await openPage(browser, { locale: 'en-US', colorScheme: 'dark' });
    await english.page.goto(hub.url);
    await english.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await english.page.locator('input[name="login"]').fill(maria.login);
    await english.page.locator('input[name="password"]').fill(maria.password);
    await english.page.getByRole('button', { name: 'Sign in' }).click();
    await english.page.locator('.attachment').waitFor({ timeout: 15_000 });
    await expect.poll(() => english.page.locator('.day-separator').first().textContent(), poll).toBe('Yesterday');
    await screenshot(english.page, 'dark-14-english');
    for (const p of [compact, english]) {
      expect(p.cspViolations).toEqual([]);
      expect(p.errors).toEqual([]);
    }
  }, 60_000);
});
