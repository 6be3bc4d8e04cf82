// @ts-check
// Bundles the hub into dist/hub/beseda-hub.js (its npm dependencies stay in node_modules).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the hub bundle; returns its path. */
export async function buildHub() {
  const outfile = path.join(root, 'dist/hub/beseda-hub.js');
  await build({
    entryPoints: [path.join(root, 'hub/beseda-hub.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildHub();
  console.log('built dist/hub/beseda-hub.js');
}
