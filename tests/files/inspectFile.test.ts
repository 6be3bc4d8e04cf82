// The hub's image pipeline and file-type verification with real images made by sharp (libvips)
// in the test, and hostile files made by hand: bombs, polyglots, markup under image names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectFile, type FileVerdict } from '../../hub/files/inspectFile.ts';
import { downloadType, servedFileType } from '../../hub/files/servedFileType.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes bytes to a fresh file in the test folder; returns its path. */
const put = (bytes: Buffer | string, name = 'file') => {
  const file = path.join(dir, `${n++}-${name}`);
  writeFileSync(file, bytes);
  return file;
};

const red = { r: 255, g: 0, b: 0 };
const blue = { r: 0, g: 0, b: 255 };
const solid = (width: number, height: number, background: typeof red) =>
  sharp({ create: { width, height, channels: 3, background } });
/** Gaussian noise: compresses badly, so decoders have real work. */
const noisy = (width: number, height: number) =>
  sharp({
    create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  });

/** Raw RGB pixels: `bands` horizontal bands of the given colours, top to bottom. */
function bandsRaw(width: number, bandHeight: number, colours: (typeof red)[]): Buffer {
  const out = Buffer.alloc(width * bandHeight * colours.length * 3);
  colours.forEach((c, i) => {
    for (let p = i * width * bandHeight; p < (i + 1) * width * bandHeight; p++) out.set([c.r, c.g, c.b], p * 3);
  });
  return out;
}

/** Two frames, red over blue, as one animation strip (sharp's `pageHeight`). */
const twoFrames = (width: number, height: number) =>
  sharp(bandsRaw(width, height, [red, blue]), { raw: { width, height: height * 2, channels: 3, pageHeight: height } });

/** The colour of one preview pixel. */
async function pixel(preview: Buffer, x: number, y: number) {
  const { data, info } = await sharp(preview).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return { r: data[at]!, g: data[at + 1]!, b: data[at + 2]! };
}
const isRed = (c: { r: number; g: number; b: number }) => c.r > 200 && c.g < 60 && c.b < 60;
const isBlue = (c: { r: number; g: number; b: number }) => c.b > 200 && c.r < 60 && c.g < 60;

function image(v: FileVerdict) {
  if (v.kind !== 'image') throw new Error(`expected an image, got a file: ${v.reason ?? v.type}`);
  return v;
}

/** A PNG chunk: length, type, data, CRC over type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** The chunks of a PNG, in order. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

/** A two-frame APNG (red, then blue) whose default image is the first frame. */
async function apng(width: number, height: number): Promise<Buffer> {
  const [a, b] = await Promise.all([
    solid(width, height, red).png().toBuffer(),
    solid(width, height, blue).png().toBuffer(),
  ]);
  const fcTL = (seq: number) => {
    const d = Buffer.alloc(26);
    d.writeUInt32BE(seq, 0);
    d.writeUInt32BE(width, 4);
    d.writeUInt32BE(height, 8);
    d.writeUInt16BE(1, 20); // delay 1/10 s
    d.writeUInt16BE(10, 22);
    return chunk('fcTL', d);
  };
  const acTL = Buffer.alloc(8);
  acTL.writeUInt32BE(2, 0); // frames
  const first = chunks(a);
  const idat = first.filter((c) => c.type === 'IDAT').map((c) => chunk('IDAT', c.data));
  const fdat = chunks(b)
    .filter((c) => c.type === 'IDAT')
    .map((c, i) => {
      const seq = Buffer.alloc(4);
      seq.writeUInt32BE(2 + i);
      return chunk('fdAT', Buffer.concat([seq, c.data]));
    });
  return Buffer.concat([
    a.subarray(0, 8),
    chunk('IHDR', first[0]!.data),
    chunk('acTL', acTL),
    fcTL(0),
    ...idat,
    fcTL(1),
    ...fdat,
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('inspectFile: real images', () => {
  it('reads a PNG: type, size, a WebP preview never enlarged', async () => {
    const v = image(await inspectFile(put(await solid(300, 200, red).png().toBuffer()), 'image/png', 'a.png'));
    expect(v).toMatchObject({ type: 'image/png', width: 300, height: 200, animated: false, previewType: 'image/webp' });
    const preview = await sharp(v.preview).metadata();
    expect([preview.format, preview.width, preview.height]).toEqual(['webp', 300, 200]);
  });

  it('fits a large screenshot into 1280 px on its long side', async () => {
    const v = image(await inspectFile(put(await solid(3000, 1200, blue).png().toBuffer()), '', 'screen.png'));
    expect([v.width, v.height]).toEqual([3000, 1200]);
    const preview = await sharp(v.preview).metadata();
    expect([preview.width, preview.height]).toEqual([1280, 512]);
    expect(isBlue(await pixel(v.preview, 10, 10))).toBe(true);
  });

  it('applies EXIF orientation 6: width and height as displayed, the preview turned upright', async () => {
    // Stored 400×200 with red on the left; orientation 6 turns it a quarter clockwise: red on top.
    const stored = Buffer.alloc(400 * 200 * 3);
    for (let p = 0; p < 400 * 200; p++) stored.set(p % 400 < 200 ? [255, 0, 0] : [0, 0, 255], p * 3);
    const jpeg = await sharp(stored, { raw: { width: 400, height: 200, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const v = image(await inspectFile(put(jpeg), 'image/jpeg', 'photo.jpg'));
    expect(v).toMatchObject({ type: 'image/jpeg', width: 200, height: 400, animated: false });
    const preview = await sharp(v.preview).metadata();
    expect([preview.width, preview.height, preview.orientation]).toEqual([200, 400, undefined]);
    expect(isRed(await pixel(v.preview, 100, 50))).toBe(true);
    expect(isBlue(await pixel(v.preview, 100, 350))).toBe(true);
  });

  it('marks an animated GIF as animated and previews its first frame', async () => {
    const gif = await twoFrames(40, 30).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const v = image(await inspectFile(put(gif), 'image/gif', 'cat.gif'));
    expect(v).toMatchObject({ type: 'image/gif', width: 40, height: 30, animated: true });
    const preview = await sharp(v.preview).metadata();
    expect([preview.width, preview.height, preview.pages ?? 1]).toEqual([40, 30, 1]);
    expect(isRed(await pixel(v.preview, 20, 15))).toBe(true);
  });

  it('reads a still and an animated WebP', async () => {
    const still = image(await inspectFile(put(await solid(64, 48, red).webp().toBuffer()), '', 'x'));
    expect(still).toMatchObject({ type: 'image/webp', width: 64, height: 48, animated: false });
    const moving = image(await inspectFile(put(await twoFrames(40, 30).webp().toBuffer()), '', 'y.webp'));
    expect(moving).toMatchObject({ type: 'image/webp', width: 40, height: 30, animated: true });
    expect(isRed(await pixel(moving.preview, 20, 15))).toBe(true);
  });

  it('marks an APNG as animated and previews its first frame', async () => {
    const v = image(await inspectFile(put(await apng(50, 20)), 'image/png', 'loop.png'));
    expect(v).toMatchObject({ type: 'image/png', width: 50, height: 20, animated: true });
    expect(isRed(await pixel(v.preview, 25, 10))).toBe(true);
  });

  it('keeps a PNG with HTML after its end an image (its bytes decode; served only as image/png)', async () => {
    const png = await solid(30, 20, red).png().toBuffer();
    const v = await inspectFile(put(Buffer.concat([png, Buffer.from('<html><script>alert(1)</script>')])), '', 'a.png');
    expect(image(v).type).toBe('image/png');
  });

  it('treats a GIF that is also JavaScript as image/gif only', async () => {
    // GIF89a/*…*/=alert(1): the logical screen width bytes are "/*", the script follows the trailer.
    const gif = await solid(10, 10, red).gif().toBuffer();
    gif.write('/*', 6, 'latin1');
    const polyglot = Buffer.concat([gif, Buffer.from('*/=alert(document.domain);//', 'latin1')]);
    expect(polyglot.includes('*/', 8, 'latin1')).toBe(true);
    expect(() => new vm.Script(polyglot.toString('latin1'))).not.toThrow();
    const v = await inspectFile(put(polyglot), 'text/javascript', 'x.js');
    expect(image(v)).toMatchObject({ type: 'image/gif', animated: false });
  });
});

describe('inspectFile: hostile and broken files', () => {
  it('refuses a 20,000×20,000 PNG bomb from its header, without decoding it', async () => {
    const bomb = await sharp({
      create: { width: 20_000, height: 20_000, channels: 3, background: red },
      limitInputPixels: false,
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const file = put(bomb, 'bomb.png');
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    const v = await inspectFile(file, 'image/png', 'bomb.png');
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    expect(v).toMatchObject({ kind: 'file', type: 'application/octet-stream' });
    expect(v.kind === 'file' && v.reason).toMatch(/too many pixels: 20000×20000/);
    // Decoding would take 1.2 GB (20,000² × 3 bytes); reading a header takes next to nothing.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  }, 180_000);

  it('honours configurable pixel and side limits', async () => {
    const file = put(await solid(300, 200, red).png().toBuffer());
    expect(await inspectFile(file, '', 'a.png', { maxPixels: 50_000 })).toMatchObject({
      kind: 'file',
      reason: expect.stringMatching(/too many pixels/),
    });
    expect(await inspectFile(file, '', 'a.png', { maxSide: 299 })).toMatchObject({
      kind: 'file',
      reason: expect.stringMatching(/dimensions out of range/),
    });
  });

  it('makes a truncated JPEG or PNG a file', async () => {
    const jpeg = await noisy(800, 600).jpeg().toBuffer();
    const v = await inspectFile(put(jpeg.subarray(0, jpeg.length >> 1)), 'image/jpeg', 'cut.jpg');
    expect(v).toMatchObject({ kind: 'file', type: 'application/octet-stream', reason: expect.stringMatching(/jpeg/) });
    const png = await noisy(300, 200).png().toBuffer();
    const w = await inspectFile(put(png.subarray(0, png.length >> 1)), 'image/png', 'cut.png');
    expect(w).toMatchObject({ kind: 'file', type: 'application/octet-stream' });
  });

  it('makes an SVG with a script a download-only file, whatever its name and declared type', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
    for (const [name, declared] of [
      ['pic.svg', 'image/svg+xml'],
      ['pic.png', 'image/png'],
      ['pic.txt', 'text/plain'],
    ])
      expect(await inspectFile(put(svg), declared!, name!)).toEqual({ kind: 'file', type: 'application/octet-stream' });
    const xml = `<?xml version="1.0"?>\n${svg}`;
    expect(await inspectFile(put(xml), 'image/svg+xml', 'pic.svg')).toEqual({
      kind: 'file',
      type: 'application/octet-stream',
    });
  });

  it('makes HTML renamed .png a download-only file', async () => {
    const html = '<!DOCTYPE html><html><body><script>fetch("/api/v1/me")</script></body></html>';
    expect(await inspectFile(put(html), 'image/png', 'screenshot.png')).toEqual({
      kind: 'file',
      type: 'application/octet-stream',
    });
  });

  it('makes bytes that merely start like a WebP or PNG a file', async () => {
    const fakeWebp = Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(64)]);
    expect(await inspectFile(put(fakeWebp), 'image/webp', 'a.webp')).toMatchObject({ kind: 'file' });
    const fakePng = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('<html>'),
    ]);
    expect(await inspectFile(put(fakePng), 'image/png', 'a.png')).toMatchObject({
      kind: 'file',
      type: 'application/octet-stream',
    });
    expect(await inspectFile(put(''), 'image/png', 'empty.png')).toEqual({
      kind: 'file',
      type: 'application/octet-stream',
    });
  });

  it('decodes off the event loop: timers keep firing while large images are inspected', async () => {
    // 16 MP of noise, so the PNG decoder has real work (no shrink-on-load as for JPEG).
    const big = put(await noisy(4000, 4000).png({ compressionLevel: 1 }).toBuffer());
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const t0 = performance.now();
    const verdicts = await Promise.all([1, 2, 3].map(() => inspectFile(big, 'image/png', 'big.png')));
    const tookMs = performance.now() - t0;
    delay.disable();
    for (const v of verdicts) expect(image(v)).toMatchObject({ width: 4000, height: 4000 });
    // Decoding on the loop would stall it for a whole decode (a third of the time at least); a
    // loose bound, relative to the machine's own speed, so a loaded machine passes too.
    expect(delay.max / 1e6).toBeLessThan(tookMs / 3);
  }, 180_000);
});

describe('servedFileType: what a non-image is served as', () => {
  const type = (bytes: Buffer | string, name: string, declared = '') =>
    servedFileType(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, name, declared);
  const zip = Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1');
  const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);

  it('keeps recognised passive formats', () => {
    expect(type('%PDF-1.7\n', 'Счёт №17.pdf')).toBe('application/pdf');
    expect(type('%PDF-1.7\n', 'invoice')).toBe('application/pdf');
    expect(type(zip, 'Отчёт.docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(type(zip, 'Книга.XLSX')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(type(zip, 'no-extension', 'application/vnd.oasis.opendocument.text')).toBe(
      'application/vnd.oasis.opendocument.text',
    );
    expect(type(zip, 'archive.zip', 'text/html')).toBe('application/zip');
    expect(type(ole, 'old.xls')).toBe('application/vnd.ms-excel');
    expect(type(Buffer.from('Дата;Сумма\r\n01.02;100\r\n'), 'выгрузка.csv')).toBe('text/csv');
    // Windows-1251 bytes, as 1C writes them, are text too.
    expect(type(Buffer.from([0xc4, 0xe0, 0xf2, 0xe0, 0x3b, 0x0d, 0x0a]), 'a.csv')).toBe('text/csv');
    expect(type('hello\n', 'notes.txt')).toBe('text/plain');
  });

  it('serves anything a browser could render or run as application/octet-stream', () => {
    for (const [bytes, name, declared] of [
      ['<!doctype html><script>alert(1)</script>', 'page.html', 'text/html'],
      ['<script>alert(1)</script>', 'notes.txt', 'text/plain'],
      ['<svg onload="alert(1)"/>', 'a.svg', 'image/svg+xml'],
      ['<?xml version="1.0"?><r/>', 'exchange.xml', 'application/xml'],
      ['\xef\xbb\xbf<html>', 'bom.txt', 'text/plain'],
      ['alert(1)', 'app.js', 'text/javascript'],
      ['<html xmlns="http://www.w3.org/1999/xhtml"/>', 'a.xhtml', 'application/xhtml+xml'],
      ['MZ\x90\x00', 'setup.exe', 'application/x-msdownload'],
      ['\x00\x01\x02binary', 'data.txt', 'text/plain'],
      ['plain words', 'readme', 'text/html'],
    ])
      expect(type(bytes!, name!, declared), name).toBe('application/octet-stream');
    expect(type(ole, 'setup.msi')).toBe('application/octet-stream');
  });

  it('downloadType never passes an active type stored by anyone', () => {
    expect(downloadType('application/pdf', 'file')).toBe('application/pdf');
    expect(downloadType('image/png', 'image')).toBe('image/png');
    expect(downloadType('image/png', 'file')).toBe('application/octet-stream');
    expect(downloadType('text/html', 'file')).toBe('application/octet-stream');
    expect(downloadType('image/svg+xml', 'image')).toBe('application/octet-stream');
  });
});
