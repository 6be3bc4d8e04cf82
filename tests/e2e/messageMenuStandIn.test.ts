// The message menu and what it starts (reply, edit, delete, copy, links), on the desktop path with
// the stand-in bridge: the built renderer in Chromium, the state given, and every Backend call the
// page makes recorded. Driven by keyboard (focus a message, Shift+F10 / ContextMenu, arrows,
// Enter, Esc) and by mouse (hover «…», right-click), in Russian and English; screenshots of each
// state in light, dark and compact go to a temp folder.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatePatch } from '../../common/client/ClientState.ts';
import type { WatchedPage } from './browser.ts';
import { fakeBridge } from './fakeBridge.ts';
import { announcement, answerShowMessage, generalMessages, hubUrl, messageActionsState } from './messageMenuState.ts';
import { type DesktopPage, openDesktopPage } from './openDesktopPage.ts';

const poll = { timeout: 15_000, interval: 50 };
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

/** Screenshots go outside the repository (people look at them; git never sees them). */
const shots = process.env.BESEDA_SHOTS ?? path.join(os.tmpdir(), 'beseda-message-actions');

async function shot(page: Page, name: string, animations: 'disabled' | 'allow' = 'disabled'): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), animations });
}

/** A message row by its seq. */
const row = (page: Page, seq: number) => page.locator(`[data-message-row][data-seq="${seq}"]`);

/** The names of the open menu's items, in order. */
async function menuItems(page: Page): Promise<string[]> {
  const menu = page.getByRole('menu');
  await menu.waitFor({ timeout: 15_000 });
  return menu.getByRole('menuitem').allTextContents();
}

/** Which element has the focus: its role-ish description. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('role') === 'menuitem' ? `item:${el.textContent}` : `seq:${el?.dataset.seq ?? ''}`;
  });

describe('message menu on the stand-in bridge', () => {
  let opened: DesktopPage | undefined;
  let desk: WatchedPage;
  let page: Page;
  const requested: string[] = [];
  const calls = async () => (await page.evaluate('window.__calls')) as unknown[][];
  const push = (patch: StatePatch) => page.evaluate(`window.__pushPatch(${JSON.stringify(patch)})`);

  beforeAll(async () => {
    opened = await openDesktopPage(
      csp,
      fakeBridge(messageActionsState(), { hubUrl, branch: null, hubUrlLocked: true }, answerShowMessage),
      requested,
    );
    desk = opened.desk;
    page = desk.page;
    await desk.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(opened.url).origin });
    await row(page, 9).waitFor({ timeout: 20_000 });
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('offers only what the user may do: someone else’s message, own, deleted, pending, system', async () => {
    await row(page, 1).focus();
    await page.keyboard.press('Shift+F10');
    expect(await menuItems(page)).toEqual([
      'Ответить',
      'Реакция',
      'Переслать',
      'Копировать текст',
      'Копировать ссылку',
    ]);
    expect(await page.getByRole('menu').getAttribute('aria-label')).toBe('Действия с сообщением');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });

    await row(page, 9).focus();
    await page.keyboard.press('Shift+F10');
    expect(await menuItems(page)).toEqual([
      'Ответить',
      'Реакция',
      'Изменить',
      'Удалить',
      'Переслать',
      'Копировать текст',
      'Копировать ссылку',
    ]);
    await page.keyboard.press('Escape');

    await row(page, 4).focus();
    await page.keyboard.press('Shift+F10');
    expect(await menuItems(page)).toEqual(['Копировать ссылку']);
    await page.keyboard.press('Escape');
    // A message whose change is still on its way has its menu (the change shows at once).
    expect(await row(page, 7).locator('.msg-status.pending').count()).toBe(1);

    // Pending and failed messages: no «…», no menu (they keep retry and discard).
    const items = [
      ...generalMessages(),
      { ...generalMessages()[8]!, seq: 0, clientId: 'p-1', text: 'Ещё в пути', status: 'pending' as const },
      { ...generalMessages()[8]!, seq: 0, clientId: 'f-1', text: 'Не ушло', status: 'failed' as const },
    ];
    await push({ messages: { 10: { items, hasOlder: false, loadingOlder: false } } });
    const failed = page.locator('[data-message-row][data-status="failed"]');
    await failed.waitFor();
    expect(await failed.locator('.msg-more').count()).toBe(0);
    await failed.focus();
    await page.keyboard.press('Shift+F10');
    await failed.click({ button: 'right' });
    expect(await page.getByRole('menu').count()).toBe(0);
    expect(await page.locator('[data-message-row][data-status="pending"] .msg-more').count()).toBe(0);

    // An announcement (someone else's, not an administrator): reply, react, forward, copy.
    await push({
      messages: { 10: { items: [...generalMessages(), announcement()], hasOlder: false, loadingOlder: false } },
    });
    await row(page, 12).waitFor();
    await row(page, 12).focus();
    await page.keyboard.press('Shift+F10');
    expect(await menuItems(page)).toEqual([
      'Ответить',
      'Реакция',
      'Переслать',
      'Копировать текст',
      'Копировать ссылку',
    ]);
    await shot(page, 'announcement-menu-light');
    await page.keyboard.press('Escape');
    await push({ messages: { 10: { items: generalMessages(), hasOlder: false, loadingOlder: false } } });
    await row(page, 12).waitFor({ state: 'detached' });
  });

  it('keyboard: ↑/↓ between messages, Shift+F10 and ContextMenu open, arrows move, Esc returns focus', async () => {
    await row(page, 3).focus();
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('seq:2');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('seq:4');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('seq:3');
    // Only the focused message is a tab stop.
    expect(await page.locator('[data-message-row][tabindex="0"]').count()).toBe(1);
    expect(await row(page, 3).getAttribute('tabindex')).toBe('0');

    await page.keyboard.press('ContextMenu');
    await page.getByRole('menu').waitFor();
    expect(await focused(page)).toBe('item:Ответить');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('item:Реакция');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toBe('item:Копировать ссылку');
    await shot(page, 'menu-keyboard-light');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('seq:3');
    expect(desk.errors).toEqual([]);
  });

  it('Copy link and Copy text put the link and the raw text on the clipboard', async () => {
    await row(page, 1).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('End');
    expect(await focused(page)).toBe('item:Копировать ссылку');
    await page.keyboard.press('Enter');
    await page.getByText('Ссылка на сообщение скопирована').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${hubUrl}/#/c/10/m/1`);
    expect(await focused(page)).toBe('seq:1');

    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Копировать текст' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), poll).toBe(generalMessages()[0]!.text);
  });

  it('mouse: «…» shows on hover and opens the menu; right-click opens it at the pointer; outside closes', async () => {
    const more = row(page, 1).locator('.msg-more');
    // Away from the message and its focus: the button is hidden.
    await page.getByRole('textbox', { name: 'Текст сообщения' }).focus();
    await page.mouse.move(5, 5);
    await expect.poll(() => more.evaluate((el) => getComputedStyle(el).opacity), poll).toBe('0');
    await row(page, 1).locator('.bubble').hover();
    await expect.poll(() => more.evaluate((el) => getComputedStyle(el).opacity), poll).toBe('1');
    await shot(page, 'more-button-hover-light');
    await more.click();
    await page.getByRole('menu').waitFor();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    await page.mouse.click(700, 20);
    await page.getByRole('menu').waitFor({ state: 'detached' });

    const bubble = row(page, 2).locator('.bubble');
    const box = (await bubble.boundingBox())!;
    await page.mouse.click(box.x + 10, box.y + 10, { button: 'right' });
    const menu = page.getByRole('menu');
    await menu.waitFor();
    const at = (await menu.boundingBox())!;
    expect(Math.abs(at.x - (box.x + 10)) < 2 || at.x + at.width <= box.x + 12).toBe(true);
    await shot(page, 'menu-rightclick-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'menu-rightclick-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
  });

  it('Reply: the quote bar, Esc drops it, sending passes replyTo; a reply shows its quote', async () => {
    await row(page, 1).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Ответить' }).click();
    const bar = page.locator('.reply-bar');
    await bar.waitFor();
    expect(await bar.locator('.quote-author').textContent()).toBe('Мария Иванова');
    // Markdown as plain text, one line.
    expect(await bar.locator('.quote-text').textContent()).toContain('Доброе утро!');
    const box = page.getByRole('textbox', { name: 'Текст сообщения' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName), poll).toBe('TEXTAREA');
    await shot(page, 'reply-bar-light');
    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });

    await row(page, 1).focus();
    await page.keyboard.press('Shift+F10');
    await page.keyboard.press('Enter');
    await bar.waitFor();
    await box.fill('Отвечаю на утреннее');
    await box.press('Enter');
    await expect.poll(calls, poll).toContainEqual(['send', 10, 'Отвечаю на утреннее', [], { replyTo: 1 }]);
    await bar.waitFor({ state: 'detached' });

    // The reply in the list: its quote; a deleted original's quote says so.
    expect(await row(page, 3).locator('.reply-quote .quote-text').textContent()).toBe('Сейчас посмотрю');
    expect(await row(page, 5).locator('.reply-quote .quote-text').textContent()).toBe('Сообщение удалено');
  });

  it('a quote jumps to the original and highlights it; Enter on it does the same', async () => {
    await row(page, 3).locator('.reply-quote').click();
    await expect.poll(calls, poll).toContainEqual(['showMessage', 10, 2]);
    await expect.poll(() => row(page, 2).getAttribute('class'), poll).toContain('highlight');
    await expect.poll(() => focused(page), poll).toBe('seq:2');
    // The highlight is a fade (its first part steady), caught while it shows.
    await shot(page, 'reply-jump-highlight-light', 'allow');
    expect(await row(page, 2).evaluate((el) => getComputedStyle(el).animationName)).toBe('msg-highlight');
    // About two seconds, then it goes.
    await expect
      .poll(() => row(page, 2).getAttribute('class'), { timeout: 10_000, interval: 200 })
      .not.toContain('highlight');
    // Under reduced motion: no animation, a steady mark for the same time.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await row(page, 3).locator('.reply-quote').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row(page, 2).getAttribute('class'), poll).toContain('highlight');
    const look = await row(page, 2).evaluate((el) => {
      const style = getComputedStyle(el);
      return { animation: style.animationName, background: style.backgroundColor };
    });
    expect(look.animation).toBe('none');
    expect(look.background).not.toBe('rgba(0, 0, 0, 0)');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('a link to a message inside a message opens it here; a missing one says so', async () => {
    const before = (await calls()).length;
    await row(page, 8).locator('a', { hasText: '/m/1' }).click();
    await expect.poll(async () => (await calls()).slice(before), poll).toContainEqual(['showMessage', 10, 1]);
    expect((await calls()).some((c) => c[0] === 'openExternal')).toBe(false);
    await row(page, 8).locator('a', { hasText: '/m/999' }).click();
    await page.getByText('Сообщение не найдено').waitFor();
  });

  it('Edit: the bar, Enter saves through editMessage, unchanged just closes, Esc cancels, ↑ edits the last', async () => {
    const box = page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('черновик');
    await row(page, 2).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Изменить' }).click();
    const edit = page.getByRole('textbox', { name: 'Изменение сообщения' });
    await edit.waitFor();
    expect(await edit.inputValue()).toBe('Сейчас посмотрю');
    expect(await page.locator('.edit-bar').textContent()).toContain('Изменение сообщения');
    await shot(page, 'edit-mode-light');
    await edit.fill('Сейчас посмотрю, минуту');
    await edit.press('Enter');
    await expect.poll(calls, poll).toContainEqual(['editMessage', 10, 2, 'Сейчас посмотрю, минуту']);
    // The draft is back.
    await expect.poll(() => box.inputValue(), poll).toBe('черновик');

    await box.fill('');
    await box.press('ArrowUp');
    await edit.waitFor();
    expect(await edit.inputValue()).toBe('Последнее моё');
    await edit.press('Escape');
    await box.waitFor();
    expect(await box.inputValue()).toBe('');

    const edits = (await calls()).filter((c) => c[0] === 'editMessage').length;
    await box.press('ArrowUp');
    await edit.press('Enter');
    await box.waitFor();
    expect((await calls()).filter((c) => c[0] === 'editMessage').length).toBe(edits);
  });

  it('«изменено» after the time with the edit time as its hint; a refused change shows why and is dismissed', async () => {
    const edited = row(page, 2).locator('.msg-edited');
    expect(await edited.textContent()).toBe('изменено');
    expect(await edited.getAttribute('title')).toMatch(/^Изменено \d/);
    const alert = row(page, 6).getByRole('alert');
    expect(await alert.textContent()).toContain('Не удалось изменить сообщение: время на изменение истекло');
    await shot(page, 'change-error-light');
    await alert.getByRole('button', { name: 'Скрыть' }).click();
    await expect.poll(calls, poll).toContainEqual(['dismissChangeError', 10, 6]);
  });

  it('Delete: confirm dialog, Cancel keeps it, Delete calls deleteMessage; deleted shows the placeholder', async () => {
    await row(page, 9).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Удалить' }).click();
    const dialog = page.getByRole('dialog', { name: 'Удалить сообщение?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('будет удалено у всех участников');
    await shot(page, 'delete-confirm-light');
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await calls()).some((c) => c[0] === 'deleteMessage')).toBe(false);

    await row(page, 9).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Удалить' }).click();
    await dialog.getByRole('button', { name: 'Удалить' }).click();
    await expect.poll(calls, poll).toContainEqual(['deleteMessage', 10, 9]);
    const items = generalMessages().map((m) =>
      m.seq === 9 ? { ...m, text: '', deleted: { by: 1, at: Date.now() }, pendingChange: 'delete' as const } : m,
    );
    await push({ messages: { 10: { items, hasOlder: false, loadingOlder: false } } });
    await expect.poll(() => row(page, 9).locator('.msg-deleted').textContent(), poll).toBe('Сообщение удалено');
    expect(await row(page, 9).locator('.msg-more').count()).toBe(1);
    await shot(page, 'deleted-light');
  });

  it('a room owner deletes someone else’s message, told it goes for everyone', async () => {
    await page.locator('nav.sidebar .conv-item', { hasText: 'Проект' }).click();
    await row(page, 10).waitFor();
    await row(page, 10).focus();
    await page.keyboard.press('Shift+F10');
    expect(await menuItems(page)).toContain('Удалить');
    expect(await menuItems(page)).toContain('Закрепить');
    await page.getByRole('menuitem', { name: 'Удалить' }).click();
    const dialog = page.getByRole('dialog', { name: 'Удалить сообщение?' });
    expect(await dialog.textContent()).toContain('Это сообщение написала Мария Иванова');
    await dialog.getByRole('button', { name: 'Удалить' }).click();
    await expect.poll(calls, poll).toContainEqual(['deleteMessage', 12, 10]);

    // The items helper B's features answer: pin (a call), reaction picker and forward dialog.
    await row(page, 11).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Закрепить' }).click();
    await expect.poll(calls, poll).toContainEqual(['pin', 12, 11, true]);
    await row(page, 11).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Реакция' }).click();
    await page.getByRole('dialog', { name: 'Выбор реакции' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Выбор реакции' }).waitFor({ state: 'detached' });
    await row(page, 11).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Переслать' }).click();
    await page.getByRole('dialog', { name: 'Переслать сообщение' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Переслать сообщение' }).waitFor({ state: 'detached' });
    await page.locator('nav.sidebar .conv-item', { hasText: 'Общий чат' }).click();
    await row(page, 1).waitFor();
  });

  it('dark and compact layouts of each state', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await row(page, 1).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menu').waitFor();
    await shot(page, 'menu-keyboard-dark');
    await page.keyboard.press('Enter');
    await page.locator('.reply-bar').waitFor();
    await shot(page, 'reply-bar-dark');
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: 'Текст сообщения' }).press('ArrowUp');
    await page.locator('.edit-bar').waitFor();
    await shot(page, 'edit-mode-dark');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.setViewportSize({ width: 420, height: 700 });
    await page.goto(`${opened!.url}?compact=1`);
    await row(page, 9).waitFor({ timeout: 20_000 });
    await shot(page, 'list-compact-light');
    await row(page, 1).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menu').waitFor();
    const menu = (await page.getByRole('menu').boundingBox())!;
    expect(menu.x).toBeGreaterThanOrEqual(0);
    expect(menu.y).toBeGreaterThanOrEqual(0);
    expect(menu.x + menu.width).toBeLessThanOrEqual(420);
    expect(menu.y + menu.height).toBeLessThanOrEqual(700);
    await shot(page, 'menu-compact-light');
    await page.keyboard.press('Enter');
    await page.locator('.reply-bar').waitFor();
    await shot(page, 'reply-bar-compact-light');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('textbox', { name: 'Текст сообщения' }).press('ArrowUp');
    await page.locator('.edit-bar').waitFor();
    await shot(page, 'edit-mode-compact-dark');
    await page.keyboard.press('Escape');
    await row(page, 6).scrollIntoViewIfNeeded();
    await shot(page, 'change-error-compact-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('in English: the same menu by keyboard and by mouse', async () => {
    await page.evaluate(() => localStorage.setItem('beseda.language', 'en'));
    await page.goto(opened!.url);
    await row(page, 9).waitFor({ timeout: 20_000 });
    await row(page, 9).focus();
    await page.keyboard.press('Shift+F10');
    expect(await menuItems(page)).toEqual(['Reply', 'React', 'Edit', 'Delete', 'Forward', 'Copy text', 'Copy link']);
    expect(await page.getByRole('menu').getAttribute('aria-label')).toBe('Message actions');
    await shot(page, 'menu-en-light');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('item:Edit');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Editing message' }).waitFor();
    await page.keyboard.press('Escape');

    const bubble = row(page, 1).locator('.bubble');
    await bubble.click({ button: 'right' });
    expect(await menuItems(page)).toEqual(['Reply', 'React', 'Forward', 'Copy text', 'Copy link']);
    await page.getByRole('menuitem', { name: 'Reply' }).click();
    expect(await page.locator('.reply-bar').textContent()).toContain('Replying to');
    await page.getByRole('button', { name: 'Cancel reply' }).click();
    await row(page, 4).locator('.bubble').hover();
    expect(await row(page, 4).textContent()).toContain('Message deleted');
    await row(page, 4).locator('.msg-more').click();
    expect(await menuItems(page)).toEqual(['Copy link']);
    await page.keyboard.press('Escape');
    await page.evaluate(() => localStorage.removeItem('beseda.language'));
    expect(desk.errors).toEqual([]);
    expect(desk.cspViolations).toEqual([]);
  });
});
