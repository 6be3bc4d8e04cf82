// Hostile text in the web client, against a real hub in real Chromium: a display name, a room name,
// a topic and a message with RLO (U+202E) read in their true order, with the control shown as
// ⟨RLO⟩ and never present in the page's text; namesakes are told apart by their logins; a mail
// link with parameters and an address with credentials are text, not links; a look-alike host is
// named. Writes test-results/screenshots/hostile-text.png.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Conversation } from '../../common/protocol/model.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };

/** Every bidirectional control character (none may reach the page's text). */
const controls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** With the override obeyed, this name reads «Иван Петров»: someone else's. */
const hostileName = 'Иван \u202EвортеП';
const hostileRoom = 'Счета \u202Egnp.exe';
const hostileTopic = 'Оплата \u202Efdp.exe';
const lookalikeHost = new URL('https://\u0430pple.com/').hostname;

const texts = {
  file: '\u202Egnp.exe',
  attach: 'Отчёт: mailto:it@corp.example?attach=/etc/passwd',
  userinfo: 'Вход в банк: https://bank.example@evil.example/login',
  mail: 'Пишите: mailto:it@corp.example',
  lookalike: 'Сайт: https://\u0430pple.com/login',
};

/** The visible text of the page, as a person would copy it. */
const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);

/**
 * Whether the first "g" of `gnp.exe` inside `selector` is drawn left of its last "e" (the true
 * order) — measured on the laid-out glyphs, not on the DOM text.
 */
function gnpReadsInOrder(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    if (!root) throw new Error(`${sel} is not on the page`);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const at = text.indexOf('gnp.exe');
      if (at < 0) continue;
      const x = (i: number) => {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return range.getBoundingClientRect().left;
      };
      return x(at) < x(at + 6);
    }
    throw new Error(`no gnp.exe in ${sel}`);
  }, selector);
}

describe('hostile text in the web client', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivanov: { id: number; login: string; password: string };
  let namesake: { id: number; login: string; password: string };
  let mallory: { id: number; login: string; password: string };
  let room: Conversation;
  let a: WatchedPage;

  beforeAll(async () => {
    hub = await startHub();
    ivanov = await hub.addUser('ivanov', 'Иван Иванов');
    namesake = await hub.addUser('ivanov.s', 'Иван Иванов');
    // The hub may refuse direction controls in names (it should); names stored before it did, or
    // by an import, still reach the client, so then they are put into the database directly.
    const stored: { users: [number, string][]; rooms: [number, string, string][] } = { users: [], rooms: [] };
    try {
      mallory = await hub.addUser('mallory', hostileName);
    } catch {
      mallory = await hub.addUser('mallory', 'Иван Вортеп');
      stored.users.push([mallory.id, hostileName]);
    }
    const { token } = await hub.login(mallory.login, mallory.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    try {
      const create = (name: string, topic: string) =>
        socket.request<{ conversation: Conversation }>('rooms.create', {
          name,
          kind: 'open',
          topic,
          members: [ivanov.id, namesake.id],
        });
      try {
        room = (await create(hostileRoom, hostileTopic)).conversation;
      } catch {
        room = (await create('Счета gnp', 'Оплата')).conversation;
        stored.rooms.push([room.id, hostileRoom, hostileTopic]);
      }
      let n = 0;
      for (const text of Object.values(texts))
        await socket.request('send', { conversationId: room.id, clientId: `hostile-${++n}-xxxxxxxx`, text });
    } finally {
      socket.close();
    }
    if (stored.users.length + stored.rooms.length > 0) {
      await hub.stop();
      const db = new Database(path.join(hub.dataDir, 'beseda.db'));
      try {
        for (const [id, name] of stored.users) db.prepare('UPDATE users SET name = ? WHERE id = ?').run(name, id);
        for (const [id, name, topic] of stored.rooms)
          db.prepare('UPDATE conversations SET name = ?, topic = ? WHERE id = ?').run(name, topic, id);
      } finally {
        db.close();
      }
      await hub.restart();
    }
    browser = await launchBrowser();
    a = await openPage(browser);
    await signIn(a.page, hub.url, ivanov.login, ivanov.password);
    await a.page.locator('nav.sidebar .conv-item', { hasText: '⟨RLO⟩' }).click();
    await a.page.locator('.msg-text', { hasText: 'gnp.exe' }).waitFor({ timeout: 20_000 });
    await a.page.locator('.link-lookalike').waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('shows names, the room name, its topic and messages in their true order, controls made visible', async () => {
    const { page } = a;
    const text = await bodyText(page);
    expect(text).not.toMatch(controls);
    expect(text).not.toContain('exe.png');
    expect(text).not.toContain('exe.pdf');
    // The impersonation fails: the name reads as written.
    expect(text).not.toContain('Иван Петров');
    expect(text).toContain('Иван ⟨RLO⟩вортеП');

    const message = page.locator('[data-message-row]', { has: page.locator('.msg-text', { hasText: 'gnp.exe' }) });
    expect(await message.locator('.msg-text').innerText()).toBe('⟨RLO⟩gnp.exe');
    expect(await page.locator('.conv-header h1').innerText()).toBe('Счета ⟨RLO⟩gnp.exe');
    expect(await page.locator('.conv-topic').innerText()).toBe('Оплата ⟨RLO⟩fdp.exe');
    expect(await page.locator('nav.sidebar .conv-item', { hasText: '⟨RLO⟩' }).innerText()).toContain(
      'Счета ⟨RLO⟩gnp.exe',
    );
    // The system line names the creator (and the room) as isolated pieces.
    const created = page.locator('.msg-system-text').first();
    expect(await created.locator('bdi').count()).toBeGreaterThanOrEqual(2);
    expect(await created.innerText()).toContain('Иван ⟨RLO⟩вортеП');
    // Hints, labels and placeholders carry no control either.
    const attributes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[title], [aria-label], [placeholder]')).flatMap((el) =>
        ['title', 'aria-label', 'placeholder'].map((name) => el.getAttribute(name) ?? ''),
      ),
    );
    expect(attributes.join('\n')).not.toMatch(controls);
    expect(attributes).toContain('Сообщение в «Счета ⟨RLO⟩gnp.exe»');

    // Laid out, the letters of the message, the header and the sidebar entry stand in their order.
    expect(await gnpReadsInOrder(page, `[data-seq="${await message.getAttribute('data-seq')}"] .msg-text`)).toBe(true);
    expect(await gnpReadsInOrder(page, '.conv-header h1')).toBe(true);
    expect(await gnpReadsInOrder(page, 'nav.sidebar .conv-item.active')).toBe(true);
    // The measurement does see an obeyed override: the same text put raw into the page reverses.
    await page.evaluate(() => {
      const probe = document.createElement('p');
      probe.id = 'raw-probe';
      probe.textContent = '\u202Egnp.exe';
      document.body.append(probe);
    });
    expect(await gnpReadsInOrder(page, '#raw-probe')).toBe(false);
    await page.evaluate(() => document.getElementById('raw-probe')?.remove());
    expect(a.errors).toEqual([]);
    expect(a.cspViolations).toEqual([]);
  }, 60_000);

  it('tells namesakes apart by their logins: hover hints, the members list and the people picker', async () => {
    const { page } = a;
    const author = page.locator('.msg-name').first();
    expect(await author.getAttribute('title')).toBe('Иван ⟨RLO⟩вортеП · mallory');
    expect(await page.locator('.msg-gutter .avatar').first().getAttribute('title')).toBe('Иван ⟨RLO⟩вортеП · mallory');

    await page.getByRole('button', { name: /^Участники/ }).click();
    const names = page.locator('.members-panel .person-name');
    await expect.poll(() => names.count(), poll).toBe(3);
    const shown = await names.allTextContents();
    expect(shown).toEqual(
      expect.arrayContaining(['Иван Иванов · ivanov', 'Иван Иванов · ivanov.s', 'Иван ⟨RLO⟩вортеП · mallory']),
    );
    expect((await names.allInnerTexts()).join('\n')).not.toMatch(controls);
    // However long the name, the login after it stays whole (the name shrinks instead).
    const line = page.locator('.members-panel .person-text', { hasText: 'mallory' });
    const login = await line.locator('.person-login').boundingBox();
    const room = await line.boundingBox();
    expect(login && room && login.x + login.width <= room.x + room.width + 0.5).toBe(true);
    // A system line's names carry their logins as hints: «пригласил: Иван Иванов и Иван Иванов».
    const invited = page.locator('.msg-system-text', { hasText: 'пригласил' });
    const hints = await invited.locator('bdi[title]').evaluateAll((els) => els.map((el) => el.getAttribute('title')));
    expect(hints).toEqual(['Иван ⟨RLO⟩вортеП · mallory', 'Иван Иванов · ivanov', 'Иван Иванов · ivanov.s']);
    await screenshot(page, 'hostile-text');

    await page.getByRole('button', { name: 'Написать сотруднику' }).click();
    const dialog = page.getByRole('dialog', { name: 'Написать сотруднику' });
    await dialog.getByRole('searchbox').fill('Иван');
    const results = dialog.locator('.result .person-name');
    await expect.poll(() => results.count(), poll).toBe(2);
    expect(await results.allTextContents()).toEqual(
      expect.arrayContaining(['Иван Иванов · ivanov.s', 'Иван ⟨RLO⟩вортеП · mallory']),
    );
    await screenshot(page, 'hostile-text-picker');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  }, 60_000);

  it('makes no link of a mail link with parameters or an address with credentials', async () => {
    const { page } = a;
    const hrefs = await page.locator('.msg-text a').evaluateAll((els) => els.map((el) => el.getAttribute('href')));
    expect(hrefs).toContain('mailto:it@corp.example');
    for (const href of hrefs) {
      expect(href).not.toContain('attach');
      expect(href).not.toContain('evil.example');
    }
    const row = (text: string) => page.locator('.msg-text', { hasText: text });
    expect(await row('?attach=').innerText()).toBe(texts.attach);
    expect(await row('?attach=').locator('a').count()).toBe(0);
    expect(await row('bank.example@').innerText()).toBe(texts.userinfo);
    expect(await row('bank.example@').locator('a').count()).toBe(0);
    // A host written in mixed alphabets: the link says where it really goes.
    const lookalike = page.locator('.link-lookalike');
    expect(await lookalike.locator('a').getAttribute('title')).toBe(`https://${lookalikeHost}/login`);
    expect(await lookalike.locator('.link-real-host').innerText()).toContain(lookalikeHost);
  }, 30_000);

  it('names a typist with a hostile name without the control', async () => {
    const { token } = await hub.login(mallory.login, mallory.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    try {
      await socket.request('typing', { conversationId: room.id });
      const typing = a.page.locator('.typing');
      await expect.poll(() => typing.innerText(), poll).toContain('⟨RLO⟩вортеП');
      expect(await typing.innerText()).not.toMatch(controls);
    } finally {
      socket.close();
    }
  }, 30_000);
});
