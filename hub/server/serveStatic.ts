import { createReadStream, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileEtag, ifNoneMatchHits } from './fileEtag.ts';
import { preferredEncoding, type StaticEncoding } from './preferredEncoding.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.woff': 'font/woff',
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

/** Kinds of file the build precompresses (scripts/precompress.js): only these have `.br`/`.gz` siblings looked for. */
const compressible = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.svg',
  '.json',
  '.webmanifest',
  '.ico',
  '.txt',
  '.xml',
  '.map',
]);

/** The suffix of each precompressed sibling. */
const suffixes = { br: '.br', gzip: '.gz' } as const;

/** A regular file's stat, or null when there is none (missing, a folder, unreadable). */
function fileStat(file: string): Stats | null {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat?.isFile() ? stat : null;
}

/**
 * How much older than its file a precompressed sibling may be and still be trusted. The build
 * writes it just after the file, and a copy without kept times (`cp -r`, Node's cpSync) may write
 * it a little before; a sibling older than this was left behind by a file changed since (edited
 * by hand, replaced by a copy): sending it would serve the old content.
 */
const staleAfterMs = 60_000;

/** The precompressed siblings of `file` (`file.br`, `file.gz`) that exist and are not stale, with their stats. */
function precompressed(file: string, stat: Stats): Map<StaticEncoding, Stats> {
  const found = new Map<StaticEncoding, Stats>();
  if (!compressible.has(path.extname(file).toLowerCase())) return found;
  for (const [encoding, suffix] of Object.entries(suffixes) as [StaticEncoding, string][]) {
    const sibling = fileStat(file + suffix);
    if (sibling && sibling.mtimeMs >= stat.mtimeMs - staleAfterMs) found.set(encoding, sibling);
  }
  return found;
}

/**
 * Serves the built web client from `root`: `/` is index.html; anything outside `root`
 * (traversal) or missing is not ours. A precompressed `.br`/`.gz` beside the file is sent when
 * the request's Accept-Encoding prefers it (with `Vary: Accept-Encoding`, so caches keep the
 * codings apart); hashed assets (`assets/`) are cached for a year, everything else (index.html,
 * favicon) is revalidated on every use by a strong ETag, answered 304 when unchanged. Returns
 * false when the request was not for a file (so the caller can answer 404 itself).
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
  const stat = fileStat(file);
  if (!stat) return false;

  const variants = precompressed(file, stat);
  const encoding = preferredEncoding(req.headers['accept-encoding'], [...variants.keys()]);
  const sent = encoding === 'identity' ? file : file + suffixes[encoding];
  const sentStat = encoding === 'identity' ? stat : variants.get(encoding)!;
  const immutable = rel.startsWith('assets/');
  const headers: Record<string, string | number> = {
    'content-type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag: fileEtag(sent, sentStat),
    ...securityHeaders(frameAncestors),
  };
  // Only an answer that could have been another coding varies by the header.
  if (variants.size > 0) headers.vary = 'Accept-Encoding';
  if (encoding !== 'identity') headers['content-encoding'] = encoding;

  if (ifNoneMatchHits(req.headers['if-none-match'], headers.etag as string)) {
    delete headers['content-type'];
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  headers['content-length'] = sentStat.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  // Removed between the stat and the read (a rebuild under a running hub): the length already
  // sent cannot be honoured, so the connection is cut rather than the body cut short silently.
  createReadStream(sent)
    .on('error', () => res.destroy())
    .pipe(res);
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
