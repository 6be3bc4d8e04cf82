// Files for the end-to-end tests and the screenshots: a screenshot-like PNG, a photo-like JPEG,
// a small real PDF; and how a page pastes or drops them (real ClipboardEvent/DragEvent with a
// DataTransfer holding a File, as the browser makes them).
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { uploadPath } from '../../common/protocol/fileUrls.ts';
import type { FileRef } from '../../common/protocol/model.ts';

/** A 640×400 PNG that looks like a program's error window (what Print Screen puts on the clipboard). */
export function screenshotPng(width = 640, height = 400): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 640 400">
    <rect width="640" height="400" fill="#e9edf2"/>
    <rect x="60" y="50" width="520" height="300" rx="6" fill="#ffffff" stroke="#9aa5b1"/>
    <rect x="60" y="50" width="520" height="40" rx="6" fill="#f5d77a"/>
    <rect x="80" y="63" width="180" height="14" rx="3" fill="#5a4a16"/>
    <circle cx="120" cy="160" r="30" fill="#d4351c"/>
    <rect x="113" y="140" width="14" height="26" rx="3" fill="#fff"/><rect x="113" y="172" width="14" height="8" rx="3" fill="#fff"/>
    <rect x="175" y="135" width="360" height="14" rx="3" fill="#3a3f47"/>
    <rect x="175" y="160" width="300" height="12" rx="3" fill="#8a939e"/>
    <rect x="175" y="182" width="330" height="12" rx="3" fill="#8a939e"/>
    <rect x="420" y="290" width="130" height="36" rx="5" fill="#0176d3"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A 1200×900 JPEG photo-like gradient (a picture of a shelf, say). */
export function photoJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#7fb2e5"/><stop offset="0.6" stop-color="#f1d8a6"/><stop offset="1" stop-color="#8c6a43"/>
    </linearGradient></defs><rect width="1200" height="900" fill="url(#g)"/>
    <rect x="150" y="420" width="900" height="40" fill="#5b3f22"/><rect x="150" y="700" width="900" height="40" fill="#5b3f22"/>
    <rect x="220" y="300" width="140" height="120" fill="#c0392b"/><rect x="420" y="330" width="200" height="90" fill="#2e86c1"/>
    <rect x="700" y="270" width="120" height="150" fill="#27ae60"/><rect x="300" y="560" width="260" height="140" fill="#f39c12"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** A 320×200 animated GIF of three coloured frames (a screen recording, say). */
export async function animatedGif(): Promise<Buffer> {
  const frame = (color: string) =>
    sharp({ create: { width: 320, height: 200, channels: 3, background: color } })
      .png()
      .toBuffer();
  const frames = await Promise.all(['#d4351c', '#0176d3', '#2e844a'].map(frame));
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: [500, 500, 500], loop: 0 })
    .toBuffer();
}

/** A small but real PDF (3,193 bytes). */
export const pdfBytes = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n' +
    'x'.repeat(3000),
);

/** Uploads a file to the hub as a client would (POST, raw body); resolves to its FileRef. */
export async function uploadFile(
  hubUrl: string,
  token: string,
  name: string,
  type: string,
  bytes: Buffer,
): Promise<FileRef> {
  const res = await fetch(hubUrl + uploadPath(name), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: new Uint8Array(bytes),
  });
  if (res.status !== 201) throw new Error(`upload of ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { file: FileRef }).file;
}

/**
 * Pastes a file as the browser would (a ClipboardEvent with a DataTransfer) into the element
 * `target` (default: the composer's text field), focused first.
 */
export async function pasteFile(
  page: Page,
  bytes: Buffer,
  name: string,
  type: string,
  target = '.composer textarea',
): Promise<void> {
  await page.locator(target).focus();
  await page.evaluate(
    ({ b64, name, type }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bin], name, { type }));
      const focused = document.activeElement ?? document.body;
      focused.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { b64: bytes.toString('base64'), name, type },
  );
}

/**
 * Drags files onto the open conversation; drops them unless `hold` (the drop zone stays, for a
 * screenshot). Resolves whether the drop zone showed while they were dragged.
 */
export async function dropFiles(
  page: Page,
  files: { bytes: Buffer; name: string; type: string }[],
  hold = false,
): Promise<boolean> {
  return page.evaluate(
    ({ list, hold }) => {
      const data = new DataTransfer();
      for (const f of list) {
        data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      }
      const target = document.querySelector('.message-area')!;
      const fire = (type: string) =>
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      fire('dragenter');
      fire('dragover');
      return new Promise<boolean>((resolve) =>
        requestAnimationFrame(() => {
          const shown = document.querySelector('.drop-zone') !== null;
          if (!hold) fire('drop');
          resolve(shown);
        }),
      );
    },
    { list: files.map((f) => ({ b64: f.bytes.toString('base64'), name: f.name, type: f.type })), hold },
  );
}

/** The files dragged over the conversation leave it again without being dropped. */
export async function cancelDrag(page: Page): Promise<void> {
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }));
    const target = document.querySelector('.message-area')!;
    target.dispatchEvent(new DragEvent('dragleave', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
}
