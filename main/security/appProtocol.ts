import path from 'node:path';
import { fileScheme } from '../../common/ipc/fileScheme.ts';

/** The custom scheme the UI is served from (standard + secure, registered before app ready). */
export const appScheme = 'app';
/** The one host under {@link appScheme}. */
export const appHost = 'beseda';
/** The UI's origin: IPC from any other origin is refused. */
export const appOrigin = `${appScheme}://${appHost}`;
/** The page the window loads. */
export const appEntryUrl = `${appOrigin}/index.html`;

/** Whether a URL is a page of our own UI (parsed, never compared by prefix). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

/**
 * Maps an `app://beseda/...` request to a file under `root`, or null: other hosts, encoded
 * traversal (`%2e%2e`, `..%2f`), backslashes, NUL, and anything resolving outside `root` are
 * refused. `/` is index.html.
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const parts = pathname.split('/').filter(Boolean);
  if (parts.some((p) => p === '..' || p === '.')) return null;
  const rel = parts.length ? parts.join(path.sep) : 'index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  if (!file.startsWith(base + path.sep)) return null;
  return file;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** The Content-Type for a UI file. */
export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The renderer's Content-Security-Policy in the desktop app: only our own scripts and styles;
 * the page connects to nothing (the client core runs in the main process); no frames, forms,
 * plugins or base URL changes. The hub's images come through `beseda-file:` (common/ipc/fileScheme.ts),
 * which the main process serves from the hub with the session's token: the page never loads
 * anything from the network, so no http(s) source is allowed at all.
 */
export const rendererCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' data: blob: ${fileScheme}:`,
  "font-src 'self'",
  "connect-src 'none'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every UI response. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'content-type': contentTypeFor(file),
    'content-security-policy': rendererCsp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-cache',
  };
}
