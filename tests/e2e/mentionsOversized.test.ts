// Oversized messages through a real hub in Chromium (issue 14): the size counter near the limit
// with the limit stated, a send over it refused with size and limit, and a message that failed
// (the hub's limit shrank while it waited in the outbox) put back into the message box.
// Screenshots in light, dark and compact, Russian and English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { launchBrowser, messagesWithText, openPage, screenshot, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const poll = { timeout: 30_000, interval: 100 };
const box = (page: Page) => page.locator('.composer textarea');
const counter = (page: Page) => page.locator('.composer-bytes');

describe('oversized messages', () => {
  let hub: TestHub;
  let browser: Browser;
  let a: WatchedPage;
  // Read at each (re)start of the hub: the test lowers the limit in place before a restart.
  const args = ['--max-text-bytes', '1000'];

  beforeAll(async () => {
    hub = await startHub({ args });
    const ivan = await hub.addUser('ivan', 'Иван Петров');
    browser = await launchBrowser();
    a = await openPage(browser);
    await signIn(a.page, hub.url, ivan.login, ivan.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('shows the size from 90 % of the limit, the limit stated, and refuses a send over it', async () => {
    // 800 bytes (400 Cyrillic letters): under 90 %, no counter.
    await box(a.page).fill('я'.repeat(400));
    await box(a.page).press('End');
    expect(await counter(a.page).count()).toBe(0);
    // 920 bytes: the counter, in bytes, with the limit.
    await box(a.page).fill('я'.repeat(460));
    await expect.poll(() => counter(a.page).textContent(), poll).toMatch(/^920 \/ 1\s000 байт$/);
    expect(await counter(a.page).getAttribute('class')).not.toContain('over');
    await screenshot(a.page, 'mentions-oversized-counter');
    // 1200 bytes: over, said so; Enter sends nothing and states size and limit; the text stays.
    await box(a.page).fill('я'.repeat(600));
    await expect.poll(() => counter(a.page).textContent(), poll).toMatch(/^Слишком длинное: 1\s200 \/ 1\s000 байт$/);
    await box(a.page).press('Enter');
    await expect
      .poll(() => a.page.locator('.toast').allTextContents(), poll)
      .toEqual(expect.arrayContaining([expect.stringMatching(/1\s200 байт, а предел — 1\s000 байт/)]));
    expect(await box(a.page).inputValue()).toBe('я'.repeat(600));
    expect(await a.page.locator('[data-message-row]').count()).toBe(0);
    await screenshot(a.page, 'mentions-oversized-refused');
    await a.page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(a.page, 'mentions-oversized-refused-dark');
    await a.page.emulateMedia({ colorScheme: 'light' });
    await box(a.page).fill('');
  }, 90_000);

  it('puts a failed message back into the box («Вернуть в поле ввода») instead of failing again', async () => {
    const text = 'ю'.repeat(450); // 900 bytes: fits the limit the page knows now (1000)
    await hub.stop();
    await a.page.locator('.app[data-connection="connected"]').waitFor({ state: 'detached', timeout: 30_000 });
    await box(a.page).fill(text);
    await box(a.page).press('Enter');
    await expect.poll(() => a.page.locator('[data-status="pending"]').count(), poll).toBe(1);
    // The hub comes back with a smaller limit: the outbox checks again and the message fails.
    args[1] = '500';
    await hub.restart();
    const failed = a.page.locator('[data-status="failed"]');
    await expect.poll(() => failed.count(), poll).toBe(1);
    expect(await failed.locator('.msg-failed').textContent()).toContain('сообщение длиннее предела в 500 байт');
    await screenshot(a.page, 'mentions-failed-put-back');
    await failed.getByRole('button', { name: 'Вернуть в поле ввода' }).click();
    await expect.poll(() => failed.count(), poll).toBe(0);
    expect(await box(a.page).inputValue()).toBe(text);
    await expect.poll(() => counter(a.page).textContent(), poll).toMatch(/^Слишком длинное: 900 \/ 500 байт$/);
    // Cut in half, it goes.
    await box(a.page).fill('ю'.repeat(200));
    await box(a.page).press('Enter');
    await expect.poll(() => messagesWithText(a.page, 'ю'.repeat(200)).count(), poll).toBe(1);
    expect(await box(a.page).inputValue()).toBe('');
  }, 120_000);

  it('says the same in English and in the compact layout', async () => {
    const en = await openPage(browser, { locale: 'en-US', colorScheme: 'dark', width: 420, height: 640 });
    try {
      const mary = await hub.addUser('mary', 'Mary Smith');
      await en.page.goto(`${hub.url}/?compact=1`);
      await en.page.locator('input[name="login"]').fill(mary.login);
      await en.page.locator('input[name="password"]').fill(mary.password);
      await en.page.locator('button[type="submit"]').click();
      await en.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
      await box(en.page).fill('x'.repeat(480));
      await expect.poll(() => counter(en.page).textContent(), poll).toBe('480 / 500 bytes');
      await box(en.page).fill('x'.repeat(520));
      await expect.poll(() => counter(en.page).textContent(), poll).toBe('Too long: 520 / 500 bytes');
      await screenshot(en.page, 'mentions-oversized-compact-dark-en');
      expect(en.errors).toEqual([]);
    } finally {
      await en.context.close();
    }
  }, 90_000);
});
