// Reactions end to end: a real hub (at most two distinct emoji per message), Иван and Мария in
// two Chromium contexts. A reaction put from the menu's picker by keyboard shows on the other
// screen with its count and who put it; a click on a chip toggles one's own; at the limit only the
// message's existing emoji can be added, here and as the hub refuses.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { messagesWithText } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { twoPeopleOnHub } from './twoPeopleOnHub.ts';

const poll = { timeout: 30_000, interval: 100 };

describe('reactions between two people', () => {
  let a: WatchedPage;
  let b: WatchedPage;

  const chip = (page: Page, text: string, emoji: string) =>
    messagesWithText(page, text).locator(`.reaction-chip[data-emoji="${emoji}"]`);
  const picker = (page: Page) => page.locator('[data-reaction-picker]');
  const send = async (page: Page, text: string) => {
    const box = page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill(text);
    await box.press('Enter');
    await expect.poll(() => messagesWithText(page, text).getAttribute('data-status'), poll).toBe('sent');
  };

  twoPeopleOnHub(
    async (started) => {
      ({ a, b } = started.people);
    },
    { hubArgs: ['--max-reactions', '2'] },
  );

  it('a reaction chosen in the picker by keyboard shows on the other screen with its count and name', async () => {
    await send(a.page, 'Кто идёт на обед?');
    const row = messagesWithText(b.page, 'Кто идёт на обед?');
    await row.waitFor({ timeout: 30_000 });
    // Мария: the message's menu from the keyboard (Shift+F10), «Реакция», the picker's search, Enter.
    await row.focus();
    await b.page.keyboard.press('Shift+F10');
    const item = b.page.getByRole('menuitem', { name: 'Реакция' });
    await item.waitFor({ timeout: 30_000 });
    for (let i = 0; i < 10 && !(await item.evaluate((el) => el === document.activeElement)); i++) {
      await b.page.keyboard.press('ArrowDown');
    }
    await b.page.keyboard.press('Enter');
    await picker(b.page).waitFor({ timeout: 30_000 });
    await b.page.keyboard.type('палец вверх');
    await expect.poll(() => picker(b.page).locator('.emoji-cell').allTextContents(), poll).toEqual(['👍']);
    await b.page.keyboard.press('Enter');
    await expect.poll(() => picker(b.page).count(), poll).toBe(0);
    // The focus is back on the message the menu was opened on.
    await expect.poll(() => row.evaluate((el) => el === document.activeElement), poll).toBe(true);

    const mine = chip(b.page, 'Кто идёт на обед?', '👍');
    await expect.poll(() => mine.getAttribute('aria-pressed'), poll).toBe('true');
    const theirs = chip(a.page, 'Кто идёт на обед?', '👍');
    await expect.poll(() => theirs.textContent(), poll).toBe('👍1');
    expect(await theirs.getAttribute('aria-pressed')).toBe('false');
    expect(await theirs.getAttribute('title')).toBe('Мария Иванова');
    expect(await theirs.getAttribute('aria-label')).toBe('Реакция 👍, 1: Мария Иванова');
  });

  it('a click on a chip adds one’s own and takes it back, on both screens', async () => {
    const theirs = chip(a.page, 'Кто идёт на обед?', '👍');
    await theirs.click();
    await expect.poll(() => theirs.getAttribute('aria-pressed'), poll).toBe('true');
    await expect.poll(() => theirs.textContent(), poll).toBe('👍2');
    const onB = chip(b.page, 'Кто идёт на обед?', '👍');
    await expect.poll(() => onB.textContent(), poll).toBe('👍2');
    await expect.poll(() => onB.getAttribute('title'), poll).toBe('Вы и Иван Петров');
    // The change is acknowledged: nothing is left pending.
    await expect
      .poll(() => messagesWithText(a.page, 'Кто идёт на обед?').locator('.reactions.pending').count(), poll)
      .toBe(0);

    await theirs.click();
    await expect.poll(() => onB.textContent(), poll).toBe('👍1');
    await expect.poll(() => onB.getAttribute('title'), poll).toBe('Вы');
    await expect.poll(() => theirs.getAttribute('aria-pressed'), poll).toBe('false');
  });

  it('moves through the picker with the arrows from the «+» chip and gives the focus back', async () => {
    const add = messagesWithText(a.page, 'Кто идёт на обед?').locator('.reaction-add');
    await add.focus();
    await a.page.keyboard.press('Enter');
    await picker(a.page).waitFor({ timeout: 30_000 });
    await a.page.keyboard.press('ArrowDown');
    await a.page.keyboard.press('ArrowRight');
    await a.page.keyboard.press('Enter');
    await expect.poll(() => picker(a.page).count(), poll).toBe(0);
    await expect.poll(() => add.evaluate((el) => el === document.activeElement), poll).toBe(true);
    await expect.poll(() => chip(b.page, 'Кто идёт на обед?', '❤️').textContent(), poll).toBe('❤️1');
    expect(await chip(b.page, 'Кто идёт на обед?', '❤️').getAttribute('title')).toBe('Иван Петров');
  });

  it('at the limit only the message’s own emoji can be added', async () => {
    // Two distinct emoji now (👍, ❤️): the hub's limit.
    const add = messagesWithText(b.page, 'Кто идёт на обед?').locator('.reaction-add');
    await add.click();
    await picker(b.page).waitFor({ timeout: 30_000 });
    await expect.poll(() => picker(b.page).locator('.picker-note').count(), poll).toBe(1);
    const own = picker(b.page).locator('.picker-section').first();
    expect(await own.locator('.emoji-cell').allTextContents()).toEqual(['👍', '❤️']);
    const laugh = picker(b.page).locator('.picker-section[aria-label="Частые"] [data-emoji="😂"]');
    expect(await laugh.getAttribute('aria-disabled')).toBe('true');
    await laugh.click({ force: true });
    expect(await picker(b.page).count()).toBe(1);
    // Joining an emoji already there is allowed.
    await own.locator('[data-emoji="❤️"]').click();
    await expect.poll(() => chip(a.page, 'Кто идёт на обед?', '❤️').textContent(), poll).toBe('❤️2');
    expect(await chip(a.page, 'Кто идёт на обед?', '😂').count()).toBe(0);
    // The chips of emoji not yet on it are not offered; the hub would refuse them anyway.
    const count = await messagesWithText(a.page, 'Кто идёт на обед?').locator('.reaction-chip[data-emoji]').count();
    expect(count).toBe(2);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
