// Builds the renderer (renderer/index.html) into dist/web/: the hub serves it at `/` and the
// desktop app loads the same files from disk, hence the relative base.
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import preact from '@preact/preset-vite';

/**
 * Drops `crossorigin` from the built index.html: the page is same-origin on the hub, and on
 * Electron's file:// the attribute makes module scripts fail their CORS check.
 */
function noCrossorigin(): Plugin {
  return {
    name: 'beseda-no-crossorigin',
    enforce: 'post',
    transformIndexHtml: (html) => html.replace(/\s+crossorigin(="[^"]*")?/g, ''),
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: 'public',
  plugins: [preact({ devtoolsInProd: false, prefreshEnabled: false }), noCrossorigin()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // Small files must not become data: URLs inside CSS/JS: keep everything a real file.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
