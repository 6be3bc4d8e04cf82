// What a real browser does with the file responses' caching headers: Chromium keeps a preview
// it fetched, but asks the hub again before using it, so after its reader is removed from the
// room the same URL (with the download key, as the web client's <img> uses it) fails at once.
// With the old `private, max-age=3600` Chromium answered from its cache for an hour.
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filePath } from '../../common/protocol/fileUrls.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { cid, upload } from './fileHelpers.ts';

let hub: TestHub;
let browser: Browser;

beforeAll(async () => {
  hub = await startHub();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('a browser revalidates files', () => {
  it('a preview cached by Chromium is refused once its reader leaves the room', async () => {
    const open = async (login: string) => {
      const u = await hub.addUser(login, login);
      const { token } = await hub.login(login, u.password);
      return { id: u.id, token, socket: await TestSocket.open(hub.wsUrl, token) };
    };
    const owner = await open('owner');
    const reader = await open('reader');
    const room = (
      await owner.socket.request<{ conversation: { id: number } }>('rooms.create', {
        name: 'Склад',
        kind: 'closed',
        members: [reader.id],
      })
    ).conversation.id;
    const png = await sharp({ create: { width: 200, height: 120, channels: 3, background: '#37a' } })
      .png()
      .toBuffer();
    const photo = (await upload(hub, owner.token, 'скриншот.png', png, 'image/png')).file!;
    await owner.socket.request('send', { conversationId: room, clientId: cid('bc'), text: '', files: [photo.id] });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/healthz`); // a page of the hub's origin, as the web client is
    const fetchStatus = (url: string) => page.evaluate(async (u) => (await fetch(u)).status, url);
    const urls = (['preview', 'view', 'download'] as const).map((v) =>
      filePath(photo.id, v, reader.socket.hello.fileKey),
    );
    for (const url of urls) {
      expect(await fetchStatus(url)).toBe(200);
      expect(await fetchStatus(url)).toBe(200); // from the cache after a 304
    }
    await owner.socket.request('rooms.remove', { conversationId: room, userId: reader.id });
    for (const url of urls) expect(await fetchStatus(url), url.split('?')[0]).toBe(404);
    await context.close();
    owner.socket.close();
    reader.socket.close();
  }, 60_000);
});
