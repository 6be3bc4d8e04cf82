// Debian's Chromium through playwright-core, for the end-to-end tests. Never downloads a browser.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the screenshots of the main screens go (git-ignored). */
export const screenshotDir = path.join(root, 'test-results/screenshots');

/**
 * The environment Chromium runs in: a UTF-8 character set whatever the caller's locale. Chromium
 * on Linux names a download in the locale's charset, and under C/POSIX (CI runs with no LANG at
 * all) «Счёт №17.pdf» cannot be written and is saved as "download". Staff machines (Windows, or a
 * Linux desktop with a UTF-8 locale) never see that; only LC_CTYPE is set, so the language stays.
 */
export function browserEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const ctype = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(ctype) ? env : { ...env, LC_ALL: '', LC_CTYPE: 'C.UTF-8' };
}

/** Starts headless Chromium from /usr/bin/chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    env: browserEnv(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page with what went wrong in it recorded: page errors, console errors, CSP violations, dialogs. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** alert/confirm/prompt dialogs that opened (each is dismissed at once). */
  dialogs: string[];
  /** Uncaught exceptions and console errors (minus expected network noise). */
  errors: string[];
  /** Content-Security-Policy violations reported by the page. */
  cspViolations: string[];
}

/** Opens a Russian-language page in a fresh context (its own storage: a separate person). */
export async function openPage(
  browser: Browser,
  options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number; locale?: string } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: options.locale ?? 'ru-RU',
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  const watched: WatchedPage = { context, page, dialogs: [], errors: [], cspViolations: [] };
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  page.on('dialog', (dialog) => {
    watched.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => watched.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (text.startsWith('CSP violation')) watched.cspViolations.push(text);
    // A refused sign-in and a stopped hub show up as failed requests; they are expected here.
    else if (!/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket connection/.test(text))
      watched.errors.push(text);
  });
  return watched;
}

/** Signs in through the form and waits for the chat to show. */
export async function signIn(page: Page, hubUrl: string, login: string, password: string): Promise<void> {
  await page.goto(hubUrl);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
}

/** Saves a screenshot of the page under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Finished animations: a dialog caught fading in would look broken.
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' });
}

/** A sidebar entry of a conversation, by its visible name. */
export function conversationItem(page: Page, name: string) {
  return page.locator('nav.sidebar .conv-item', { has: page.locator('.conv-name', { hasText: name }) });
}

/** The message rows currently in the DOM whose text is exactly `text`. */
export function messagesWithText(page: Page, text: string) {
  return page.locator('[data-message-row]', { has: page.locator('.msg-text', { hasText: text }) });
}
