// The web client opened through an embed link in Chromium — as a 1C form's HTML field opens it,
// top-level and framed by another origin — ends up signed in as that person, with the one-time
// code gone from the address; a refused code is explained above the sign-in form. Needs the
// renderer's side (it exchanges `#embed=<code>` with POST /api/v1/embed-links/redeem): until the
// built web client does, this suite is skipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, signIn, type WatchedPage } from '../e2e/browser.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { addBot, http as request } from './integrationHelpers.ts';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** Whether the built web client redeems embed codes (the renderer's part of embedding). */
function webClientRedeemsEmbedCodes(): boolean {
  const assets = path.join(webRoot, 'assets');
  if (!existsSync(assets)) return false;
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(path.join(assets, f), 'utf8').includes('embed-links/redeem'));
}

const poll = { timeout: 20_000, interval: 100 };

describe.skipIf(!webClientRedeemsEmbedCodes())('web client signed in through an embed link (Chromium)', () => {
  let hub: TestHub;
  let browser: Browser;
  let frameHost: http.Server;
  let frameOrigin: string;
  let embedder: string;
  let maria: { login: string; password: string };

  beforeAll(async () => {
    // A stand-in for the 1C web client's origin, which frames the chat.
    frameHost = http.createServer((req, res) => {
      const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>1C</title><iframe id="chat" src="${src.replace(/"/g, '')}" width="800" height="600"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => frameHost.listen(0, '127.0.0.1', resolve));
    frameOrigin = `http://127.0.0.1:${(frameHost.address() as AddressInfo).port}`;
    hub = await startHub({ args: ['--frame-ancestors', frameOrigin] });
    embedder = (await addBot(hub, 'onec-web', { name: '1С:Документооборот', embed: true })).token;
    await hub.addUser('ivanov', 'Иван Иванов');
    maria = await hub.addUser('maria', 'Мария Петрова');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await new Promise((resolve) => frameHost?.close(resolve));
  });

  const link = async (login: string) => {
    const res = await request(hub, 'POST', '/api/v1/embed-links', { token: embedder, json: { login } });
    expect(res.status, res.text).toBe(201);
    return res.body.url as string;
  };

  /** The signed-in person as the page's saved session says, or null. */
  const signedInAs = (page: Page) =>
    page.evaluate(() => {
      const saved = JSON.parse(localStorage.getItem('beseda.session') ?? 'null') as { me?: { login?: string } } | null;
      return saved?.me?.login ?? null;
    });

  it('opened top-level: signed in, compact, the code gone from the address; bot messages arrive live', async () => {
    const w: WatchedPage = await openPage(browser);
    await w.page.goto(await link('ivanov'));
    await w.page.locator('div.app nav.sidebar').waitFor({ state: 'attached', timeout: 20_000 });
    expect(await signedInAs(w.page)).toBe('ivanov');
    expect(w.page.url()).toMatch(/\/\?compact=1$/);
    expect(await w.page.locator('input[name="password"]').count()).toBe(0);

    const sent = await request(hub, 'POST', '/api/v1/messages', {
      token: embedder,
      json: { to: '@ivanov', text: 'Документ согласован' },
    });
    expect(sent.status).toBe(201);
    await expect
      .poll(() => w.page.locator('nav.sidebar .conv-name', { hasText: '1С:Документооборот' }).count(), poll)
      .toBe(1);
    expect(w.errors).toEqual([]);
    expect(w.cspViolations).toEqual([]);
    await w.context.close();
  }, 60_000);

  it('framed by the 1C origin: signed in inside the frame', async () => {
    const w = await openPage(browser);
    await w.page.goto(`${frameOrigin}/?src=${encodeURIComponent(await link('ivanov'))}`);
    const frame = w.page.frameLocator('#chat');
    await frame.locator('div.app nav.sidebar').waitFor({ state: 'attached', timeout: 20_000 });
    expect(w.cspViolations).toEqual([]);
    await w.context.close();
  }, 60_000);

  it('a link opened a second time signs nobody in', async () => {
    const url = await link('ivanov');
    const first = await openPage(browser);
    await first.page.goto(url);
    await first.page.locator('div.app nav.sidebar').waitFor({ state: 'attached', timeout: 20_000 });
    const second = await openPage(browser);
    const res = await second.page.goto(url);
    expect(res?.status()).toBe(410);
    expect(await signedInAs(second.page)).toBeNull();
    await first.context.close();
    await second.context.close();
  }, 60_000);

  it("replaces a session saved in the browser with the link's person", async () => {
    const w = await openPage(browser);
    await signIn(w.page, hub.url, maria.login, maria.password);
    expect(await signedInAs(w.page)).toBe('maria');
    await w.page.goto(await link('ivanov'));
    await expect.poll(() => signedInAs(w.page), poll).toBe('ivanov');
    await w.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 20_000 });
    expect(w.errors).toEqual([]);
    await w.context.close();
  }, 60_000);

  for (const [locale, expired] of [
    ['ru-RU', 'Ссылка для входа устарела — откройте форму ещё раз'],
    ['en-US', 'The sign-in link has expired — open the form again'],
  ] as const) {
    it(`says the link has expired above the sign-in form when the hub refuses the code (${locale})`, async () => {
      const w = await openPage(browser, { locale });
      // Well-formed, but no link ever handed it out: the hub answers 401 as for a used code.
      await w.page.goto(`${hub.url}/?compact=1#embed=${'A'.repeat(43)}`);
      const alert = w.page.locator('.signin-card [role="alert"]');
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.textContent()).toBe(expired);
      expect(w.page.url()).toMatch(/\/\?compact=1$/);
      expect(await w.page.locator('input[name="password"]').count()).toBe(1);
      expect(await signedInAs(w.page)).toBeNull();
      // Signing in with a password still works from there.
      await w.page.locator('input[name="login"]').fill(maria.login);
      await w.page.locator('input[name="password"]').fill(maria.password);
      await w.page.locator('button[type="submit"]').click();
      await w.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 20_000 });
      expect(await signedInAs(w.page)).toBe('maria');
      expect(w.cspViolations).toEqual([]);
      await w.context.close();
    }, 60_000);
  }
});
