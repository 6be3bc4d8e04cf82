// The desktop path of the built renderer in Chromium without Electron: dist/web served under a
// given CSP, a page with a stand-in preload script installed before the app's code, and every
// address the page asks for recorded.
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { serveBuiltRenderer } from './serveBuiltRenderer.ts';

/** The opened page and how to take it all down. */
export interface DesktopPage {
  /** The page's own address. */
  url: string;
  desk: WatchedPage;
  /** Closes the browser and the server. */
  close(): Promise<void>;
}

/**
 * Serves the built renderer under `csp`, opens it in a new Chromium with `initScript` (e.g. a
 * fakeBridge) run first, and pushes every requested URL onto `requested`. `options.page`: the
 * page's colour scheme, size and locale; `options.query` is added to the address. On a failure
 * midway what was started is closed.
 */
export async function openDesktopPage(
  csp: string,
  initScript: string,
  requested: string[],
  options: { page?: Parameters<typeof openPage>[1]; query?: string } = {},
): Promise<DesktopPage> {
  const server = await serveBuiltRenderer(csp);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server.close();
  };
  try {
    browser = await launchBrowser();
    const desk = await openPage(browser, options.page);
    await desk.page.addInitScript({ content: initScript });
    desk.page.on('request', (request) => requested.push(request.url()));
    await desk.page.goto(`${server.url}${options.query ?? ''}`);
    return { url: server.url, desk, close };
  } catch (err) {
    await close();
    throw err;
  }
}
