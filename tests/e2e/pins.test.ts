// Pins end to end: a real hub, Иван (the room's owner) and Мария in two Chromium contexts. A pin
// from the message menu shows in the header's count and the pinned panel on both screens and marks
// the message; the panel shows a message (jump and highlight) and unpins it; with the rule «только
// владелец» Мария is offered neither.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { messagesWithText } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { twoPeopleOnHub } from './twoPeopleOnHub.ts';

const poll = { timeout: 30_000, interval: 100 };
const roomName = 'Проект Альфа';
const first = 'Отчёт за квартал готов, лежит в общей папке';
const second = 'Сдаём акты сверки в пятницу';

describe('pinned messages between two people', () => {
  let a: WatchedPage;
  let b: WatchedPage;

  const button = (page: Page) => page.locator('[data-pins-button]');
  const panel = (page: Page) => page.locator('[data-pins-panel]');
  const menuItem = async (page: Page, text: string, name: string) => {
    await messagesWithText(page, text).locator('.bubble').click({ button: 'right' });
    return page.getByRole('menuitem', { name });
  };

  twoPeopleOnHub(async ({ people, socket }) => {
    ({ a, b } = people);
    const created = await socket.request<{ conversation: { id: number } }>('rooms.create', {
      name: roomName,
      kind: 'open',
      members: [people.maria.id],
    });
    const conversationId = created.conversation.id;
    let n = 0;
    for (const text of [first, second, 'Ещё одно сообщение']) {
      await socket.request('send', { conversationId, clientId: `pins-${++n}-xxxxxxxx`, text });
    }
    for (const page of [a.page, b.page]) {
      await page.locator('nav.sidebar .conv-item', { hasText: roomName }).click();
      await messagesWithText(page, first).waitFor({ timeout: 30_000 });
    }
  });

  it('a pin from the menu shows in the header and marks the message on both screens', async () => {
    expect(await button(a.page).count()).toBe(0);
    await (await menuItem(a.page, first, 'Закрепить')).click();
    for (const page of [a.page, b.page]) {
      await expect.poll(() => button(page).textContent(), poll).toBe('1');
      await expect.poll(() => messagesWithText(page, first).locator('[data-pinned]').count(), poll).toBe(1);
    }
    expect(await messagesWithText(b.page, first).locator('[data-pinned]').getAttribute('title')).toMatch(
      /^Закреплено: Иван Петров, /,
    );
  });

  it('the other person pins too; the panel lists the newest pin first on both screens', async () => {
    await (await menuItem(b.page, second, 'Закрепить')).click();
    for (const page of [a.page, b.page]) {
      await expect.poll(() => button(page).textContent(), poll).toBe('2');
      await button(page).click();
      await expect.poll(() => panel(page).locator('.pin-text').allTextContents(), poll).toEqual([second, first]);
      expect(await panel(page).locator('.pin-author').allTextContents()).toEqual(['Иван Петров', 'Иван Петров']);
      await page.keyboard.press('Escape');
    }
  });

  it('a click in the panel shows the message and highlights it', async () => {
    await button(b.page).click();
    await panel(b.page).locator('.pin-jump', { hasText: first }).click();
    await expect.poll(() => panel(b.page).count(), poll).toBe(0);
    await expect.poll(() => messagesWithText(b.page, first).getAttribute('class'), poll).toContain('highlight');
  });

  it('unpins from the panel; both screens follow', async () => {
    await button(b.page).click();
    await panel(b.page)
      .locator('.pin-item', { hasText: first })
      .getByRole('button', { name: /^Открепить/ })
      .click();
    for (const page of [a.page, b.page]) {
      await expect.poll(() => button(page).textContent(), poll).toBe('1');
      await expect.poll(() => messagesWithText(page, first).locator('[data-pinned]').count(), poll).toBe(0);
    }
    await expect.poll(() => panel(b.page).locator('.pin-text').allTextContents(), poll).toEqual([second]);
    await b.page.keyboard.press('Escape');
  });

  it('with «только владелец» the other member may neither pin nor unpin', async () => {
    await a.page.getByRole('button', { name: 'Настройки комнаты' }).click();
    await a.page.getByRole('radio', { name: /Только владелец/ }).check();
    await expect
      .poll(() => a.page.locator('.toast').allTextContents(), poll)
      .toContainEqual(expect.stringContaining('Правило закрепления сохранено'));
    await a.page.keyboard.press('Escape');

    // Мария's menu no longer offers pinning; her panel offers no unpinning; Иван's still does.
    await expect
      .poll(async () => {
        const item = await menuItem(b.page, first, 'Ответить');
        await item.waitFor({ timeout: 30_000 });
        const names = await b.page.getByRole('menuitem').allTextContents();
        await b.page.keyboard.press('Escape');
        return names.some((n) => /Закрепить|Открепить/.test(n));
      }, poll)
      .toBe(false);
    await button(b.page).click();
    await expect.poll(() => panel(b.page).locator('.pin-item').count(), poll).toBe(1);
    expect(
      await panel(b.page)
        .getByRole('button', { name: /^Открепить/ })
        .count(),
    ).toBe(0);
    await b.page.keyboard.press('Escape');
    await button(a.page).click();
    expect(
      await panel(a.page)
        .getByRole('button', { name: /^Открепить/ })
        .count(),
    ).toBe(1);
    await a.page.keyboard.press('Escape');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
