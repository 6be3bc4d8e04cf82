// The web client keeps no session token in localStorage (issue 16): the session lives in the hub's
// HttpOnly, SameSite=Strict cookie; the page signs in, chats, survives a reload and signs out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser, messagesWithText, openPage, signIn, type WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };

describe('web client: the session in an HttpOnly cookie, not in localStorage', () => {
  let hub: TestHub;
  let browser: Browser;
  let page: WatchedPage;
  let ivan: { id: number; login: string; password: string };

  beforeAll(async () => {
    hub = await startHub();
    ivan = await hub.addUser('ivan', 'Иван Петров');
    browser = await launchBrowser();
    page = await openPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  const storageValues = () => page.page.evaluate(() => Object.values({ ...localStorage }).join('\n'));
  const sessionCookie = async () => (await page.context.cookies()).find((c) => c.name === 'beseda_session');

  it('signs in and chats with no token in localStorage, and the page cannot read the cookie', async () => {
    await signIn(page.page, hub.url, ivan.login, ivan.password);
    const cookie = await sessionCookie();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const saved = await storageValues();
    expect(saved).toContain('"token":"cookie"');
    expect(saved).not.toContain(cookie!.value);
    expect(await page.page.evaluate(() => document.cookie)).not.toContain(cookie!.value);

    // The session is the cookie's: another person hears the page's message.
    const maria = await hub.addUser('maria', 'Мария Иванова');
    const { token } = await hub.login('maria', maria.password);
    const ear = await TestSocket.open(hub.wsUrl, token);
    await page.page.getByRole('textbox', { name: 'Текст сообщения' }).fill('Сессия в cookie');
    const heard = await ear.nextAfter(() => page.page.keyboard.press('Enter'), 'message');
    expect(heard.message).toMatchObject({ text: 'Сессия в cookie', senderId: ivan.id });
    ear.close();
    // The API answers the page's cookie only with the CSRF header.
    const statuses = await page.page.evaluate(async () => {
      const plain = await fetch('/api/v1/me');
      const withHeader = await fetch('/api/v1/me', { headers: { 'x-beseda-session': 'cookie' } });
      return [plain.status, withHeader.status];
    });
    expect(statuses).toEqual([401, 200]);
  }, 60_000);

  it('stays signed in after a reload (the cookie, not a saved token)', async () => {
    await page.page.reload();
    await page.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => messagesWithText(page.page, 'Сессия в cookie').count(), poll).toBe(1);
    expect(await storageValues()).not.toContain((await sessionCookie())!.value);
  }, 60_000);

  it('renews the session silently while in use: a new cookie, the old session ended, still chatting', async () => {
    const before = (await sessionCookie())!.value;
    // The page's sockets and requests, timed, for the story should the renewal not come.
    const trace: string[] = [];
    const at = () => new Date().toISOString().slice(11, 23);
    page.page.on('websocket', (ws) => {
      trace.push(`${at()} socket opened`);
      ws.on('close', () => trace.push(`${at()} socket closed`));
      ws.on('framesent', (f) => {
        const text = String(f.payload);
        if (!text.includes('"type":"received"')) trace.push(`${at()} sent ${text.slice(0, 80)}`);
      });
      ws.on('framereceived', (f) => {
        const text = String(f.payload);
        if (/"type":"(result|error|hello)"/.test(text)) trace.push(`${at()} got ${text.slice(0, 80)}`);
      });
    });
    page.page.on('request', (r) => r.url().includes('/api/') && trace.push(`${at()} ${r.method()} ${r.url()}`));
    page.page.on('response', (r) => r.url().includes('/api/') && trace.push(`${at()} ${r.status()} ${r.url()}`));
    // The page's clock jumps past renewAfter (a quarter of the 30 idle days); the hub's is real.
    await page.page.clock.install();
    await page.page.reload();
    await page.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await page.page.clock.fastForward(8 * 24 * 3600_000);
    // What the hub and the page said, should the renewal not come (a CI run once saw that).
    const story = () =>
      [
        ...hub.output.filter((line) => /session|websocket|upgrade/i.test(line)).slice(-12),
        ...page.errors.slice(-5),
        ...trace.slice(-40),
      ].join('\n');
    try {
      await expect.poll(async () => (await sessionCookie())?.value, poll).not.toBe(before);
    } catch (err) {
      throw new Error(`no renewal: ${String(err)}\n${story()}`);
    }
    const after = (await sessionCookie())!.value;
    expect(await storageValues()).not.toContain(after);
    const old = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${before}` } });
    await old.text();
    expect(old.status).toBe(401);
    await page.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await page.page.getByRole('textbox', { name: 'Текст сообщения' }).fill('После продления');
    await page.page.keyboard.press('Enter');
    await expect.poll(() => messagesWithText(page.page, 'После продления').count(), poll).toBe(1);
    // Acknowledged by the hub on the renewed session: the row has its seq.
    await expect
      .poll(() => messagesWithText(page.page, 'После продления').getAttribute('data-seq'), poll)
      .toMatch(/^[1-9]/);
  }, 60_000);

  it('two tabs renewing at once: one renews, the other takes the shared cookie’s new session', async () => {
    // Playwright's clock belongs to the browser context: moving it moves both tabs, so both try.
    const second = await page.context.newPage();
    const sockets = new Map<unknown, number>([
      [page.page, 0],
      [second, 0],
    ]);
    page.page.on('websocket', () => sockets.set(page.page, sockets.get(page.page)! + 1));
    second.on('websocket', () => sockets.set(second, sockets.get(second)! + 1));
    await second.goto(hub.url);
    await second.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
    const before = (await sessionCookie())!.value;
    const renewals = () => hub.output.filter((line) => line.includes('"session renewed"')).length;
    const renewedBefore = renewals();
    await page.page.clock.fastForward(8 * 24 * 3600_000);
    await expect.poll(async () => (await sessionCookie())?.value, poll).not.toBe(before);
    // Each tab opened a new socket: the winner with its renewed session, the other after asking the
    // hub whether the shared cookie holds a live session (its own was revoked by the winner).
    await expect.poll(() => [...sockets.values()], poll).toEqual([1, 2]);
    expect(renewals() - renewedBefore).toBe(1);
    for (const tab of [page.page, second]) {
      await tab.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
      expect(await tab.locator('input[name="password"]').count()).toBe(0);
    }
    await second.getByRole('textbox', { name: 'Текст сообщения' }).fill('Из второй вкладки');
    await second.keyboard.press('Enter');
    await expect
      .poll(() => messagesWithText(second, 'Из второй вкладки').getAttribute('data-seq'), poll)
      .toMatch(/^[1-9]/);
    await second.close();
  }, 60_000);

  it('signing out ends the session on the hub and clears the cookie', async () => {
    const value = (await sessionCookie())!.value;
    await page.page.getByRole('button', { name: /Мой статус и настройки/ }).click();
    await page.page.getByRole('menuitem', { name: 'Выйти' }).click();
    await page.page.locator('input[name="password"]').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await sessionCookie())?.value ?? null, poll).toBeNull();
    const me = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${value}` } });
    await me.text();
    expect(me.status).toBe(401);
    expect(await storageValues()).toContain('"token":null');
  }, 60_000);
});
