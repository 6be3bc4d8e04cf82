// Links in the chat embedded in a 1C form (docs/embedding.md). The thin client shows the embed
// link's page (`?compact=1`) as the top document of its HTML field; the form's `ПриНажатии` gets
// each click with the anchor's href, sets СтандартнаяОбработка = Ложь and opens the link itself.
// So, embedded, message links are plain anchors (right href, target=_blank, no handler that
// prevents the default or calls window.open), and a 1C navigation link — bare `e1cib/…`, `e1c://…`
// or a full `https://host/base/#e1cib/…` — is one such anchor. Checked in real Chromium against a
// real hub: a document-level click listener stands in for 1C's hook.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { launchBrowser, openPage, signIn, type WatchedPage } from './browser.ts';

const web = 'https://example.test/orders?id=17';
const bare = 'e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2c3d4';
const full = 'https://1c.corp.local/trade/#e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2c3d4';
const app = 'e1c://server/1c.corp.local/trade#e1cib/list/Документ.ЗаказКлиента';
// The hub keeps the text; the anchor carries the address as the URL parser writes it (Cyrillic
// percent-encoded), which is what a browser or the OS is handed.
const fullHref = new URL(full).href;
const text = `Заказ ${web} и ${bare} или ${full}, из приложения ${app}`;

/** What the stand-in for 1C's ПриНажатии saw of each click. */
interface SeenClick {
  href: string | null;
  target: string | null;
  preventedBefore: boolean;
}

/**
 * Counts window.open calls and, while `hook` is set, records clicks as 1C does and cancels them.
 * The listener is added once per page; later calls only switch it.
 */
async function watchClicks(page: Page, hook: boolean): Promise<void> {
  await page.evaluate((cancel) => {
    const w = window as unknown as { opened: string[]; seen: unknown[]; hooked?: { on: boolean } };
    w.opened = [];
    w.seen = [];
    if (w.hooked) {
      w.hooked.on = cancel;
      return;
    }
    const hooked = { on: cancel };
    w.hooked = hooked;
    const open = window.open.bind(window);
    window.open = (url?: string | URL, ...rest: unknown[]) => {
      w.opened.push(String(url));
      return open(url, ...(rest as [string?, string?]));
    };
    // Bubbling at the document, after the page's own handlers: what 1C's ПриНажатии gets.
    document.addEventListener('click', (e) => {
      if (!hooked.on) return;
      const a = (e.target as Element).closest('a');
      w.seen.push({
        href: a?.getAttribute('href') ?? null,
        target: a?.getAttribute('target') ?? null,
        preventedBefore: e.defaultPrevented,
      });
      e.preventDefault(); // СтандартнаяОбработка = Ложь
    });
  }, hook);
}

const opened = (page: Page) => page.evaluate(() => (window as unknown as { opened: string[] }).opened);
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: SeenClick[] }).seen);

describe('message links in the chat embedded in a 1C form', () => {
  let hub: TestHub;
  let browser: Browser;
  let ivan: { id: number; login: string; password: string };
  let embedded: WatchedPage;

  beforeAll(async () => {
    hub = await startHub();
    ivan = await hub.addUser('ivan', 'Иван Петров');
    browser = await launchBrowser();
    embedded = await openPage(browser, { width: 420, height: 700 });
    // Nothing leaves the test machine: every outside address answers here.
    await embedded.context.route(/^https:\/\/(example\.test|1c\.corp\.local)\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>outside</title>' }),
    );
    await signIn(embedded.page, `${hub.url}/?compact=1`, ivan.login, ivan.password);
    await embedded.page.getByRole('textbox', { name: 'Текст сообщения' }).fill(text);
    await embedded.page.keyboard.press('Enter');
    await embedded.page.locator('.msg.mine .msg-text a').nth(3).waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('shows every link, 1C ones included, as one plain anchor with its address and target=_blank', async () => {
    const anchors = await embedded.page.locator('.msg.mine .msg-text a').evaluateAll((list) =>
      list.map((a) => ({
        text: a.textContent,
        href: a.getAttribute('href'),
        target: a.getAttribute('target'),
        rel: a.getAttribute('rel'),
      })),
    );
    expect(anchors).toEqual([
      { text: web, href: web, target: '_blank', rel: 'noopener noreferrer' },
      { text: bare, href: bare, target: '_blank', rel: 'noopener noreferrer' },
      // The full web-client address is one link (its `#e1cib/…` is not a second one).
      { text: full, href: fullHref, target: '_blank', rel: 'noopener noreferrer' },
      { text: app, href: app, target: '_blank', rel: 'noopener noreferrer' },
    ]);
  });

  it("leaves each click to 1C's handler: not prevented, no window.open, no navigation of the page", async () => {
    const page = embedded.page;
    const before = page.url();
    await watchClicks(page, true);
    const popups: string[] = [];
    const onPage = (p: Page) => popups.push(p.url());
    embedded.context.on('page', onPage);
    for (const i of [0, 1, 2, 3]) await page.locator('.msg.mine .msg-text a').nth(i).click();
    expect(await seen(page)).toEqual([
      { href: web, target: '_blank', preventedBefore: false },
      { href: bare, target: '_blank', preventedBefore: false },
      { href: fullHref, target: '_blank', preventedBefore: false },
      { href: app, target: '_blank', preventedBefore: false },
    ]);
    expect(await opened(page)).toEqual([]);
    expect(popups).toEqual([]);
    expect(page.url()).toBe(before);
    embedded.context.off('page', onPage);
  });

  it('in a browser with no 1C around, the anchor itself opens a new tab and the chat stays', async () => {
    const page = embedded.page;
    const before = page.url();
    await watchClicks(page, false);
    const [popup] = await Promise.all([
      embedded.context.waitForEvent('page', { timeout: 20_000 }),
      page.locator('.msg.mine .msg-text a').first().click(),
    ]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(web);
    await popup.close();
    expect(await opened(page)).toEqual([]);
    expect(page.url()).toBe(before);
  });

  it('outside a 1C form (a normal tab) the page still opens web links itself, through window.open', async () => {
    const tab = await openPage(browser);
    await tab.context.route(/^https:\/\/example\.test\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>outside</title>' }),
    );
    await signIn(tab.page, hub.url, ivan.login, ivan.password);
    const link = tab.page.locator('.msg.mine .msg-text a').first();
    await link.waitFor({ timeout: 20_000 });
    await watchClicks(tab.page, true);
    const [popup] = await Promise.all([tab.context.waitForEvent('page', { timeout: 20_000 }), link.click()]);
    await popup.close();
    expect(await opened(tab.page)).toEqual([web]);
    expect((await seen(tab.page))[0]).toMatchObject({ href: web, preventedBefore: true });
    await tab.context.close();
  }, 60_000);

  it('made no page errors', () => {
    expect(embedded.errors).toEqual([]);
    expect(embedded.dialogs).toEqual([]);
  });
});
