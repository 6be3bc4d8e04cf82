// @ts-check
// `npm run bench`: builds the hub and the benchmark (Node 20 runs no TypeScript), then runs it.
// Flags go after `--`, e.g. `npm run bench -- --full` or `npm run bench -- --clients 1000 --rate 150`.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildHub } from './build-hub.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the benchmark's process entry points into dist/bench/. */
export async function buildBench() {
  await build({
    entryPoints: ['runBench', 'loadGen', 'bareRelay'].map((name) => path.join(root, `bench/${name}.ts`)),
    outdir: path.join(root, 'dist/bench'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

await buildHub();
await buildBench();
// The web client, for the Chromium step (skipped with --skip renderer, or when it cannot build).
if (!process.argv.some((a, i) => /renderer/.test(a) && /--skip/.test(process.argv[i - 1] ?? a))) {
  try {
    await (await import('./build-web.js')).buildWeb();
  } catch (err) {
    console.error(
      `web build failed, the web client step will be skipped: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
const { runBench } = await import(pathToFileURL(path.join(root, 'dist/bench/runBench.js')).href);
process.exitCode = await runBench(process.argv.slice(2));
