// Web notifications (issue 14) in Chromium with the real hub: a recorded `new Notification` when
// the browser allows them (title and body, Markdown stripped), the hub's per-conversation level and
// mute obeyed (set from the header's bell menu and stored on the hub), the sound switch, a click
// opening the conversation; with permission not given: never asked on page load, a banner after the
// first message, the browser's refusal, and in-page toasts instead; in the compact layout a new
// direct message is a bar at the top. Screenshots (light, dark, compact) go to test-results/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Conversation } from '../../common/protocol/model.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person } from '../hub/connect.ts';
import type { Person } from '../hub/connect.ts';
import { conversationItem, launchBrowser, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };

/** Records every `new Notification(...)`, the permission requests and the chimes the page makes. */
const recorder = `
  window.__notes = [];
  window.__asks = 0;
  window.__chimes = 0;
  const Real = window.Notification;
  if (Real) {
    window.Notification = new Proxy(Real, {
      construct(target, args) {
        const n = Reflect.construct(target, args);
        window.__notes.push({ title: args[0], body: args[1] && args[1].body, tag: args[1] && args[1].tag });
        window.__lastNote = n;
        return n;
      },
      get(target, prop) {
        if (prop === 'requestPermission') return (...a) => { window.__asks++; return target.requestPermission(...a); };
        return Reflect.get(target, prop);
      },
    });
  }
  const osc = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__chimes++; return osc.call(this); };
`;

type Note = { title: string; body: string; tag: string };
const notes = (page: Page) => page.evaluate(() => (window as unknown as { __notes: Note[] }).__notes);
const chimes = (page: Page) => page.evaluate(() => (window as unknown as { __chimes: number }).__chimes);
/** An in-page message notice with this title and body. */
const messageToast = (page: Page, title: string, body: string) =>
  page
    .locator('.message-toast', {
      has: page.locator('.message-toast-title', { hasText: title }),
    })
    .filter({ has: page.locator('.message-toast-body', { hasText: body }) });
const asks = (page: Page) => page.evaluate(() => (window as unknown as { __asks: number }).__asks);

describe('web notifications', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivan: { id: number; login: string; password: string };
  let maria: Person;
  let dm: Conversation;
  let warehouse: Conversation;
  const pages: WatchedPage[] = [];

  const send = (conversationId: number, text: string) =>
    maria.socket.request('send', { conversationId, text, clientId: cid('n') });

  /** Иван's page: notifications granted (or not), the recorder installed before the app starts. */
  async function ivanPage(options: {
    grant: boolean;
    colorScheme?: 'light' | 'dark';
    compact?: boolean;
    width?: number;
  }) {
    const w = await openPage(browser, { colorScheme: options.colorScheme, width: options.width });
    pages.push(w);
    if (options.grant) await w.context.grantPermissions(['notifications'], { origin: new URL(hub.url).origin });
    await w.page.addInitScript({ content: recorder });
    await signIn(w.page, hub.url, ivan.login, ivan.password);
    if (options.compact) {
      await w.page.goto(`${hub.url}/?compact=1`);
      await w.page.locator('.app.compact[data-connection="connected"]').waitFor({ timeout: 15_000 });
    }
    return w;
  }

  beforeAll(async () => {
    hub = await startHub();
    ivan = await hub.addUser('ivan', 'Иван Петров');
    maria = await person(hub, 'maria', 'Мария Иванова');
    dm = (await maria.socket.request<{ conversation: Conversation }>('direct.open', { userId: ivan.id })).conversation;
    warehouse = (
      await maria.socket.request<{ conversation: Conversation }>('rooms.create', {
        name: 'Склад',
        kind: 'open',
        members: [ivan.id],
      })
    ).conversation;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    maria?.socket.close();
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('granted: direct messages, mentions and room messages notify as the desktop does, Markdown stripped; a click opens the conversation', async () => {
    const { page, errors } = await ivanPage({ grant: true });
    await send(dm.id, '**Срочно**: зайди в _бухгалтерию_, см. [счёт](https://example.com/s)');
    await expect
      .poll(() => notes(page), poll)
      .toContainEqual({
        title: 'Мария Иванова',
        body: 'Срочно: зайди в бухгалтерию, см. счёт',
        tag: `beseda-${dm.id}`,
      });
    expect(await chimes(page)).toBeGreaterThan(0);
    // A room message (rooms notify every message by default); the general room only for mentions.
    await send(warehouse.id, 'Пришла поставка');
    await expect
      .poll(() => notes(page), poll)
      .toContainEqual(expect.objectContaining({ title: 'Мария Иванова · Склад' }));
    // The general room is on screen in a focused page: nothing for it. Looking at Склад instead:
    // a plain message there stays quiet (its level is mentions), a mention notifies.
    await conversationItem(page, 'Склад').click();
    const general = maria.generalId;
    await send(general, 'Всем доброе утро');
    await send(general, '@ivan посмотри график');
    await expect
      .poll(async () => (await notes(page)).map((n) => n.title), poll)
      .toContainEqual(expect.stringMatching(/^Мария Иванова упоминает вас · /));
    expect((await notes(page)).some((n) => n.body === 'Всем доброе утро')).toBe(false);
    // Asked nothing: permission was already given.
    expect(await asks(page)).toBe(0);

    // A click on the (last: the mention's) notification opens the general room, away from Склад.
    await page.evaluate(() => {
      const n = (window as unknown as { __lastNote: Notification }).__lastNote;
      n.onclick?.(new Event('click'));
    });
    await expect.poll(() => page.locator('.conv-header h1').textContent(), poll).toContain('Общий');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the bell menu mutes and sets levels on the hub: quiet rooms notify nothing, show a crossed bell and grey badges; the sound switch', async () => {
    const { page, errors } = await ivanPage({ grant: true });
    await conversationItem(page, 'Склад').click();
    await page.getByRole('button', { name: /^Уведомления:/ }).click();
    const menu = page.getByRole('menu', { name: 'Уведомления' });
    await expect.poll(() => menu.isVisible(), poll).toBe(true);
    expect(await menu.getByRole('menuitemradio', { name: 'О всех сообщениях' }).getAttribute('aria-checked')).toBe(
      'true',
    );
    await screenshot(page, 'notify-menu-light');
    await menu.getByRole('menuitem', { name: 'Пока не включу' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Уведомления: Без звука' }).count(), poll).toBe(1);

    // Stored on the hub: another device of Иван's hears it.
    const { token } = await hub.login(ivan.login, ivan.password);
    const phone = await TestSocket.open(hub.wsUrl, token);
    expect(phone.hello.conversations.find((c) => c.id === warehouse.id)!.mutedUntil).toBeNull();

    // Away from the room, a mention there makes nothing (not even a sound), but counts in grey with a crossed bell.
    await page.locator('nav.sidebar .conv-item').first().click();
    const before = (await notes(page)).length;
    const chimed = await chimes(page);
    await send(warehouse.id, '@ivan проверь остатки');
    await expect.poll(() => conversationItem(page, 'Склад').locator('.badge.badge-quiet').count(), poll).toBe(1);
    expect(await conversationItem(page, 'Склад').locator('[data-muted]').count()).toBe(1);
    // A direct message still notifies: it proves the mention had its chance to come first.
    await send(dm.id, 'А это личное');
    await expect.poll(async () => (await notes(page)).map((n) => n.body), poll).toContain('А это личное');
    expect((await notes(page)).slice(before).map((n) => n.body)).toEqual(['А это личное']);
    expect(await chimes(page)).toBeGreaterThan(chimed);
    await screenshot(page, 'notify-sidebar-muted-light');

    // Unmute and set «Ничего» from the menu: still nothing for the room; the level reaches the phone.
    await conversationItem(page, 'Склад').click();
    await page.getByRole('button', { name: /^Уведомления:/ }).click();
    await menu.getByRole('menuitem', { name: 'Включить уведомления' }).click();
    await page.getByRole('button', { name: /^Уведомления:/ }).click();
    await menu.getByRole('menuitemradio', { name: 'Ничего' }).click();
    const onPhone = async () =>
      (await phone.request<{ conversations: Conversation[] }>('conversations.list')).conversations.find(
        (c) => c.id === warehouse.id,
      )!;
    await expect.poll(async () => (await onPhone()).notify, poll).toBe('none');
    expect((await onPhone()).mutedUntil).toBeUndefined();
    expect(
      phone.all('conversation').some((f) => f.conversation.id === warehouse.id && f.conversation.notify === 'none'),
    ).toBe(true);

    // The sound off (this browser only): the next direct message notifies without a chime.
    await page.getByRole('button', { name: /^Уведомления:/ }).click();
    await menu.getByRole('menuitemcheckbox', { name: 'Звук' }).click();
    expect(await page.evaluate(() => localStorage.getItem('beseda.notify.sound'))).toBe('0');
    await page.locator('nav.sidebar .conv-item').first().click();
    const quiet = await chimes(page);
    await send(dm.id, 'Без звука, но видно');
    await expect.poll(async () => (await notes(page)).map((n) => n.body), poll).toContain('Без звука, но видно');
    expect(await chimes(page)).toBe(quiet);
    await phone.request('conversations.notify', { conversationId: warehouse.id, notify: 'default' });
    phone.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('not allowed: nothing asked on page load; the first message shows a toast and the offer; the browser refuses; toasts after', async () => {
    const { page, errors } = await ivanPage({ grant: false });
    await page.locator('.conv-header').waitFor();
    expect(await page.evaluate(() => Notification.permission)).toBe('default');
    expect(await page.locator('.ask-notify').count()).toBe(0);
    expect(await asks(page)).toBe(0);

    await send(dm.id, 'Ты на месте?');
    const toast = messageToast(page, 'Мария Иванова', 'Ты на месте?');
    await expect.poll(() => toast.count(), poll).toBe(1);
    await expect.poll(() => page.locator('.ask-notify').isVisible(), poll).toBe(true);
    await screenshot(page, 'notify-ask-light');
    // Headless Chromium refuses (as a user who clicks «Block» would).
    await page.locator('.ask-notify').getByRole('button', { name: 'Включить' }).click();
    await expect
      .poll(() => page.locator('.toast', { hasText: 'Уведомления запрещены в браузере' }).count(), poll)
      .toBe(1);
    expect(await asks(page)).toBe(1);
    expect(await page.locator('.ask-notify').count()).toBe(0);
    await send(dm.id, '**Жду** ответа');
    await expect.poll(() => messageToast(page, 'Мария Иванова', 'Жду ответа').count(), poll).toBe(1);
    expect(await notes(page)).toEqual([]);
    await screenshot(page, 'notify-denied-toast-light');
    // A click on the notice opens the conversation.
    await messageToast(page, 'Мария Иванова', 'Жду ответа')
      .getByRole('button', { name: /Жду ответа/ })
      .click();
    await expect.poll(() => page.locator('.conv-header h1').textContent(), poll).toContain('Мария Иванова');
    await expect.poll(() => messageToast(page, 'Мария Иванова', 'Жду ответа').count(), poll).toBe(0);

    // After a reload the offer does not come back (asked once in this browser).
    await page.reload();
    await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await page.locator('nav.sidebar .conv-item').first().click();
    await send(dm.id, 'Ещё раз');
    await expect.poll(() => messageToast(page, 'Мария Иванова', 'Ещё раз').count(), poll).toBe(1);
    expect(await page.locator('.ask-notify').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a hidden tab: the title blinks for a direct message, not for a muted room', async () => {
    const { page, errors } = await ivanPage({ grant: true });
    await page.locator('.conv-header').waitFor();
    const { token } = await hub.login(ivan.login, ivan.password);
    const phone = await TestSocket.open(hub.wsUrl, token);
    await phone.request('conversations.notify', { conversationId: warehouse.id, mutedUntil: null });
    await expect.poll(() => conversationItem(page, 'Склад').locator('[data-muted]').count(), poll).toBe(1);
    await page.evaluate(`(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    })()`);
    const titles = new Set<string>();
    const watch = setInterval(
      () =>
        void page.title().then(
          (t) => titles.add(t),
          () => undefined,
        ),
      100,
    );
    try {
      const badge = conversationItem(page, 'Склад').locator('.badge');
      const unread = async () => ((await badge.count()) ? Number(await badge.getAttribute('data-unread')) : 0);
      const before = await unread();
      await send(warehouse.id, 'Тихо в муте');
      await expect.poll(unread, poll).toBe(before + 1);
      // A blink starts with the alert in the title, in the same update as the badge.
      expect(await page.title()).not.toContain('✉');
      expect([...titles].some((t) => t.includes('✉'))).toBe(false);
      await send(dm.id, 'А это громко');
      await expect.poll(() => titles.has('✉ Новое сообщение'), poll).toBe(true);
      // The muted room's message came first and made no blink of its own: the blink began with the direct one.
      expect((await notes(page)).map((n) => n.body)).toEqual(['А это громко']);
    } finally {
      clearInterval(watch);
    }
    await phone.request('conversations.notify', { conversationId: warehouse.id, mutedUntil: 0 });
    phone.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('compact layout (a 1C form): a new direct message is a bar at the top until opened; dark theme', async () => {
    const { page, errors } = await ivanPage({ grant: true, compact: true, width: 420, colorScheme: 'dark' });
    await page.locator('.conv-header').waitFor();
    await send(dm.id, 'Срочно позвони');
    const bar = page.locator('.urgent-dm');
    await expect.poll(() => bar.isVisible(), poll).toBe(true);
    expect(await bar.textContent()).toContain('Мария Иванова');
    expect(await bar.getAttribute('role')).toBe('alert');
    const box = await bar.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(36);
    expect(box!.width).toBeGreaterThan(300);
    await screenshot(page, 'notify-compact-dm-dark');
    await bar.getByRole('button', { name: 'Открыть' }).click();
    await expect.poll(() => page.locator('.conv-header h1').textContent(), poll).toContain('Мария Иванова');
    await expect.poll(() => bar.count(), poll).toBe(0);
    await page.getByRole('button', { name: /^Уведомления:/ }).click();
    await screenshot(page, 'notify-menu-compact-dark');
    expect(errors).toEqual([]);
    await page.close();
  });
});
