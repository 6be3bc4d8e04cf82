// The web client's outbox keeps a file in IndexedDB: sent while the hub is down, the tab closed,
// the hub back, the page opened again — the file goes out once (uploaded with XMLHttpRequest), the
// other person downloads the same bytes, and nothing is left in the browser's storage.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestHub } from '../helpers/startHub.ts';
import { messagesWithText } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { dropFiles, pdfBytes } from './sampleFiles.ts';
import { twoPeopleOnHub } from './twoPeopleOnHub.ts';

const poll = { timeout: 45_000, interval: 100 };

/** The keys and byte sizes in the web outbox's IndexedDB database (empty when it does not exist). */
function stashed(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('beseda-outbox-files');
        open.onupgradeneeded = () => open.result.createObjectStore('files');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('files', 'readonly').objectStore('files').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            resolve((all.result as Blob[]).map((b) => b.size));
          };
        };
      }),
  );
}

describe('web client: a file in the outbox across a closed tab and a hub restart', () => {
  let hub: TestHub;
  let a: WatchedPage;
  let b: WatchedPage;

  twoPeopleOnHub(async (started) => {
    hub = started.hub;
    ({ a, b } = started.people);
  });

  it('keeps the file in IndexedDB and sends it once when the page is opened again', async () => {
    await hub.kill();
    await a.page.locator('.app:not([data-connection="connected"])').waitFor({ timeout: 30_000 });
    await dropFiles(a.page, [{ bytes: pdfBytes, name: 'Счёт №17.pdf', type: 'application/pdf' }]);
    await expect.poll(() => a.page.locator('.composer-file').count(), poll).toBe(1);
    const box = a.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('Счёт без связи');
    await box.press('Enter');
    await expect.poll(() => a.page.locator('.composer-file').count(), poll).toBe(0);
    // Kept in this browser: the bytes in IndexedDB, the message in localStorage.
    await expect.poll(() => stashed(a.page), poll).toEqual([pdfBytes.length]);
    expect(await a.page.evaluate(() => localStorage.getItem('beseda.outbox'))).toContain('Счёт без связи');

    // The tab is closed; the hub comes back; the page is opened again in the same browser profile.
    await a.page.close();
    await hub.restart();
    const again = await a.context.newPage();
    await again.goto(hub.url);
    await again.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });

    await b.page.reload();
    await b.page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
    const row = messagesWithText(b.page, 'Счёт без связи');
    await expect.poll(() => row.count(), poll).toBe(1);
    const card = row.locator('a.file-card', { hasText: 'Счёт №17.pdf' });
    await card.waitFor({ timeout: 30_000 });
    const href = (await card.getAttribute('href'))!;
    const bytes = await b.page.evaluate(async (url) => {
      const res = await fetch(url);
      return Array.from(new Uint8Array(await res.arrayBuffer()));
    }, href);
    expect(Buffer.from(bytes).equals(pdfBytes)).toBe(true);

    // Sent: nothing left in the browser's storage, and exactly one such message.
    await expect.poll(() => stashed(again), poll).toEqual([]);
    await expect
      .poll(
        () =>
          again.evaluate(() => JSON.parse(localStorage.getItem('beseda.outbox') ?? '{"entries":[]}').entries.length),
        poll,
      )
      .toBe(0);
    await expect.poll(() => messagesWithText(again, 'Счёт без связи').count(), poll).toBe(1);
    expect(await row.count()).toBe(1);
    expect(b.errors).toEqual([]);
  }, 180_000);
});
