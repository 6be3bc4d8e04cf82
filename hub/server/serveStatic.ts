import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The web client's Content-Security-Policy: only our own scripts and styles, WebSocket and
 * fetch to the hub itself, images from us or generated (favicon badge). `frame-ancestors` is
 * configurable so a 1C form's HTML field can embed the chat.
 */
export function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/** Headers every response of the web client carries. */
export function securityHeaders(frameAncestors: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(frameAncestors),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
  if (frameAncestors.length === 0) headers['x-frame-options'] = 'DENY';
  return headers;
}

/**
 * Serves the built web client from `root`: `/` is index.html, hashed assets are cached for
 * good, anything outside `root` (traversal) or missing is a 404. Returns false when the
 * request was not for a file (so the caller can answer 404 itself).
 */
export function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  frameAncestors: readonly string[],
): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return false;
  }
  if (pathname.includes('\0')) return false;
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  if (file !== base && !file.startsWith(base + path.sep)) return false;
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return false;
  }
  if (!stat.isFile()) return false;
  const type = contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const immutable = rel.startsWith('assets/');
  res.writeHead(200, {
    'content-type': type,
    'content-length': stat.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...securityHeaders(frameAncestors),
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
  return true;
}

/** What `/` says while the web client's files are missing: for staff and for IT, in Russian and English. */
const webClientMissing = [
  'Беседа: веб-клиент не собран.',
  'Хаб работает, но файлов веб-клиента на сервере нет. Администратору: соберите их командой',
  '«npm run build» (они появятся в dist/web рядом с хабом) или укажите готовую папку параметром',
  '--web-root и откройте страницу снова.',
  '',
  'Beseda: the web client is not built.',
  'The hub is running, but the web client files are missing on the server. Administrator: build',
  'them with "npm run build" (they go to dist/web beside the hub) or point --web-root at a built',
  'folder, then reload this page.',
  '',
].join('\n');

/**
 * Answers `/` (and `/index.html`) with a plain 503 page saying the web client is not built, so a
 * browser or a 1C embed link shows what is wrong instead of a bare JSON 404. Returns false for
 * any other request.
 */
export function sendWebClientMissing(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const pathname = (req.url ?? '/').split('?')[0];
  if (pathname !== '/' && pathname !== '/index.html') return false;
  const body = Buffer.from(webClientMissing, 'utf8');
  res.writeHead(503, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
