// The message actions through a real hub, in Chromium: Иван (Russian) and Мария (English) each on
// their own page. A reply's quote jumps to an original far back in history (older pages loaded)
// and highlights it; a reply chosen from the menu by keyboard arrives with its quote; an edit (↑
// in the empty box) shows «edited» on the other screen; a delete from the «…» menu leaves the
// placeholder on both; a message link opens the web client at the message.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { generalRoomId, setLastMessage } from '../../hub/store/sqlite/conversations.ts';
import { insertMessage } from '../../hub/store/sqlite/messages.ts';
import { advanceReadSeq } from '../../hub/store/sqlite/reads.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { launchBrowser, messagesWithText, openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { row, shot } from './messageMenuPage.ts';
import { pasteFile, screenshotPng } from './sampleFiles.ts';

const poll = { timeout: 30_000, interval: 100 };
/** Seeded filler: the original is several history pages above what a page first loads. */
const filler = 450;

/** Signs in through the English form. */
async function signInEnglish(page: Page, hubUrl: string, login: string, password: string): Promise<void> {
  await page.goto(hubUrl);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
}

describe('message actions through a real hub', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivanPage: WatchedPage;
  let mariaPage: WatchedPage;
  let a: Page;
  let b: Page;
  let general = 0;
  let originalSeq = 0;
  let replySeq = 0;
  let ivanLogin = { login: '', password: '' };

  beforeAll(async () => {
    hub = await startHub();
    const ivan = await hub.addUser('ivan', 'Иван Петров');
    const maria = await hub.addUser('maria', 'Мария Иванова');
    // History seeded while the hub is stopped: Мария's original, many messages, Иван's reply to it.
    await hub.stop();
    const db = openDatabase(path.join(hub.dataDir, 'beseda.db'));
    try {
      general = generalRoomId(db);
      const start = Date.now() - 2 * 86_400_000;
      db.transaction(() => {
        const put = (i: number, senderId: number, text: string, replyTo?: number) => {
          const m = insertMessage(db, {
            conversationId: general,
            senderId,
            clientId: `seed-${i}`,
            kind: 'text',
            text,
            ts: start + i * 60_000,
            mentions: [],
            mentionsAll: false,
            ...(replyTo ? { replyTo } : {}),
          });
          setLastMessage(db, general, m.seq, m.ts);
          return m.seq;
        };
        originalSeq = put(0, maria.id, 'Исходный вопрос: где **отчёт** за март?');
        for (let i = 1; i <= filler; i++) put(i, i % 2 ? maria.id : ivan.id, `Заполнение №${i}`);
        replySeq = put(filler + 1, ivan.id, 'Отвечаю на тот вопрос', originalSeq);
        // All read: the room opens at its newest message, the original far above.
        advanceReadSeq(db, general, ivan.id, replySeq);
        advanceReadSeq(db, general, maria.id, replySeq);
      })();
    } finally {
      db.close();
    }
    await hub.restart();
    browser = await launchBrowser();
    ivanPage = await openPage(browser);
    mariaPage = await openPage(browser, { locale: 'en-US' });
    a = ivanPage.page;
    b = mariaPage.page;
    ivanLogin = ivan;
    await signIn(a, hub.url, ivan.login, ivan.password);
    await signInEnglish(b, hub.url, maria.login, maria.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('a reply’s quote loads older history, scrolls to the original and highlights it', async () => {
    const reply = row(a, replySeq);
    await reply.waitFor({ timeout: 30_000 });
    const quote = reply.locator('.reply-quote');
    expect(await quote.locator('.quote-author').textContent()).toBe('Мария Иванова');
    // Markdown as plain text in the quote.
    expect(await quote.locator('.quote-text').textContent()).toBe('Исходный вопрос: где отчёт за март?');
    expect(await row(a, originalSeq).count()).toBe(0);
    await quote.click();
    await row(a, originalSeq).waitFor({ timeout: 45_000 });
    await expect.poll(() => row(a, originalSeq).getAttribute('class'), poll).toContain('highlight');
    await expect.poll(() => row(a, originalSeq).isVisible(), poll).toBe(true);
    await expect
      .poll(() => a.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.seq ?? ''), poll)
      .toBe(String(originalSeq));
    await shot(a, 'hub-jump-highlight-ru', 'allow');
    await expect.poll(() => row(a, originalSeq).getAttribute('class'), poll).not.toContain('highlight');
    expect(ivanPage.errors).toEqual([]);
  });

  it('a reply chosen by keyboard (Shift+F10, Enter) arrives on the other screen with its quote', async () => {
    await row(a, originalSeq).focus();
    await a.keyboard.press('Shift+F10');
    await a.getByRole('menu', { name: 'Действия с сообщением' }).waitFor();
    expect(await a.getByRole('menuitem').allTextContents()).toEqual([
      'Ответить',
      'Реакция',
      'Переслать',
      'Копировать текст',
      'Копировать ссылку',
    ]);
    await a.keyboard.press('Enter');
    await a.locator('.reply-bar').waitFor();
    const box = a.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('Нашёл, отправляю');
    await shot(a, 'hub-reply-bar-ru', 'allow');
    await box.press('Enter');
    await a.locator('.reply-bar').waitFor({ state: 'detached' });
    const arrived = messagesWithText(b, 'Нашёл, отправляю');
    await arrived.waitFor({ timeout: 30_000 });
    expect(await arrived.locator('.reply-quote .quote-author').textContent()).toBe('Мария Иванова');
    expect(await arrived.locator('.reply-quote .quote-text').textContent()).toContain('Исходный вопрос');
    await shot(b, 'hub-reply-in-list-en', 'allow');
  });

  it('Edit: ↑ in the empty box, Esc cancels, Enter saves; the other screen shows the text and «edited»', async () => {
    const box = a.getByRole('textbox', { name: 'Текст сообщения' });
    await box.click();
    await box.press('ArrowUp');
    const edit = a.getByRole('textbox', { name: 'Изменение сообщения' });
    await edit.waitFor();
    expect(await edit.inputValue()).toBe('Нашёл, отправляю');
    await edit.press('Escape');
    await box.waitFor();
    await box.press('ArrowUp');
    await edit.fill('Нашёл, отправляю через минуту');
    await edit.press('Enter');
    const changed = messagesWithText(b, 'Нашёл, отправляю через минуту');
    await changed.waitFor({ timeout: 30_000 });
    await expect.poll(() => changed.locator('.msg-edited').textContent(), poll).toBe('edited');
    expect(await changed.locator('.msg-edited').getAttribute('title')).toMatch(/^Edited /);
    await expect
      .poll(() => messagesWithText(a, 'Нашёл, отправляю через минуту').locator('.msg-edited').count(), poll)
      .toBe(1);
    await shot(b, 'hub-edited-en', 'allow');
  });

  it('Delete from the «…» menu after confirming: the placeholder on both screens', async () => {
    const mine = messagesWithText(a, 'Нашёл, отправляю через минуту');
    const seq = Number(await mine.getAttribute('data-seq'));
    await mine.locator('.bubble').hover();
    await mine.locator('.msg-more').click();
    await a.getByRole('menuitem', { name: 'Удалить' }).click();
    const dialog = a.getByRole('dialog', { name: 'Удалить сообщение?' });
    await dialog.getByRole('button', { name: 'Удалить' }).click();
    await expect.poll(() => row(a, seq).locator('.msg-deleted').textContent(), poll).toBe('Сообщение удалено');
    await expect.poll(() => row(b, seq).locator('.msg-deleted').textContent(), poll).toBe('Message deleted');
    expect(await row(b, seq).locator('.msg-text').count()).toBe(0);
    await shot(a, 'hub-deleted-ru', 'allow');
    await shot(b, 'hub-deleted-en', 'allow');
    // Only the link is left to copy.
    await row(b, seq).click({ button: 'right' });
    expect(await b.getByRole('menuitem').allTextContents()).toEqual(['Copy link']);
    await b.keyboard.press('Escape');
  });

  it('a reply to a screenshot: the bar and the quote show its thumbnail from the hub', async () => {
    await pasteFile(b, await screenshotPng(), 'Screenshot 2026-12-02.png', 'image/png');
    await b.locator('.composer-file').waitFor();
    await b.getByRole('textbox', { name: 'Message text' }).press('Enter');
    const shotRow = a.locator('[data-message-row]', { has: a.locator('.image-preview') }).last();
    await shotRow.locator('.image-preview img').waitFor({ timeout: 30_000 });
    await expect.poll(() => shotRow.getAttribute('data-seq'), poll).not.toBe('0');
    await shotRow.locator('.image-preview').hover();
    await shotRow.locator('.msg-more').click();
    await a.getByRole('menuitem', { name: 'Ответить' }).click();
    const thumb = a.locator('.reply-bar img.quote-thumb');
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), poll)
      .toBe(true);
    expect(await a.locator('.reply-bar .quote-text').textContent()).toBe('Изображение');
    await shot(a, 'hub-reply-bar-image-ru', 'allow');
    await a.getByRole('textbox', { name: 'Текст сообщения' }).fill('Вижу ошибку на скриншоте');
    await a.getByRole('textbox', { name: 'Текст сообщения' }).press('Enter');
    const reply = messagesWithText(b, 'Вижу ошибку на скриншоте');
    await reply.waitFor({ timeout: 30_000 });
    await expect
      .poll(
        () =>
          reply.locator('img.quote-thumb').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
        poll,
      )
      .toBe(true);
    expect(await reply.locator('.quote-text').textContent()).toBe('Image');
    await shot(b, 'hub-reply-image-en', 'allow');
  });

  it('in English by mouse: right-click offers what Мария may do; a message link opens the message', async () => {
    const reply = row(b, replySeq);
    await reply.scrollIntoViewIfNeeded();
    await reply.locator('.bubble').click({ button: 'right' });
    expect(await b.getByRole('menuitem').allTextContents()).toEqual([
      'Reply',
      'React',
      'Forward',
      'Copy text',
      'Copy link',
    ]);
    await b.keyboard.press('Escape');
    await b.goto(`${hub.url}/#/c/${general}/m/${originalSeq}`);
    await row(b, originalSeq).waitFor({ timeout: 45_000 });
    await expect.poll(() => row(b, originalSeq).getAttribute('class'), poll).toContain('highlight');
    expect(new URL(b.url()).hash).toBe('');
    expect(mariaPage.errors).toEqual([]);
    expect(ivanPage.errors).toEqual([]);
  });

  it('a message link opened while signed out: after signing in the message is shown', async () => {
    const fresh = await openPage(browser);
    try {
      await fresh.page.goto(`${hub.url}/#/c/${general}/m/${originalSeq}`);
      await fresh.page.locator('input[name="login"]').fill(ivanLogin.login);
      await fresh.page.locator('input[name="password"]').fill(ivanLogin.password);
      await fresh.page.getByRole('button', { name: 'Войти' }).click();
      await row(fresh.page, originalSeq).waitFor({ timeout: 45_000 });
      await expect.poll(() => row(fresh.page, originalSeq).getAttribute('class'), poll).toContain('highlight');
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });
});
