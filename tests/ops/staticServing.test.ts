// The web client's files as a real hub serves them: precompressed brotli/gzip chosen by
// Accept-Encoding (the body decompresses to the file, the length is the sent bytes), long caching
// of hashed assets, strong ETags and 304s for the rest, HEAD, the security headers on every
// answer, no way out of the folder, and the file itself when a precompressed copy is missing or stale.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startStaticHub, type RawAnswer, type StaticHub } from './staticHub.ts';

const load = (name: string) => import(new URL(`../../scripts/${name}`, import.meta.url).href);

/** What Chromium sends. */
const chrome = 'gzip, deflate, br, zstd';

const top = mkdtempSync(path.join(os.tmpdir(), 'beseda-static-web-'));
const web = path.join(top, 'web');
const script = `${Array.from({ length: 2000 }, (_, i) => `export const value${i} = "Беседа ${i}";`).join('\n')}\n`;
const files: Record<string, string | Buffer> = {
  'index.html': `<!doctype html><html lang="ru"><head><title>Беседа</title>${'<meta name="x" content="y">'.repeat(40)}</head><body><div id="app"></div></body></html>`,
  'favicon.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">${'<circle cx="8" cy="8" r="7"/>'.repeat(20)}</svg>`,
  'assets/index-Ab12Cd34.js': script,
  'assets/index-Ef56Gh78.css': `${Array.from({ length: 500 }, (_, i) => `.c${i} { color: #${String(i).padStart(6, '0')}; }`).join('\n')}\n`,
  'assets/onlygz-Zz99Yy88.js': script.replace(/value/g, 'other'),
  'assets/stale-Qq11Ww22.js': script.replace(/value/g, 'stale'),
  'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 64 }, (_, i) => i)]),
  'tiny.txt': 'a',
};

let hub: StaticHub;
const get = (p: string, headers: Record<string, string> = {}, method = 'GET') =>
  rawRequest(hub.port, p, headers, method);
const original = (rel: string) => readFileSync(path.join(web, rel));
const decode = (answer: RawAnswer): Buffer => {
  const coding = answer.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(answer.body);
  if (coding === 'gzip') return gunzipSync(answer.body);
  expect(coding).toBeUndefined();
  return answer.body;
};

beforeAll(async () => {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(web, rel)), { recursive: true });
    writeFileSync(path.join(web, rel), content);
  }
  writeFileSync(path.join(top, 'secret.txt'), 'outside the web root');
  await (await load('precompress.js')).precompress(web);
  rmSync(path.join(web, 'assets/onlygz-Zz99Yy88.js.br'));
  // A file changed after its copies were made (edited by hand): its .br/.gz are an hour older.
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const suffix of ['.br', '.gz'])
    utimesSync(path.join(web, `assets/stale-Qq11Ww22.js${suffix}`), hourAgo, hourAgo);
  hub = await startStaticHub(web);
});
afterAll(async () => {
  await hub?.stop();
});

describe('precompressed files chosen by Accept-Encoding', () => {
  it.each([
    [chrome, 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip, br;q=0.5', 'gzip'],
    ['br;q=0.999, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['deflate', undefined],
    ['identity', undefined],
    ['', undefined],
  ])('Accept-Encoding %j → %s, decoding to the file', async (accept, coding) => {
    for (const rel of ['index.html', 'assets/index-Ab12Cd34.js', 'assets/index-Ef56Gh78.css', 'favicon.svg']) {
      const answer = await get(`/${rel === 'index.html' ? '' : rel}`, accept ? { 'accept-encoding': accept } : {});
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(coding);
      expect(answer.headers.vary).toBe('Accept-Encoding');
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(decode(answer).equals(original(rel))).toBe(true);
      if (coding) expect(answer.body.length).toBeLessThan(original(rel).length);
    }
  });

  it('keeps the content type of the file, not of its compressed copy', async () => {
    const js = await get('/assets/index-Ab12Cd34.js', { 'accept-encoding': chrome });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const html = await get('/', { 'accept-encoding': 'gzip' });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('falls back to what exists: gzip when the .br is missing, the file itself when both are', async () => {
    const onlyGz = await get('/assets/onlygz-Zz99Yy88.js', { 'accept-encoding': chrome });
    expect(onlyGz.headers['content-encoding']).toBe('gzip');
    expect(decode(onlyGz).equals(original('assets/onlygz-Zz99Yy88.js'))).toBe(true);
    const onlyBrWanted = await get('/assets/onlygz-Zz99Yy88.js', { 'accept-encoding': 'br' });
    expect(onlyBrWanted.headers['content-encoding']).toBeUndefined();
    expect(onlyBrWanted.body.equals(original('assets/onlygz-Zz99Yy88.js'))).toBe(true);
    // A 1-byte file only grows compressed: the build wrote no copies, nothing varies.
    const tiny = await get('/tiny.txt', { 'accept-encoding': chrome });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers.vary).toBeUndefined();
    expect(tiny.body.toString()).toBe('a');
    // Images are not compressed again.
    const png = await get('/logo.png', { 'accept-encoding': chrome });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.equals(original('logo.png'))).toBe(true);
  });

  it('never sends copies older than the file (a file changed after the build)', async () => {
    const answer = await get('/assets/stale-Qq11Ww22.js', { 'accept-encoding': chrome });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.equals(original('assets/stale-Qq11Ww22.js'))).toBe(true);
  });
});

describe('caching', () => {
  it('caches hashed assets for a year, immutable; revalidates index.html and the other unhashed files', async () => {
    for (const rel of ['assets/index-Ab12Cd34.js', 'assets/index-Ef56Gh78.css'])
      expect((await get(`/${rel}`, { 'accept-encoding': chrome })).headers['cache-control']).toBe(
        'public, max-age=31536000, immutable',
      );
    for (const rel of ['', 'index.html', 'favicon.svg', 'logo.png']) {
      const answer = await get(`/${rel}`, { 'accept-encoding': chrome });
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers.etag).toMatch(/^"[A-Za-z0-9_-]{16,}"$/);
    }
  });

  it('gives each coding its own strong ETag, the same on every request', async () => {
    const tags = new Set<string>();
    for (const accept of ['br', 'gzip', 'identity']) {
      const first = (await get('/', { 'accept-encoding': accept })).headers.etag as string;
      expect((await get('/index.html', { 'accept-encoding': accept })).headers.etag).toBe(first);
      tags.add(first);
    }
    expect(tags.size).toBe(3);
  });

  it('answers If-None-Match with 304 and no body, for GET and HEAD, with the headers kept', async () => {
    for (const accept of [chrome, 'gzip', '']) {
      const headers: Record<string, string> = accept ? { 'accept-encoding': accept } : {};
      const first = await get('/', headers);
      const etag = first.headers.etag as string;
      for (const method of ['GET', 'HEAD']) {
        for (const condition of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
          const again = await get('/', { ...headers, 'if-none-match': condition }, method);
          expect(again.status, `${method} ${condition}`).toBe(304);
          expect(again.body.length).toBe(0);
          expect(again.headers.etag).toBe(etag);
          expect(again.headers['cache-control']).toBe('no-cache');
          expect(again.headers['content-security-policy']).toContain("default-src 'none'");
          if (first.headers.vary) expect(again.headers.vary).toBe('Accept-Encoding');
        }
      }
    }
  });

  it('sends the file again for another coding, an unknown tag, or a changed file', async () => {
    const br = (await get('/', { 'accept-encoding': 'br' })).headers.etag as string;
    const asGzip = await get('/', { 'accept-encoding': 'gzip', 'if-none-match': br });
    expect(asGzip.status).toBe(200);
    expect(decode(asGzip).equals(original('index.html'))).toBe(true);
    expect((await get('/', { 'if-none-match': '"something-else"' })).status).toBe(200);

    const before = (await get('/favicon.svg')).headers.etag as string;
    const changed = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>';
    writeFileSync(path.join(web, 'favicon.svg'), changed);
    rmSync(path.join(web, 'favicon.svg.br'));
    rmSync(path.join(web, 'favicon.svg.gz'));
    const after = await get('/favicon.svg', { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(after.body.toString()).toBe(changed);
    expect(after.headers.etag).not.toBe(before);
  });
});

describe('HEAD, security headers, the folder boundary', () => {
  it('answers HEAD with the headers GET would send and no body', async () => {
    for (const accept of [chrome, 'gzip', '']) {
      const headers: Record<string, string> = accept ? { 'accept-encoding': accept } : {};
      const got = await get('/assets/index-Ab12Cd34.js', headers);
      const head = await get('/assets/index-Ab12Cd34.js', headers, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const name of ['content-length', 'content-encoding', 'content-type', 'etag', 'vary', 'cache-control'])
        expect(head.headers[name], name).toEqual(got.headers[name]);
    }
  });

  it('keeps the security headers on every file', async () => {
    for (const rel of ['', 'assets/index-Ab12Cd34.js', 'tiny.txt', 'logo.png']) {
      const answer = await get(`/${rel}`, { 'accept-encoding': chrome });
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('never serves a file outside the web root', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/index.html%00.br',
      '//../secret.txt',
    ]) {
      for (const accept of [chrome, '']) {
        const answer = await get(p, accept ? { 'accept-encoding': accept } : ({} as Record<string, string>));
        expect(answer.status, p).toBe(404);
        expect(answer.body.toString()).not.toContain('outside the web root');
      }
    }
  });

  it('answers 404 for a missing file and for a folder', async () => {
    expect((await get('/assets/missing-00000000.js', { 'accept-encoding': chrome })).status).toBe(404);
    expect((await get('/assets', { 'accept-encoding': chrome })).status).toBe(404);
    expect((await get('/assets/', { 'accept-encoding': chrome })).status).toBe(404);
  });
});
