// The web client's legacy bundle (scripts/build-legacy.js, docs/embedding.md): an ES2015 IIFE for
// engines that cannot run the ES2022 module (older WebKit, as in a 1C form's HTML field). Its
// syntax is held to ES2015 by parsing it with acorn at that level (any newer syntax fails), and
// it is run in real Chromium with the module made unparseable, as such an engine sees it: sign
// in and send a message against a real hub. A modern browser must not download it.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser, openPage, signIn } from './browser.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webRoot = path.join(root, 'dist/web');
const shots = '/tmp/shots/H7';

/** The files index.html and the assets folder name: the module entry, the loader, the legacy script and stylesheet. */
function builtNames() {
  const html = readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  const modern = /<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  const loader = /<script defer src="\.\/(assets\/legacy-loader-[^"]+\.js)"/.exec(html)?.[1];
  const assets = readdirSync(path.join(webRoot, 'assets'));
  const legacyJs = assets.find((n) => /^legacy-(?!loader-)[\w-]+\.js$/.test(n));
  const legacyCss = assets.find((n) => /^legacy-[\w-]+\.css$/.test(n));
  if (!modern || !loader || !legacyJs || !legacyCss) throw new Error(`web build without a legacy bundle: ${html}`);
  return { html, modern, loader, legacyJs: `assets/${legacyJs}`, legacyCss: `assets/${legacyCss}` };
}

const read = (rel: string) => readFileSync(path.join(webRoot, rel), 'utf8');

describe('legacy web bundle', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startHub();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('is ES2015 syntax (acorn refuses anything newer), its loader ES5, and the module is not', () => {
    const names = builtNames();
    expect(() => parse(read(names.legacyJs), { ecmaVersion: 2015, sourceType: 'script' })).not.toThrow();
    expect(() => parse(read(names.loader), { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
    // The check bites: the ES2022 module does not pass it.
    expect(() => parse(read(names.modern), { ecmaVersion: 2015, sourceType: 'module' })).toThrow();
    // A lookbehind, even inside `new RegExp("…")`, is a SyntaxError at run time on WebKit before 16.4.
    expect(read(names.legacyJs)).not.toMatch(/\(\?<[=!]/);
    // Precompressed like the rest; the loader sits right after the module script.
    for (const rel of [names.legacyJs, names.legacyCss, names.loader]) {
      expect(existsSync(path.join(webRoot, `${rel}.br`)), `${rel}.br`).toBe(true);
      expect(existsSync(path.join(webRoot, `${rel}.gz`)), `${rel}.gz`).toBe(true);
    }
    expect(names.html).toMatch(/<script type="module"[^>]*><\/script>\s*<script defer src="\.\/assets\/legacy-loader-/);
  });

  it('a modern browser runs the module and never downloads the legacy files', async () => {
    const names = builtNames();
    const page = await openPage(browser);
    const requested: string[] = [];
    page.page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.page.goto(hub.url);
    await page.page.locator('input[name="login"]').waitFor({ timeout: 20_000 });
    await page.page.waitForLoadState('networkidle');
    expect(requested).toContain(`/${names.modern}`);
    expect(requested).toContain(`/${names.loader}`);
    expect(requested).not.toContain(`/${names.legacyJs}`);
    expect(requested).not.toContain(`/${names.legacyCss}`);
    expect(page.errors).toEqual([]);
    await page.context.close();
  }, 60_000);

  it('where the module cannot be parsed, the legacy bundle signs in and sends a message', async () => {
    const names = builtNames();
    const ivan = await hub.addUser('ivan', 'Иван Петров');
    const maria = await hub.addUser('maria', 'Мария Иванова');
    const page = await openPage(browser);
    const requested: string[] = [];
    page.page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    // As an engine without ES2022 sees the module: a syntax error (class static blocks, `#x in o`…).
    await page.page.route(`**/${names.modern}`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: 'export const broken = ;' }),
    );
    await signIn(page.page, hub.url, ivan.login, ivan.password);
    expect(requested).toContain(`/${names.legacyJs}`);
    expect(requested).toContain(`/${names.legacyCss}`);
    // The page is styled (the legacy stylesheet or the module's: both loaded) and the app is one app.
    expect(await page.page.locator('.app').count()).toBe(1);

    const { token } = await hub.login('maria', maria.password);
    const ear = await TestSocket.open(hub.wsUrl, token);
    // The general room both are in: Maria's socket hears what the legacy page sends.
    await page.page.getByRole('textbox', { name: 'Текст сообщения' }).fill('Из старого движка');
    // Waited for from before the key press: the hub can relay the message before Playwright
    // confirms the press, and a wait begun after it would miss the frame. The deadline is for a
    // hang, not a speed limit (the ES2015 bundle on a loaded machine is slow).
    const heard = await ear.nextAfter(
      () => page.page.keyboard.press('Enter'),
      'message',
      () => true,
      60_000,
    );
    expect(heard.message).toMatchObject({ text: 'Из старого движка', senderId: ivan.id });
    ear.close();
    await page.page.screenshot({ path: path.join(shots, 'legacy-bundle-signed-in.png') });
    // The only error is the broken module's own SyntaxError.
    expect(page.errors.filter((e) => !/Unexpected token|SyntaxError/.test(e))).toEqual([]);
    await page.context.close();
  }, 90_000);
});
