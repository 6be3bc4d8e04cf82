// @ts-check
// Builds the web client (renderer/) with vite into dist/web/: index.html plus hashed assets.
// The same files are what the desktop app loads from disk. Then writes brotli and gzip copies
// beside every compressible file for the hub to send (scripts/precompress.js). Prints the initial
// JS size gzipped and what precompression saves.
import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { precompress } from './precompress.js';
import { buildLegacy } from './build-legacy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the renderer into dist/web/ (or `outDir`: a test's own copy, which a parallel build of
 * dist/web cannot blank), precompresses it (`.br` and `.gz` beside each compressible file), and
 * prints the gzipped size of the JavaScript the page loads before anything else (the entry chunk
 * and its static imports).
 * @param {{ outDir?: string }} [options]
 */
export async function buildWeb(options = {}) {
  const outDir = options.outDir ?? path.join(root, 'dist/web');
  // Vite decides "production" from NODE_ENV, which a test runner sets to `test`: without this the
  // bundle would carry Preact's debug build. Restored at once, so nothing else sees the change.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const result = await build({
    configFile: path.join(root, 'vite.config.ts'),
    root: path.join(root, 'renderer'),
    logLevel: 'warn',
    mode: 'production',
    build: { outDir, emptyOutDir: true },
  }).finally(() => {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunks = new Map(outputs.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  /** @type {Set<string>} */
  const initial = new Set();
  /** @param {string} name */
  const visit = (name) => {
    const chunk = chunks.get(name);
    if (!chunk || initial.has(name)) return;
    initial.add(name);
    for (const dep of chunk.imports) visit(dep);
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
  /** @param {Iterable<string>} names */
  const gz = (names) =>
    [...names].reduce((sum, name) => sum + gzipSync(readFileSync(path.join(outDir, name))).length, 0);
  const initialBytes = gz(initial);
  const allBytes = gz(chunks.keys());
  console.log(
    `web: initial JS ${(initialBytes / 1024).toFixed(1)} KB gzipped (${initial.size} file(s)); all JS ${(allBytes / 1024).toFixed(1)} KB gzipped`,
  );
  // The ES2015 bundle for engines that cannot run the module (docs/embedding.md); before
  // precompression so its files get .br/.gz too.
  const legacy = await buildLegacy(outDir);
  console.log(
    `web: legacy ES2015 bundle ${(legacy.jsBytes / 1024).toFixed(1)} KB (${legacy.js}), loaded only where the module does not run`,
  );
  // After the size report, which reads only the original files.
  const packed = await precompress(outDir);
  /** @param {number} n */
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `web: precompressed ${packed.files} file(s), ${kb(packed.bytes)} → brotli ${kb(packed.brBytes)}, gzip ${kb(packed.gzBytes)}`,
  );
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildWeb();
}
