// Saving files from the built renderer in Chromium. On the web a file card's click is the
// browser's own download of the hub's address (the page's Backend.saveFile). On the desktop (the
// renderer over a stand-in for the preload bridge, under the desktop app's own CSP) images point at
// beseda-file://, never the hub, and a card or the viewer's download button asks the main process
// to save the file (saveFile through the bridge) instead of following the link out of the app.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, MessageView } from '../../common/client/ClientState.ts';
import type { FileRef } from '../../common/protocol/model.ts';
import { rendererCsp } from '../../main/security/appProtocol.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser, messagesWithText, openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { fakeBridge } from './fakeBridge.ts';
import { type DesktopPage, openDesktopPage } from './openDesktopPage.ts';
import { pdfBytes, uploadFile } from './sampleFiles.ts';
import { conversation, user } from './sampleState.ts';

const poll = { timeout: 30_000, interval: 100 };

describe('web client: a file card downloads the file', () => {
  let hub: TestHub;
  let browser: Browser;
  let page: WatchedPage;

  beforeAll(async () => {
    hub = await startHub();
    const ivan = await hub.addUser('ivan', 'Иван Петров');
    const maria = await hub.addUser('maria', 'Мария Иванова');
    browser = await launchBrowser();
    page = await openPage(browser);
    await signIn(page.page, hub.url, ivan.login, ivan.password);
    const { token } = await hub.login(maria.login, maria.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    const general = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
    const invoice = await uploadFile(hub.url, token, 'Счёт №17.pdf', 'application/pdf', pdfBytes);
    await socket.request('send', {
      conversationId: general,
      clientId: 'web-save-1',
      text: 'счёт',
      files: [invoice.id],
    });
    socket.close();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('saves the file under its name with its bytes', async () => {
    const card = messagesWithText(page.page, 'счёт').locator('a.file-card');
    await card.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.page.waitForEvent('download'), card.click()]);
    expect(download.suggestedFilename()).toBe('Счёт №17.pdf');
    const saved = readFileSync((await download.path())!);
    expect(saved.equals(pdfBytes)).toBe(true);
    expect(page.errors).toEqual([]);
  });
});

const imageRef: FileRef = {
  id: `f${'I'.repeat(22)}`,
  name: 'Скриншот 2026-12-02 09.31.png',
  size: 20_000,
  type: 'image/png',
  kind: 'image',
  width: 640,
  height: 400,
};
const pdfRef: FileRef = {
  id: `f${'P'.repeat(22)}`,
  name: 'Счёт №17.pdf',
  size: 3200,
  type: 'application/pdf',
  kind: 'file',
};
const message = (seq: number, text: string, files: FileRef[]): MessageView => ({
  seq,
  conversationId: 10,
  senderId: 2,
  clientId: `client-${seq}-xx`,
  kind: 'text',
  text,
  ts: Date.now() - 60_000 + seq,
  mentions: [],
  mentionsAll: false,
  status: 'sent',
  files,
});
const state: ClientState = {
  ...emptyClientState(),
  connection: 'connected',
  hubUrl: 'http://hub.example.local:8080',
  fileKey: 'read-only-key',
  me: user(1, 'Иван Петров'),
  users: { 1: user(1, 'Иван Петров'), 2: user(2, 'Мария Иванова') },
  conversations: {
    10: conversation(10, 'general', 'Общий чат', { lastSeq: 2, readSeq: 2 }),
  },
  messages: {
    10: {
      items: [message(1, 'скриншот ошибки', [imageRef]), message(2, 'счёт на оплату', [pdfRef])],
      hasOlder: false,
      loadingOlder: false,
    },
  },
};

// Plain Chromium has no beseda-file handler (the images fail and give way to their failure notes),
// so the stand-in bridge records the addresses images got too.
const recordImages = `window.__images = [];
  new MutationObserver((records) => {
    for (const r of records)
      for (const node of r.addedNodes)
        if (node.nodeType === 1)
          for (const img of [node, ...node.querySelectorAll('img')])
            if (img.tagName === 'IMG') window.__images.push(img.getAttribute('src'));
  }).observe(document, { childList: true, subtree: true });`;

describe('desktop renderer: files through the main process', () => {
  let opened: DesktopPage | undefined;
  let url: string;
  let desk: WatchedPage;
  const requested: string[] = [];
  const calls = async () => (await desk.page.evaluate('window.__calls')) as unknown[][];
  const images = async () => (await desk.page.evaluate('window.__images')) as (string | null)[];

  beforeAll(async () => {
    // The built files under the desktop app's own CSP (what app:// serves them with).
    opened = await openDesktopPage(
      rendererCsp,
      fakeBridge(state, { hubUrl: null, branch: null, hubUrlLocked: false }, recordImages),
      requested,
    );
    ({ url, desk } = opened);
  }, 30_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('points images at beseda-file://, never at the hub or with the key', async () => {
    await messagesWithText(desk.page, 'скриншот ошибки').locator('button.image-preview').waitFor({ timeout: 30_000 });
    await expect.poll(images, poll).toContain(`beseda-file://file/${imageRef.id}/preview`);
    expect(requested.filter((u) => u.includes('hub.example.local') || u.includes('key='))).toEqual([]);
    expect(desk.cspViolations).toEqual([]);
  });

  it('saves a card’s file through the bridge instead of following the link', async () => {
    await messagesWithText(desk.page, 'счёт на оплату').locator('a.file-card').click();
    await expect.poll(calls, poll).toContainEqual(['saveFile', pdfRef.id, 'Счёт №17.pdf']);
    expect(desk.page.url()).toBe(url);
  });

  it('saves the viewer’s image through the bridge too', async () => {
    await messagesWithText(desk.page, 'скриншот ошибки').locator('button.image-preview').click();
    const viewer = desk.page.getByRole('dialog', { name: 'Просмотр изображения' });
    await viewer.waitFor();
    await expect.poll(images, poll).toContain(`beseda-file://file/${imageRef.id}/view`);
    expect((await images()).filter((src) => !src?.startsWith('beseda-file://') && !src?.startsWith('data:'))).toEqual(
      [],
    );
    await viewer.getByRole('link', { name: `Скачать «${imageRef.name}»` }).click();
    await expect.poll(calls, poll).toContainEqual(['saveFile', imageRef.id, imageRef.name]);
    expect(desk.page.url()).toBe(url);
    expect(desk.errors).toEqual([]);
    expect(desk.cspViolations).toEqual([]);
  });
});
