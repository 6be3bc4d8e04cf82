// Landing on the first unread message (issue 14) in Chromium with the real hub: a 127-message
// backlog opens on the «Новые сообщения» divider with the first unread message at the top; only
// what has been on screen is read (the sidebar's count and the hub's go down as the user scrolls,
// not at opening); «@ N» jumps through the unread mentions (loading newer pages of a window opened
// around the read marker) and «↓ N новых» to the newest. Screenshots: light, dark, compact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser, messagesWithText, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

// Deadlines for a hang, not speed limits.
const poll = { timeout: 30_000, interval: 100 };
const mentionAt = new Set([20, 90]);

/** The unread count the sidebar shows (0 when it shows none). */
async function sidebarUnread(page: Page): Promise<number> {
  const badge = page.locator('[data-total-unread]');
  return (await badge.count()) === 0 ? 0 : Number(await badge.getAttribute('data-total-unread'));
}

/** Where an element is relative to the message list's viewport (null: not in the DOM). */
function placeOf(page: Page, selector: string): Promise<{ top: number; bottom: number; height: number } | null> {
  return placeIn(page, { selector });
}

/**
 * Where the message row whose text is exactly `text` (or starts with it, when it ends with a comma:
 * a mention shows as the person's name) is relative to the list's viewport (null: not in the DOM).
 */
function rowPlace(page: Page, text: string): Promise<{ top: number; bottom: number; height: number } | null> {
  return placeIn(page, { text });
}

function placeIn(
  page: Page,
  what: { selector?: string; text?: string },
): Promise<{ top: number; bottom: number; height: number } | null> {
  return page.evaluate(({ selector, text }) => {
    const list = document.querySelector('.messages')!.getBoundingClientRect();
    const el = selector
      ? document.querySelector(selector)
      : Array.from(document.querySelectorAll('[data-message-row]')).find((row) => {
          const shown = row.querySelector('.msg-text')?.textContent?.trim() ?? '';
          return text!.endsWith(',') ? shown.startsWith(text!) : shown === text;
        });
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { top: r.top - list.top, bottom: r.bottom - list.top, height: list.height };
  }, what);
}

/** Whether the message row whose text is exactly `text` is entirely on screen. */
async function onScreen(page: Page, text: string): Promise<boolean> {
  const p = await rowPlace(page, text);
  return p !== null && p.top >= -1 && p.bottom <= p.height + 1;
}

/** The highest N of «новое N» whose row is entirely on screen. */
function lastFullyShown(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('.messages')!.getBoundingClientRect();
    let best = 0;
    for (const row of Array.from(document.querySelectorAll<HTMLElement>('[data-message-row]'))) {
      const r = row.getBoundingClientRect();
      const m = /^новое (\d+)/.exec(row.querySelector('.msg-text')?.textContent ?? '');
      if (m && r.top >= list.top - 1 && r.bottom <= list.bottom + 1) best = Math.max(best, Number(m[1]));
    }
    return best;
  });
}

describe('web client: landing on the first unread message', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivan: { id: number; login: string; password: string };
  let maria: { id: number; login: string; password: string };
  let general = 0;
  let reader: WatchedPage;
  let writer: TestSocket;
  let cid = 0;

  /** Иван's unread count in the general room as the hub has it (a fresh connection's hello). */
  async function hubUnread(): Promise<{ unread: number; mentions: number }> {
    const { token } = await hub.login(ivan.login, ivan.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    socket.close();
    const c = socket.hello.conversations.find((c) => c.id === general)!;
    return { unread: c.unread, mentions: c.mentions };
  }

  async function post(text: string): Promise<number> {
    const r = await writer.request<{ message: { seq: number } }>('send', {
      conversationId: general,
      clientId: `landing-${++cid}-xxxxxxxx`,
      text,
    });
    return r.message.seq;
  }

  beforeAll(async () => {
    hub = await startHub({ args: ['--send-per-second', '1000', '--send-burst', '1000'] });
    ivan = await hub.addUser('ivan', 'Иван Петров');
    maria = await hub.addUser('maria', 'Мария Иванова');
    writer = await TestSocket.open(hub.wsUrl, (await hub.login(maria.login, maria.password)).token);
    general = writer.hello.conversations.find((c) => c.kind === 'general')!.id;
    // History Иван has read, then the backlog of 127 he has not, two of them mentioning him.
    let last = 0;
    for (let i = 1; i <= 40; i++) last = await post(`прочитанное ${i}`);
    const own = await TestSocket.open(hub.wsUrl, (await hub.login(ivan.login, ivan.password)).token);
    await own.request('read', { conversationId: general, seq: last });
    own.close();
    for (let i = 1; i <= 127; i++) await post(mentionAt.has(i) ? `новое ${i}, @ivan посмотри` : `новое ${i}`);
    expect(await hubUnread()).toEqual({ unread: 127, mentions: 2 });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    writer?.close();
    await browser?.close();
    await hub?.stop();
  });

  it('lands on the divider, reads only what was on screen, and the ↓ and @ buttons jump', async () => {
    reader = await openPage(browser, { width: 1280, height: 800 });
    const { page } = reader;
    await signIn(page, hub.url, ivan.login, ivan.password);

    // The divider at the top of the view, the first unread message right below it.
    const divider = page.locator('.unread-divider');
    await divider.waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => {
        const p = await placeOf(page, '.unread-divider');
        return p !== null && p.top >= 0 && p.top < 120;
      }, poll)
      .toBe(true);
    await expect.poll(() => onScreen(page, 'новое 1'), poll).toBe(true);
    const first = await rowPlace(page, 'новое 1');
    const dividerPlace = (await placeOf(page, '.unread-divider'))!;
    expect(first!.top).toBeGreaterThan(dividerPlace.top);
    expect(first!.top).toBeLessThan(200);
    // The newest is far below: not on screen.
    const newest = await rowPlace(page, 'новое 127');
    expect(newest === null || newest.top > newest.height).toBe(true);
    await screenshot(page, 'light-30-unread-landing');

    // What is on screen is read after a moment; the rest stays unread, here and on the hub.
    await expect.poll(() => sidebarUnread(page), poll).toBeLessThan(127);
    const shown = await lastFullyShown(page);
    expect(shown).toBeGreaterThan(2);
    await expect.poll(() => sidebarUnread(page), poll).toBeGreaterThanOrEqual(127 - shown - 1);
    const afterLanding = await sidebarUnread(page);
    expect(afterLanding).toBeGreaterThan(100);
    expect(afterLanding).toBeLessThanOrEqual(127 - shown);
    await expect.poll(async () => (await hubUnread()).unread, poll).toBe(afterLanding);
    // Nothing more is read while the user does not scroll.
    await page.waitForTimeout(1500);
    expect(await sidebarUnread(page)).toBe(afterLanding);
    expect((await hubUnread()).unread).toBe(afterLanding);

    // «↓ N новых» says how many; «@ 2» how many mentions.
    const down = page.locator('.unread-buttons .jump-bottom');
    await expect
      .poll(async () => /^(\d+) нов(ых|ое|ого)$/.exec((await down.textContent())?.trim() ?? '')?.[1], poll)
      .toBe(String(afterLanding));
    const at = page.locator('.unread-buttons .jump-mention');
    await expect.poll(async () => (await at.textContent())?.replace(/\s+/g, ''), poll).toBe('@2');

    // «@»: to the first unread mention.
    await at.click();
    await expect.poll(() => onScreen(page, 'новое 20,'), poll).toBe(true);
    await expect.poll(async () => (await hubUnread()).mentions, poll).toBe(1);
    await expect.poll(async () => (await at.textContent())?.replace(/\s+/g, ''), poll).toBe('@1');
    await page.waitForTimeout(1000);
    await expect.poll(async () => (await hubUnread()).unread, poll).toBe(await sidebarUnread(page));
    const afterFirstMention = await sidebarUnread(page);
    expect(afterFirstMention).toBeLessThan(127 - 19);
    // Scrolling down reads what passes by, and no further than that.
    await page.locator('.messages').hover();
    await page.mouse.wheel(0, 400);
    await expect.poll(() => sidebarUnread(page), poll).toBeLessThan(afterFirstMention);
    await page.waitForTimeout(800);
    const afterScroll = await sidebarUnread(page);
    expect(afterScroll).toBeGreaterThan(60);
    expect(afterScroll).toBeLessThanOrEqual(127 - (await lastFullyShown(page)));
    await expect.poll(async () => (await hubUnread()).unread, poll).toBe(afterScroll);

    // And the next one (a page beyond the window opened around the marker loads for it).
    await at.click();
    await expect.poll(() => onScreen(page, 'новое 90,'), poll).toBe(true);
    await expect.poll(async () => (await hubUnread()).mentions, poll).toBe(0);
    await expect.poll(() => at.count(), poll).toBe(0);
    const afterMentions = await sidebarUnread(page);
    expect(afterMentions).toBeGreaterThan(0);
    expect(afterMentions).toBeLessThan(127 - 89);

    // «↓»: to the newest; once it has been on screen, everything is read.
    await down.click();
    await expect.poll(() => onScreen(page, 'новое 127'), poll).toBe(true);
    await expect.poll(() => sidebarUnread(page), poll).toBe(0);
    await expect.poll(async () => (await hubUnread()).unread, poll).toBe(0);
    await expect.poll(() => down.count(), poll).toBe(0);

    // A new message while the user is at the bottom and looking is read once seen.
    await post('свежее');
    await expect.poll(() => onScreen(page, 'свежее'), poll).toBe(true);
    await expect.poll(async () => (await hubUnread()).unread, poll).toBe(0);
    expect(reader.errors).toEqual([]);
    // Gone, so that it reads nothing of what comes next.
    await reader.context.close();
  }, 180_000);

  it('dark and compact screens land on the divider too', async () => {
    for (let i = 1; i <= 30; i++) await post(i === 25 ? `ещё ${i}, @ivan` : `ещё ${i}`);
    const dark = await openPage(browser, { colorScheme: 'dark', width: 1280, height: 800 });
    await signIn(dark.page, hub.url, ivan.login, ivan.password);
    await dark.page.locator('.unread-divider').waitFor({ timeout: 30_000 });
    await expect.poll(() => onScreen(dark.page, 'ещё 1'), poll).toBe(true);
    await expect.poll(() => dark.page.locator('.unread-buttons .jump-mention').count(), poll).toBe(1);
    await expect
      .poll(async () => {
        const p = await placeOf(dark.page, '.unread-divider');
        return p !== null && p.top >= 0 && p.top < 120;
      }, poll)
      .toBe(true);
    await screenshot(dark.page, 'dark-30-unread-landing');
    await dark.context.close();

    for (let i = 31; i <= 60; i++) await post(`ещё ${i}`);
    const compact = await openPage(browser, { width: 420, height: 700 });
    await signIn(compact.page, hub.url, ivan.login, ivan.password);
    await compact.page.goto(`${hub.url}/?compact=1`);
    await compact.page.locator('.app.compact[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await compact.page.locator('.unread-divider').waitFor({ timeout: 30_000 });
    await expect.poll(() => compact.page.locator('.unread-buttons .jump-bottom').isVisible(), poll).toBe(true);
    await expect
      .poll(async () => {
        const p = await placeOf(compact.page, '.unread-divider');
        return p !== null && p.top >= 0 && p.top < 120;
      }, poll)
      .toBe(true);
    await screenshot(compact.page, 'compact-30-unread-landing');
    await compact.context.close();
  }, 120_000);

  it('a 600 px window collapses the sidebar behind a button, the chat takes the width, no word breaks', async () => {
    const words =
      'Достопримечательности высокопревосходительство человеконенавистничество ' +
      'переосвидетельствование электрификация водогрязеторфопарафинолечение';
    const text = `${words} ${words} ${words}`;
    await post(text);
    const narrow = await openPage(browser, { width: 600, height: 760 });
    const { page } = narrow;
    await signIn(page, hub.url, ivan.login, ivan.password);
    await page.locator('.app.compact.sidebar-closed').waitFor({ timeout: 15_000 });
    expect(await page.locator('nav.sidebar').isVisible()).toBe(false);
    const expand = page.getByRole('button', { name: 'Показать список разговоров' }).first();
    await expect.poll(() => expand.isVisible(), poll).toBe(true);
    const area = await page.locator('.message-area').boundingBox();
    expect(area!.width).toBeGreaterThan(560);

    // Whatever is still unread above, to the newest.
    const down = page.locator('.unread-buttons .jump-bottom');
    if (await down.isVisible()) await down.click();
    const row = messagesWithText(page, text);
    await row.waitFor({ timeout: 30_000 });
    await row.scrollIntoViewIfNeeded();
    // Each word lies on one line: its rectangles (one per line it spans) share a top.
    const broken = await row.locator('.msg-text').evaluate((el) => {
      const out: string[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const value = node.textContent ?? '';
        for (const m of value.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
      return out;
    });
    expect(broken).toEqual([]);
    // The text did wrap (several lines), so the check above had something to catch.
    const lines = await row.locator('.msg-text').evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
    });
    expect(lines).toBeGreaterThan(3);
    await screenshot(page, 'light-31-narrow-600');

    // The button brings the sidebar back over the chat.
    await expand.click();
    await expect.poll(() => page.locator('nav.sidebar').isVisible(), poll).toBe(true);
    await screenshot(page, 'light-32-narrow-600-sidebar');

    // Wider than 700 px: the usual layout, the sidebar beside the chat; narrower again: collapsed.
    await page.locator('.conv-item').first().click();
    await page.setViewportSize({ width: 1000, height: 760 });
    await page.locator('.app:not(.compact).sidebar-open').waitFor({ timeout: 15_000 });
    expect(await page.locator('nav.sidebar').isVisible()).toBe(true);
    await page.setViewportSize({ width: 600, height: 760 });
    await page.locator('.app.compact.sidebar-closed').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('nav.sidebar').isVisible(), poll).toBe(false);
    expect(narrow.errors).toEqual([]);
    await narrow.context.close();
  }, 120_000);
});
