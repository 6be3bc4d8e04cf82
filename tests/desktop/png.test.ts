import { inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../main/png/crc32.ts';
import { encodePng, pngSignature } from '../../main/png/encodePng.ts';
import { Canvas, hex, roundedRect } from '../../main/png/Canvas.ts';
import { drawAppIcon, drawOverlayIcon, drawTrayIcon } from '../../main/tray/drawIcons.ts';
import { trayStatus } from '../../main/tray/TrayStatus.ts';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
  crcInput: Buffer;
}

/** A minimal independent PNG reader: chunks, IHDR, and the unfiltered pixels (filter 0 only). */
function readPng(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: Chunk[] = [];
  let pos = 8;
  while (pos < png.length) {
    const length = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + length);
    const crc = png.readUInt32BE(pos + 8 + length);
    chunks.push({ type, data, crc, crcInput: png.subarray(pos + 4, pos + 8 + length) });
    pos += 12 + length;
  }
  expect(pos).toBe(png.length);
  const ihdr = chunks[0]!;
  expect(ihdr.type).toBe('IHDR');
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const raw = inflateSync(idat);
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (stride + 1)]).toBe(0);
    raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  }
  return { chunks, width, height, bitDepth: ihdr.data[8], colourType: ihdr.data[9], interlace: ihdr.data[12], pixels };
}

// Node's own CRC-32 (zlib) where it exists, to check ours against an independent implementation.
const referenceCrc = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;

describe('PNG encoder', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('writes the signature, an RGBA IHDR of the right size, correct CRCs and the exact pixels', () => {
    const image = new Canvas(5, 3);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 37) & 255;
    const png = encodePng(image);
    expect([...png.subarray(0, 8)]).toEqual([...pngSignature]);
    const read = readPng(png);
    expect(read.chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(read.chunks[0]!.data.length).toBe(13);
    expect([read.width, read.height, read.bitDepth, read.colourType, read.interlace]).toEqual([5, 3, 8, 6, 0]);
    for (const chunk of read.chunks) {
      expect(chunk.crc).toBe(crc32(chunk.crcInput));
      if (referenceCrc) expect(chunk.crc).toBe(referenceCrc(chunk.crcInput) >>> 0);
    }
    expect([...read.pixels]).toEqual([...image.data]);
  });

  it('refuses sizes and data that do not match', () => {
    expect(() => encodePng({ width: 0, height: 1, data: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(RangeError);
  });

  it('encodes every tray state at 16 and 32 px as valid PNGs', () => {
    const states = [
      trayStatus({ connection: 'connected', totalUnread: 0, totalMentions: 0 }),
      trayStatus({ connection: 'connected', totalUnread: 4, totalMentions: 0 }),
      trayStatus({ connection: 'connected', totalUnread: 40, totalMentions: 3 }),
      trayStatus({ connection: 'offline', totalUnread: 2, totalMentions: 0 }),
      trayStatus({ connection: 'signed-out', totalUnread: 0, totalMentions: 0 }),
    ];
    for (const status of states)
      for (const size of [16, 32]) {
        const read = readPng(encodePng(drawTrayIcon(status, size)));
        expect([read.width, read.height]).toEqual([size, size]);
        for (const chunk of read.chunks) expect(chunk.crc).toBe(crc32(chunk.crcInput));
      }
    expect(readPng(encodePng(drawOverlayIcon('9+', true, 32))).width).toBe(32);
    expect(readPng(encodePng(drawAppIcon(512))).height).toBe(512);
  });

  it('draws anti-aliased edges (partly covered pixels get partial alpha)', () => {
    const c = new Canvas(8, 8);
    c.fill(roundedRect(0.5, 0.5, 7.5, 7.5, 3), hex('#ff0000'));
    const alphas = new Set<number>();
    for (let i = 3; i < c.data.length; i += 4) alphas.add(c.data[i]!);
    expect(alphas.has(255)).toBe(true);
    expect([...alphas].some((a) => a > 0 && a < 255)).toBe(true);
  });
});
