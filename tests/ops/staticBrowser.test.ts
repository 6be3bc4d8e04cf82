// The web client as the build makes it, in real Chromium against a real hub, through scripts/measure-web-load.js:
// a first visit gets the brotli copies (fewer bytes than the files), a repeat visit on the same
// browser profile takes the hashed assets from the browser's cache without asking and only
// revalidates the unhashed files (304). Behaviour only: the timings the script reports are not checked.
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticHub, type StaticHub } from './staticHub.ts';

interface RequestRecord {
  path: string;
  status: number;
  fromCache: boolean;
  encoding: string;
  transferred: number;
}
interface VisitResult {
  requests: number;
  fromNetwork: number;
  fromCache: number;
  notModified: number;
  transferred: number;
  formMs: number;
  details: RequestRecord[];
}

const load = (name: string) => import(new URL(`../../scripts/${name}`, import.meta.url).href);
// Built here into a folder of its own (as `npm run build` builds dist/web, precompression
// included): a test run elsewhere rebuilding dist/web meanwhile cannot blank or half-write it.
const web = mkdtempSync(path.join(os.tmpdir(), 'beseda-static-browser-'));

let hub: StaticHub;
beforeAll(async () => {
  await (await load('build-web.js')).buildWeb({ outDir: web });
  hub = await startStaticHub(web);
});
afterAll(async () => {
  await hub?.stop();
});

describe('the web client in Chromium', () => {
  it(
    'sends brotli on the first visit and only revalidates index.html on the repeat visit',
    { timeout: 240_000 },
    async () => {
      const { measureWebLoad } = await load('measure-web-load.js');
      const { cold, warm } = (await measureWebLoad(`http://127.0.0.1:${hub.port}/`, { runs: 1 })) as {
        cold: VisitResult[];
        warm: VisitResult[];
      };
      const first = cold[0]!;
      const again = warm[0]!;
      const size = (p: string) => statSync(path.join(web, p === '/' ? 'index.html' : p)).size;

      // First visit: everything from the hub, the page, its script and its style compressed with brotli.
      expect(first.fromCache).toBe(0);
      const paths = first.details.map((r) => r.path);
      expect(paths).toContain('/');
      const assets = first.details.filter((r) => r.path.startsWith('/assets/'));
      expect(assets.some((r) => r.path.endsWith('.js'))).toBe(true);
      expect(assets.some((r) => r.path.endsWith('.css'))).toBe(true);
      for (const r of [...assets, first.details.find((d) => d.path === '/')!]) {
        expect(r.status, r.path).toBe(200);
        expect(r.encoding, r.path).toBe('br');
      }
      // Headers (≈ 500 bytes) outweigh a tiny file however compressed: the legacy loader (306 bytes,
      // docs/embedding.md) is left out of this comparison.
      for (const r of assets) if (size(r.path) > 1024) expect(r.transferred, r.path).toBeLessThan(size(r.path));
      expect(first.formMs).toBeGreaterThan(0);

      // Repeat visit: the page and its assets again (Chromium may skip the favicon); hashed assets
      // from the cache without asking, the rest revalidated: 304.
      const againPaths = again.details.map((r) => r.path);
      for (const p of paths.filter((p) => p !== '/favicon.svg')) expect(againPaths).toContain(p);
      for (const r of again.details) {
        if (r.path.startsWith('/assets/')) expect(r.fromCache, r.path).toBe(true);
        else expect(r.status, r.path).toBe(304);
      }
      expect(again.notModified).toBe(again.fromNetwork);
      expect(again.transferred).toBeLessThan(first.transferred / 10);
      expect(again.formMs).toBeGreaterThan(0);
    },
  );

  it(
    'sends the gzip copies to a browser that offers only gzip (Chromium over plain HTTP to another machine)',
    { timeout: 240_000 },
    async () => {
      const { measureWebLoad } = await load('measure-web-load.js');
      const { cold } = (await measureWebLoad(`http://127.0.0.1:${hub.port}/`, {
        runs: 1,
        acceptEncoding: 'gzip, deflate',
      })) as { cold: VisitResult[] };
      const first = cold[0]!;
      const page = first.details.filter((r) => r.path === '/' || r.path.startsWith('/assets/'));
      expect(page.length).toBeGreaterThanOrEqual(3);
      for (const r of page) {
        expect(r.status, r.path).toBe(200);
        expect(r.encoding, r.path).toBe('gzip');
      }
    },
  );
});
