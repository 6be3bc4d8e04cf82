// What the message menu starts, on the desktop path with the stand-in bridge: Reply (quote bar,
// {replyTo}, the quote in the list, the jump and highlight), message links inside messages, Edit
// (bar, Enter, Esc, ↑, «изменено»), a refused change, Delete (confirmation, placeholder), a room
// owner's delete, and each state in dark and compact. Screenshots go to a temp folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generalMessages } from './messageMenuState.ts';
import { focused, menuItems, openStandIn, poll, row, shot } from './messageMenuPage.ts';
import type { StandIn } from './messageMenuPage.ts';

describe('message actions on the stand-in bridge', () => {
  let standIn: StandIn | undefined;
  let opened: StandIn['opened'];
  let desk: StandIn['desk'];
  let page: StandIn['page'];
  let calls: StandIn['calls'];
  let push: StandIn['push'];

  beforeAll(async () => {
    standIn = await openStandIn();
    ({ opened, desk, page, calls, push } = standIn);
  }, 60_000);

  afterAll(async () => {
    await standIn?.opened.close();
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
    expect(desk.errors).toEqual([]);
    expect(desk.cspViolations).toEqual([]);
  });
});
