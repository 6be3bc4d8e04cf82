// @ts-check
// Bundles the desktop app into dist/desktop/: main.js (the main process, ESM, with ws,
// electron-store and valibot inside), preload.cjs (the sandboxed preload, CommonJS), renderer/
// (a copy of the web client from dist/web/) and a package.json naming the entry. The installer
// packs exactly this folder: no node_modules, no native modules, no hub code.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Electron 45 runs Node 22 in the main process and Chromium 142 in the renderer. */
const nodeTarget = 'node22';

/**
 * Builds dist/desktop/ and returns its path. Builds the web client first if dist/web/ is missing.
 * @param {{ outDir?: string }} [options]
 */
export async function buildDesktop(options = {}) {
  const outDir = options.outDir ?? path.join(root, 'dist/desktop');
  const webDir = path.join(root, 'dist/web');
  if (!existsSync(path.join(webDir, 'index.html'))) {
    const { buildWeb } = await import('./build-web.js');
    await buildWeb();
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  await build({
    entryPoints: [path.join(root, 'main/shell/main.ts')],
    outfile: path.join(outDir, 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: nodeTarget,
    // Electron provides `electron`; ws's optional native speed-ups are left out on purpose.
    external: ['electron', 'bufferutil', 'utf-8-validate'],
    // CommonJS dependencies (ws) call require() for Node built-ins; ESM has no require of its own.
    banner: {
      js: "import { createRequire as __besedaRequire } from 'node:module'; const require = __besedaRequire(import.meta.url);",
    },
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
  });

  await build({
    entryPoints: [path.join(root, 'preload/preload.ts')],
    outfile: path.join(outDir, 'preload.cjs'),
    bundle: true,
    // A sandboxed preload is a CommonJS script that may require only `electron` (and a few others).
    platform: 'node',
    format: 'cjs',
    target: nodeTarget,
    external: ['electron'],
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
  });

  // The .br/.gz copies are for the hub's HTTP serving; the app loads its files from disk.
  cpSync(webDir, path.join(outDir, 'renderer'), { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) });

  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const appPackage = {
    name: 'beseda',
    productName: 'Беседа',
    version: pkg.version,
    description: 'Беседа — мессенджер организации',
    author: { name: 'Beseda', email: 'it@beseda.invalid' },
    license: pkg.license ?? 'UNLICENSED',
    type: 'module',
    main: 'main.js',
  };
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(appPackage, null, 2)}\n`);
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = await buildDesktop();
  console.log(`built ${path.relative(root, out)}/`);
}
