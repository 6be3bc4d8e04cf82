// Files in the web client, end to end: a real hub, two people in two Chromium contexts. A pastes a
// screenshot with a caption, B sees it inline and opens it in the viewer; a dropped PDF becomes a
// card whose download link works; a file over the hub's limit is flagged and not sent; a file
// waiting for the hub shows its progress and can be cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { fileSizeLabel } from '../../renderer/format/fileSize.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { launchBrowser, messagesWithText, openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { twoPeopleSignedIn } from './twoPeopleSignedIn.ts';
import { animatedGif, dropFiles, pasteFile, pdfBytes, photoJpeg, screenshotPng } from './sampleFiles.ts';

const poll = { timeout: 30_000, interval: 100 };
const maxFileBytes = 300 * 1024;
/** Far above what ivan sends here; anna's four files of 290 KB pass it. */
const quotaBytes = 1_000_000;

describe('web client: files and screenshots', () => {
  let hub: TestHub;
  let browser: Browser;
  let a: WatchedPage;
  let b: WatchedPage;
  let png: Buffer;
  let maria: { login: string; password: string };

  beforeAll(async () => {
    hub = await startHub({
      args: ['--max-file-bytes', String(maxFileBytes), '--file-quota-bytes', String(quotaBytes)],
    });
    browser = await launchBrowser();
    ({ a, b, maria } = await twoPeopleSignedIn(hub, browser));
    png = await screenshotPng();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('sends a pasted screenshot with a caption; the other person sees it inline and in the viewer', async () => {
    await pasteFile(a.page, png, 'image.png', 'image/png');
    const chip = a.page.locator('.composer-file');
    await expect.poll(() => chip.count(), poll).toBe(1);
    expect(await chip.locator('.file-name').textContent()).toMatch(/^Скриншот \d{4}-\d\d-\d\d \d\d\.\d\d\.png$/);
    const thumbnail = (await chip.locator('img.composer-thumb').getAttribute('src'))!;
    expect(thumbnail).toMatch(/^blob:/);
    const box = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    expect(await box.getAttribute('placeholder')).toBe('Добавьте подпись (необязательно)');
    await box.fill('Ошибка при проведении документа');
    await box.press('Enter');
    await expect.poll(() => chip.count(), poll).toBe(0);
    // The thumbnail's object URL was let go once the file left the strip.
    const revoked = await a.page.evaluate(
      (url) =>
        new Promise<boolean>((resolve) => {
          const img = new Image();
          img.onload = () => resolve(false);
          img.onerror = () => resolve(true);
          img.src = url;
        }),
      thumbnail,
    );
    expect(revoked).toBe(true);

    // B sees the image above the caption, loaded from the hub's preview, in a box of the image's shape.
    const row = messagesWithText(b.page, 'Ошибка при проведении документа');
    const preview = row.locator('button.image-preview');
    await preview.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => preview.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), poll)
      .toBeGreaterThan(0);
    const size = await preview.boundingBox();
    expect(Math.round(size!.width)).toBe(360);
    expect(Math.round(size!.height)).toBe(225);
    expect(await preview.getAttribute('aria-label')).toMatch(/^Открыть изображение «Скриншот /);

    await preview.click();
    const viewer = b.page.getByRole('dialog', { name: 'Просмотр изображения' });
    await viewer.waitFor();
    const full = viewer.locator('img.viewer-image');
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth), poll).toBe(640);
    expect(await full.getAttribute('src')).toContain('/view?key=');
    // Focus is inside; Tab stays inside.
    for (let i = 0; i < 8; i++) await b.page.keyboard.press('Tab');
    expect(await viewer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await b.page.getByRole('button', { name: 'Увеличить' }).click();
    await expect.poll(() => viewer.locator('.viewer-stage.zoomed').count(), poll).toBe(1);
    expect(await viewer.locator('.viewer-scale').textContent()).toBe('125%');
    await viewer.getByRole('button', { name: 'Вписать в окно' }).click();
    await expect.poll(() => viewer.locator('.viewer-stage.fitted').count(), poll).toBe(1);
    // The wheel zooms too, around the pointer.
    const stage = (await viewer.locator('.viewer-stage').boundingBox())!;
    await b.page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
    await b.page.mouse.wheel(0, -100);
    await expect.poll(() => viewer.locator('.viewer-stage.zoomed').count(), poll).toBe(1);
    await b.page.keyboard.press('Escape');
    await expect.poll(() => viewer.count(), poll).toBe(0);
    // Focus returns to the image that opened the viewer.
    expect(await b.page.evaluate(() => document.activeElement?.classList.contains('image-preview'))).toBe(true);

    for (const p of [a, b]) {
      expect(p.cspViolations).toEqual([]);
      expect(p.errors).toEqual([]);
    }
  }, 90_000);

  it('turns a dropped PDF into a card whose download link works', async () => {
    const shown = await dropFiles(a.page, [{ bytes: pdfBytes, name: 'Счёт №17.pdf', type: 'application/pdf' }]);
    expect(shown).toBe(true);
    expect(await a.page.locator('.drop-zone').count()).toBe(0);
    const chip = a.page.locator('.composer-file');
    await expect.poll(() => chip.count(), poll).toBe(1);
    expect(await chip.locator('.file-name').textContent()).toBe('Счёт №17.pdf');
    await a.page.getByRole('button', { name: 'Отправить' }).click();

    const card = b.page.locator('a.file-card', { hasText: 'Счёт №17.pdf' });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('.file-size').textContent()).toBe('3,1\u00a0КБ');
    const href = (await card.getAttribute('href'))!;
    expect(href).toContain('?key=');
    const download = await b.page.evaluate(async (url) => {
      const res = await fetch(url);
      return {
        status: res.status,
        disposition: res.headers.get('content-disposition'),
        bytes: Array.from(new Uint8Array(await res.arrayBuffer())),
      };
    }, href);
    expect(download.status).toBe(200);
    expect(download.disposition).toMatch(/^attachment;/);
    expect(download.disposition).toContain("filename*=UTF-8''");
    expect(Buffer.from(download.bytes).equals(pdfBytes)).toBe(true);
    expect(b.errors).toEqual([]);
  }, 90_000);

  it("shows a file name's direction controls instead of obeying them", async () => {
    await dropFiles(a.page, [{ bytes: pdfBytes, name: 'Счёт\u202Efdp.exe', type: 'application/octet-stream' }]);
    await expect.poll(() => a.page.locator('.composer-file').count(), poll).toBe(1);
    expect(await a.page.locator('.composer-file .file-name').textContent()).toBe('Счёт⟨RLO⟩fdp.exe');
    await a.page.getByRole('textbox', { name: 'Текст сообщения' }).press('Enter');
    const card = b.page.locator('a.file-card', { hasText: 'fdp.exe' });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('.file-name').textContent()).toBe('Счёт⟨RLO⟩fdp.exe');
    expect(await card.locator('bdi.file-name').count()).toBe(1);
  }, 90_000);

  it("steps through the conversation's images in the viewer; an animation plays there", async () => {
    const dropped = await dropFiles(a.page, [
      { bytes: await photoJpeg(), name: 'Стеллаж.jpg', type: 'image/jpeg' },
      { bytes: await animatedGif(), name: 'Как воспроизвести.gif', type: 'image/gif' },
    ]);
    expect(dropped).toBe(true);
    await expect.poll(() => a.page.locator('.composer-file').count(), poll).toBe(2);
    await a.page.getByRole('textbox', { name: 'Текст сообщения' }).press('Enter');
    const gif = b.page.locator('button.image-preview', { has: b.page.locator('.gif-badge') });
    await gif.waitFor({ timeout: 30_000 });
    // The still in the list is the preview; the viewer plays the file itself.
    expect(await gif.locator('img').getAttribute('src')).toContain('/preview?key=');

    await b.page.locator('button.image-preview').first().click();
    const viewer = b.page.getByRole('dialog', { name: 'Просмотр изображения' });
    const meta = viewer.locator('.viewer-meta');
    await expect.poll(() => meta.textContent(), poll).toMatch(/1 из 3$/);
    expect(await viewer.getByRole('button', { name: 'Предыдущее изображение' }).count()).toBe(0);
    await b.page.keyboard.press('ArrowRight');
    await expect.poll(() => meta.textContent(), poll).toMatch(/2 из 3$/);
    await viewer.getByRole('button', { name: 'Следующее изображение' }).click();
    await expect.poll(() => meta.textContent(), poll).toMatch(/3 из 3$/);
    expect(await viewer.locator('.viewer-name').textContent()).toBe('Как воспроизвести.gif');
    const full = viewer.locator('img.viewer-image');
    expect(await full.getAttribute('src')).toContain('/view?key=');
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth), poll).toBe(320);
    expect(await viewer.getByRole('button', { name: 'Следующее изображение' }).count()).toBe(0);
    const download = viewer.getByRole('link', { name: 'Скачать «Как воспроизвести.gif»' });
    expect(await download.getAttribute('href')).toMatch(/\/api\/v1\/files\/f[\w-]{22}\?key=/);
    await b.page.keyboard.press('ArrowLeft');
    await expect.poll(() => meta.textContent(), poll).toMatch(/2 из 3$/);
    await b.page.keyboard.press('Escape');
    await expect.poll(() => viewer.count(), poll).toBe(0);
    expect(b.cspViolations).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 90_000);

  it('speaks English in the cards, the image labels and the viewer when asked', async () => {
    const en = await openPage(browser, { locale: 'en-US' });
    try {
      await en.page.goto(hub.url);
      await en.page.locator('input[name="login"]').fill('maria');
      await en.page.locator('input[name="password"]').fill(maria.password);
      await en.page.getByRole('button', { name: 'Sign in' }).click();
      const card = en.page.locator('a.file-card', { hasText: 'Счёт №17.pdf' });
      await card.waitFor({ timeout: 30_000 });
      expect(await card.locator('.file-size').textContent()).toBe('3.1\u00a0KB');
      expect(await card.getAttribute('title')).toBe('Download “Счёт №17.pdf”');
      const image = en.page.getByRole('button', { name: /^Open image “Скриншот / });
      await image.click();
      const viewer = en.page.getByRole('dialog', { name: 'Image viewer' });
      await viewer.getByRole('button', { name: 'Zoom in' }).waitFor();
      await viewer.getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => viewer.count(), poll).toBe(0);
      expect(en.errors).toEqual([]);
    } finally {
      await en.context.close();
    }
  }, 90_000);

  it('takes a screenshot pasted while the message list has the focus', async () => {
    await pasteFile(a.page, png, 'image.png', 'image/png', '.messages');
    await expect.poll(() => a.page.locator('.composer-file').count(), poll).toBe(1);
    expect(await a.page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await a.page.locator('.composer-file-remove').click();
    await expect.poll(() => a.page.locator('.composer-file').count(), poll).toBe(0);
  }, 60_000);

  it('flags a file over the hub limit and does not send it', async () => {
    const big = Buffer.alloc(maxFileBytes + 1024, 7);
    await dropFiles(a.page, [{ bytes: big, name: 'выгрузка.zip', type: 'application/zip' }]);
    const chip = a.page.locator('.composer-file.too-large');
    await chip.waitFor();
    expect(await chip.locator('.file-problem').textContent()).toBe('Больше 300\u00a0КБ — сервер не примет');
    const box = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('Выгрузка остатков');
    await box.press('Enter');
    await a.page.locator('.toast', { hasText: 'Файл больше 300' }).waitFor();
    // Nothing left the composer: the caption and the file wait for the user to fix it.
    expect(await box.inputValue()).toBe('Выгрузка остатков');
    await chip.getByRole('button', { name: 'Убрать «выгрузка.zip»' }).click();
    await expect.poll(() => a.page.locator('.composer-file').count(), poll).toBe(0);
    await box.press('Enter');
    await expect.poll(() => messagesWithText(b.page, 'Выгрузка остатков').count(), poll).toBe(1);
    expect(await messagesWithText(b.page, 'Выгрузка остатков').locator('.file-card').count()).toBe(0);
  }, 90_000);

  it('shows why the hub refused a file, with retry and discard', async () => {
    const anna = await hub.addUser('anna', 'Анна Ким');
    const c = await openPage(browser);
    try {
      await signIn(c.page, hub.url, anna.login, anna.password);
      const parts = [1, 2, 3, 4].map((n) => ({
        bytes: Buffer.alloc(290 * 1024, n),
        name: `Часть ${n}.bin`,
        type: 'application/octet-stream',
      }));
      await dropFiles(c.page, parts);
      await expect.poll(() => c.page.locator('.composer-file').count(), poll).toBe(4);
      await c.page.getByRole('textbox', { name: 'Текст сообщения' }).press('Enter');
      const failed = c.page.locator('[data-status="failed"]');
      await failed.waitFor({ timeout: 30_000 });
      expect(await failed.locator('.msg-failed').textContent()).toContain(
        'Не отправлено: на сегодня исчерпан лимит на отправку файлов',
      );
      expect(await failed.locator('.file-card.upload').count()).toBe(4);
      expect(await failed.locator('[role="progressbar"]').count()).toBe(0);
      await failed.getByRole('button', { name: 'Повторить' }).waitFor();
      await failed.getByRole('button', { name: 'Удалить' }).click();
      await expect.poll(() => failed.count(), poll).toBe(0);
      expect(c.errors).toEqual([]);
    } finally {
      await c.context.close();
    }
  }, 90_000);

  it('shows a file waiting for the hub with its progress, and cancels it', async () => {
    const before = await b.page.locator('[data-message-row]').count();
    await hub.stop();
    await a.page.locator('.connection-banner').waitFor({ timeout: 15_000 });
    await pasteFile(a.page, png, 'image.png', 'image/png');
    const box = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('Это не должно уйти');
    await box.press('Enter');
    const pending = a.page.locator('[data-status="pending"]');
    await pending.locator('.file-card.upload [role="progressbar"]').waitFor();
    expect(await pending.locator('.file-card.upload .file-size').textContent()).toBe(
      `0\u00a0Б из ${fileSizeLabel(png.length, 'ru')}`,
    );
    await pending.getByRole('button', { name: 'Отменить отправку' }).click();
    await expect.poll(() => pending.count(), poll).toBe(0);

    await hub.restart();
    await a.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
    await b.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
    // Something sent after the reconnect arrives; the cancelled message never does.
    await box.fill('После переподключения');
    await box.press('Enter');
    await expect.poll(() => messagesWithText(b.page, 'После переподключения').count(), poll).toBe(1);
    expect(await messagesWithText(b.page, 'Это не должно уйти').count()).toBe(0);
    expect(await b.page.locator('[data-message-row]').count()).toBe(before + 1);
  }, 120_000);
});
