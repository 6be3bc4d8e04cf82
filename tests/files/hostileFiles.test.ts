// Uploaded HTML and SVG with script, opened in real Chromium at the hub's own origin, never run:
// their download and view URLs are navigated to, framed, embedded and opened in a new tab; a
// script that ran would retitle the page, open a dialog or fetch /pwned-… from the hub, and none
// of that happens. A verified PNG, by contrast, is shown inline by its view and preview URLs.
import sharp from 'sharp';
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filePath } from '../../common/protocol/fileUrls.ts';
import type { FileRef, Message } from '../../common/protocol/model.ts';
import { launchBrowser, openPage, type WatchedPage } from '../e2e/browser.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, upload } from './fileHelpers.ts';

const payload = (tag: string) =>
  `document.title='PWNED';fetch('/pwned-${tag}');alert('${tag}');top.postMessage('pwned','*')`;
const hostile: { name: string; type: string; body: string }[] = [
  {
    name: 'счёт.html',
    type: 'text/html',
    body: `<!doctype html><html><head><title>ok</title></head><body><script>${payload('html')}</script><img src=x onerror="${payload('html-img')}"></body></html>`,
  },
  {
    name: 'logo.svg',
    type: 'image/svg+xml',
    body: `<svg xmlns="http://www.w3.org/2000/svg" onload="${payload('svg-onload')}"><script>${payload('svg')}</script><rect width="10" height="10"/></svg>`,
  },
  // An HTML page calling itself a PNG: the bytes decide, it is no image.
  { name: 'photo.png', type: 'image/png', body: `<html><script>${payload('fake-png')}</script></html>` },
];

let hub: TestHub;
let browser: Browser;
let key: string;
const files: FileRef[] = [];
let image: FileRef;
const pwned: string[] = [];

beforeAll(async () => {
  hub = await startHub();
  const u = await hub.addUser('ivanov', 'Иван');
  const { token } = await hub.login('ivanov', u.password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  key = socket.hello.fileKey;
  for (const f of hostile) {
    const up = await upload(hub, token, f.name, f.body, f.type);
    expect(up.status).toBe(201);
    files.push(up.file!);
  }
  const png = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer();
  image = (await upload(hub, token, 'скриншот.png', png, 'image/png')).file!;
  const general = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
  await socket.request<{ message: Message }>('send', {
    conversationId: general,
    clientId: cid('hostile'),
    text: 'файлы',
    files: [...files.map((f) => f.id), image.id],
  });
  socket.close();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

/** A fresh page at the hub's origin that records every sign of a script having run. */
async function hubPage(): Promise<WatchedPage> {
  const watched = await openPage(browser);
  watched.context.on('request', (r: Request) => {
    if (r.url().includes('/pwned')) pwned.push(r.url());
  });
  await watched.page.goto(`${hub.url}/healthz`);
  return watched;
}

describe('hostile files', () => {
  it('are stored as plain files served as application/octet-stream', () => {
    for (const f of files) expect(f).toMatchObject({ kind: 'file', type: 'application/octet-stream' });
    expect(image).toMatchObject({ kind: 'image', type: 'image/png', width: 64, height: 40 });
  });

  it('never run when their URLs are opened, framed or embedded in the hub’s origin', async () => {
    const watched = await hubPage();
    const { page } = watched;
    for (const f of files) {
      for (const variant of ['download', 'view', 'preview'] as const) {
        const url = hub.url + filePath(f.id, variant, key);
        // Navigating: a download (Chromium aborts the navigation) or a JSON 404, never a page.
        await page.goto(url).catch(() => {});
        await page.goto(`${hub.url}/healthz`);
        await page.evaluate((src) => {
          for (const tag of ['iframe', 'object', 'embed', 'img']) {
            const el = document.createElement(tag);
            el.setAttribute(tag === 'object' ? 'data' : 'src', src);
            document.body.append(el);
          }
          window.open(src, '_blank');
        }, url);
      }
    }
    // Time for anything that would run to run: the embeds have loaded (or failed) by now.
    await page.waitForLoadState('load');
    await page.waitForTimeout(2000);
    for (const p of watched.context.pages()) expect(await p.title().catch(() => '')).not.toBe('PWNED');
    expect(pwned).toEqual([]);
    expect(watched.dialogs).toEqual([]);
    await watched.context.close();
  });

  it('answer downloads as attachments in a sandbox, and have no view or preview', async () => {
    for (const f of files) {
      const res = await fetch(hub.url + filePath(f.id, 'download', key));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      await res.arrayBuffer();
      for (const variant of ['view', 'preview'] as const) {
        const other = await fetch(hub.url + filePath(f.id, variant, key));
        expect(other.status).toBe(404);
        await other.arrayBuffer();
      }
    }
  });
});

describe('a verified image', () => {
  it('is shown inline by its view and preview URLs', async () => {
    const watched = await hubPage();
    const { page } = watched;
    const view = await page.goto(hub.url + filePath(image.id, 'view', key));
    expect(view!.status()).toBe(200);
    expect(view!.headers()['content-type']).toBe('image/png');
    expect(view!.headers()['content-disposition']).toMatch(/^inline;/);
    await page.goto(`${hub.url}/healthz`);
    const sizes = await page.evaluate(
      async (urls) =>
        Promise.all(
          urls.map(
            (src) =>
              new Promise<[number, number]>((resolve) => {
                const img = new Image();
                img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
                img.onerror = () => resolve([0, 0]);
                img.src = src;
              }),
          ),
        ),
      [hub.url + filePath(image.id, 'view', key), hub.url + filePath(image.id, 'preview', key)],
    );
    expect(sizes).toEqual([
      [64, 40],
      [64, 40],
    ]);
    const preview = await fetch(hub.url + filePath(image.id, 'preview', key));
    expect(preview.headers.get('content-type')).toMatch(/^image\/(webp|jpeg)$/);
    await preview.arrayBuffer();
    await watched.context.close();
  });
});
