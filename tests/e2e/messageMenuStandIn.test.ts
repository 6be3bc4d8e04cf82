// The message menu on the desktop path with the stand-in bridge (the built renderer in Chromium,
// the state given, every Backend call recorded): only the items the user may do, driven by
// keyboard (focus a message, ↑/↓, Shift+F10 / ContextMenu, arrows, Enter, Esc) and by mouse
// (hover «…», right-click, a click outside), Copy text / Copy link, in Russian and English.
// Screenshots go to a temp folder (messageMenuPage.shots).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcement, generalMessages, hubUrl } from './messageMenuState.ts';
import { focused, menuItems, openStandIn, poll, row, shot } from './messageMenuPage.ts';
import type { StandIn } from './messageMenuPage.ts';

describe('message menu on the stand-in bridge', () => {
  let standIn: StandIn | undefined;
  let opened: StandIn['opened'];
  let desk: StandIn['desk'];
  let page: StandIn['page'];
  let push: StandIn['push'];

  beforeAll(async () => {
    standIn = await openStandIn();
    ({ opened, desk, page, push } = standIn);
  }, 60_000);

  afterAll(async () => {
    await standIn?.opened.close();
  });

  /** The Russian menu of someone else's message. */
  const othersItems = ['Ответить', 'Реакция', 'Переслать', 'Копировать текст', 'Копировать ссылку'];

  /** Opens a message's menu from the keyboard: focus the message, Shift+F10. */
  async function openMenu(seq: number): Promise<void> {
    await row(page, seq).focus();
    await page.keyboard.press('Shift+F10');
  }

  it('offers only what the user may do: someone else’s message, own, deleted, pending, system', async () => {
    await openMenu(1);
    expect(await menuItems(page)).toEqual(othersItems);
    expect(await page.getByRole('menu').getAttribute('aria-label')).toBe('Действия с сообщением');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });

    await openMenu(9);
    expect(await menuItems(page)).toEqual([...othersItems.slice(0, 2), 'Изменить', 'Удалить', ...othersItems.slice(2)]);
    await page.keyboard.press('Escape');

    await openMenu(4);
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
    await openMenu(12);
    expect(await menuItems(page)).toEqual(othersItems);
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
    await openMenu(1);
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
    // Beside «…», the reaction button opens the picker with the default reactions first.
    const react = row(page, 1).locator('.msg-react-quick');
    expect(await react.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    expect(await react.getAttribute('aria-label')).toBe('Добавить реакцию');
    await react.click();
    const picker = page.getByRole('dialog', { name: 'Выбор реакции' });
    await picker.waitFor();
    expect(await picker.getByRole('button', { name: /👍/ }).count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    await row(page, 1).locator('.bubble').hover();
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

  it('in English: the same menu by keyboard and by mouse', async () => {
    await page.evaluate(() => localStorage.setItem('beseda.language', 'en'));
    await page.goto(opened!.url);
    await row(page, 9).waitFor({ timeout: 20_000 });
    await openMenu(9);
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
