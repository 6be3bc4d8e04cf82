// The desktop renderer (built, in Chromium) over a stand-in preload bridge: a paste whose event
// carries no file asks the main process for the clipboard's image (Backend.clipboardImage) and
// attaches it as a screenshot; text pastes never ask; a file card saves through the bridge
// (the main process's download and save dialog) and the window never navigates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState } from '../../common/client/ClientState.ts';
import type { WatchedPage } from './browser.ts';
import { fakeBridge } from './fakeBridge.ts';
import { type DesktopPage, openDesktopPage } from './openDesktopPage.ts';
import { conversation, user } from './sampleState.ts';
import { screenshotPng } from './sampleFiles.ts';

const poll = { timeout: 15_000, interval: 50 };

const state: ClientState = {
  ...emptyClientState(),
  connection: 'connected',
  hubUrl: 'https://hub.example.local',
  me: user(1, 'Иван Петров', 'online'),
  users: { 1: user(1, 'Иван Петров', 'online'), 2: user(2, 'Мария Иванова', 'away') },
  conversations: { 10: conversation(10, 'general', 'Общий чат', { memberCount: 40, lastSeq: 1 }) },
  messages: {
    10: {
      items: [
        {
          seq: 1,
          conversationId: 10,
          senderId: 2,
          clientId: 'client-1-xxxxxxxx',
          kind: 'text',
          text: 'Отчёт за ноябрь',
          ts: Date.now() - 60_000,
          mentions: [],
          mentionsAll: false,
          status: 'sent',
          files: [{ id: 'f'.repeat(32), name: 'report.pdf', size: 48_000, type: 'application/pdf', kind: 'file' }],
        },
      ],
      hasOlder: false,
      loadingOlder: false,
    },
  },
};

// The bridge answers `clipboardImage` with whatever the test put in window.__clipboardPng.
const clipboardSetup = `
  window.__clipboardPng = null;
  Object.defineProperty(window, 'besedaBridge', {
    configurable: true,
    get() { return window.__bridge; },
    set(bridge) {
      const invoke = bridge.invoke;
      bridge.invoke = (method, ...args) =>
        method === 'clipboardImage'
          ? (window.__calls.push([method, ...args]), Promise.resolve(window.__clipboardPng))
          : invoke(method, ...args);
      window.__bridge = bridge;
    },
  });`;

/** Dispatches a paste at the focused element, with `text` and no files (what a bitmap-only clipboard gives). */
async function pasteNothing(desk: WatchedPage, target: string, text = ''): Promise<void> {
  await desk.page.locator(target).focus();
  await desk.page.evaluate((t) => {
    const data = new DataTransfer();
    if (t) data.setData('text/plain', t);
    (document.activeElement ?? document.body).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

describe('desktop renderer: clipboard images and downloads through the bridge', () => {
  let opened: DesktopPage | undefined;
  let url: string;
  let desk: WatchedPage;
  const calls = async () => (await desk.page.evaluate('window.__calls')) as unknown[][];
  const asked = async () => (await calls()).filter((c) => c[0] === 'clipboardImage').length;
  const chips = () => desk.page.locator('.composer-file');

  beforeAll(async () => {
    opened = await openDesktopPage(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'",
      fakeBridge(state, { hubUrl: 'https://hub.example.local', branch: null, hubUrlLocked: true }, clipboardSetup),
      [],
    );
    ({ url, desk } = opened);
    await desk.page.locator('.composer textarea').waitFor({ timeout: 15_000 });
  }, 30_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('a paste with text never asks for the clipboard’s image', async () => {
    await pasteNothing(desk, '.composer textarea', 'просто текст');
    await expect.poll(() => desk.page.locator('.composer textarea').inputValue(), poll).toBe('просто текст');
    expect(await asked()).toBe(0);
    await desk.page.locator('.composer textarea').fill('');
  });

  it('a paste without a file asks the main process; an empty clipboard attaches nothing', async () => {
    await pasteNothing(desk, '.composer textarea');
    await expect.poll(asked, poll).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await chips().count()).toBe(0);
  });

  it('the clipboard’s bitmap becomes a screenshot in the composer, from the box or from the message list', async () => {
    const png = await screenshotPng();
    await desk.page.evaluate((b64) => {
      (window as unknown as { __clipboardPng: Uint8Array }).__clipboardPng = Uint8Array.from(atob(b64), (c) =>
        c.charCodeAt(0),
      );
    }, png.toString('base64'));
    await pasteNothing(desk, '.composer textarea');
    await expect.poll(() => chips().count(), poll).toBe(1);
    expect(await chips().first().locator('.file-name').textContent()).toMatch(
      /^Скриншот \d{4}-\d\d-\d\d \d\d\.\d\d\.png$/,
    );
    // The attached file is the clipboard's bytes, shown as a thumbnail.
    await expect
      .poll(
        () =>
          chips()
            .first()
            .locator('img.composer-thumb')
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
        poll,
      )
      .toBeGreaterThan(0);
    // Focus in the message list (not a field): the stray-paste path asks too, and focuses the box.
    await desk.page.locator('.messages').click({ position: { x: 5, y: 5 } });
    await pasteNothing(desk, '.messages');
    await expect.poll(() => chips().count(), poll).toBe(2);
    await expect
      .poll(() => desk.page.evaluate(() => document.activeElement?.matches('.composer textarea')), poll)
      .toBe(true);
  });

  it('a file card saves through the bridge; the window stays where it is', async () => {
    await desk.page.locator('a.file-card').click();
    await expect.poll(calls, poll).toContainEqual(['saveFile', 'f'.repeat(32), 'report.pdf']);
    expect(desk.page.url()).toBe(url);
    expect(desk.errors).toEqual([]);
    expect(desk.cspViolations).toEqual([]);
  });
});
