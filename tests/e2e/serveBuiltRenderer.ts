// The built web renderer (dist/web) served as it is over plain HTTP under a given CSP, for the
// desktop-path tests in Chromium: they stand in for the desktop app's app:// (rendererCsp) or the
// hub (its CSP) without either.
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** A running server of the built renderer. */
export interface BuiltRenderer {
  /** The page's address (ends with a slash). */
  url: string;
  close(): Promise<void>;
}

/** Serves dist/web on an ephemeral 127.0.0.1 port, every answer with this Content-Security-Policy; 404 outside it. */
export async function serveBuiltRenderer(csp: string): Promise<BuiltRenderer> {
  const server = createServer((req, res) => {
    const rel = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(webRoot, rel);
    if (!file.startsWith(webRoot) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.js')
      ? 'text/javascript'
      : file.endsWith('.css')
        ? 'text/css'
        : file.endsWith('.svg')
          ? 'image/svg+xml'
          : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': csp });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
