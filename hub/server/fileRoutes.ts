import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { FileVariant } from '../../common/protocol/fileUrls.ts';
import { ErrorCode } from '../../common/protocol/errors.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import type { OpenedFile } from '../ops/HubFiles.ts';
import { HubError } from '../ops/HubError.ts';
import { contentDisposition } from './contentDisposition.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { bearerToken, sendJson } from './httpJson.ts';
import { parseRange } from './parseRange.ts';

/**
 * Headers of every file response. The bytes are other people's: never sniffed into another type,
 * and should a browser render them anyway (a download opened in a tab), a sandbox with nothing
 * allowed — no script, no same origin, no requests — so an uploaded HTML or SVG never runs as the hub.
 */
const fileHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'referrer-policy': 'no-referrer',
  // Kept by the browser only (the URL may carry a download key), and asked again every time: access
  // is checked on each request (a member removed from a room loses it at once), and an unchanged
  // file costs only a 304 for its ETag, answered after that check.
  'cache-control': 'private, no-cache',
  'accept-ranges': 'bytes',
};

/**
 * Bytes read from a blob per read call when serving it. The default 64 KiB meant one read and one
 * socket write per 64 KiB; larger reads cut that per-call cost, while a download still holds
 * only about two of these at a time (one read ahead, one being sent).
 */
const readChunkBytes = 256 * 1024;

const uploadRoute = /^\/api\/v1\/files$/;
const fileIdPath = /^\/api\/v1\/files\/(f[A-Za-z0-9_-]{22})(?:\/(view|preview))?$/;

/**
 * The file endpoints (docs/protocol.md, "Files"): `POST /api/v1/files?name=` takes the raw body as
 * one file (Bearer: a session, chat sessions included, or a bot); `GET /api/v1/files/<id>`,
 * `…/view` and `…/preview` serve it to whoever may read it now (Bearer, or the session's `?key=`);
 * `HEAD` on them answers the same headers without the bytes.
 */
export function fileRoutes(hub: Hub, log: Logger): HttpRoute[] {
  const serve: HttpRoute['handle'] = (req, res, match) =>
    download(hub, req, res, match[1]!, (match[2] ?? 'download') as FileVariant);
  return [
    { method: 'POST', path: uploadRoute, handle: (req, res) => upload(hub, log, req, res) },
    { method: 'GET', path: fileIdPath, handle: serve },
    { method: 'HEAD', path: fileIdPath, handle: serve },
  ];
}

/** Whether a request is a file upload (its body may take minutes: see createHttpServer). */
export function isFileUpload(req: IncomingMessage): boolean {
  return req.method === 'POST' && uploadRoute.test((req.url ?? '').split('?')[0]!);
}

async function upload(hub: Hub, log: Logger, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = bearerToken(req);
  const actor = token ? await hub.authenticateIntegration(token) : null;
  if (!actor) throw new HubError(ErrorCode.Unauthorized, 'send the session or bot token as Authorization: Bearer');
  const url = new URL(req.url ?? '/', 'http://hub');
  const lengthHeader = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  // Node's parser has checked Content-Length is a number and holds the body to it.
  const length = lengthHeader !== undefined && !chunked ? Number(lengthHeader) : chunked ? null : 0;
  try {
    const file = await hub.files.upload(actor, {
      name: url.searchParams.get('name'),
      declaredType: req.headers['content-type'] ?? '',
      length,
      // Read without destroying the request when the reader stops early (too large, over quota):
      // a destroyed request closes the socket at once, and a client still sending then gets a
      // reset instead of the 413 — the lingering close needs the request alive.
      body: req.iterator({ destroyOnReturn: false }),
      // Accepted (size, quota and room checked): now the client may send the body.
      beforeBody: () => {
        if (/100-continue/i.test(req.headers.expect ?? '') && !res.headersSent) res.writeContinue();
      },
    });
    sendJson(res, 201, { file });
  } catch (err) {
    // The client went away mid-body: nothing was kept and there is no one to answer.
    if (!(err instanceof HubError) && (req.destroyed || !req.complete)) {
      log.info({ userId: actor.userId }, 'upload aborted by the client');
      res.destroy();
      return;
    }
    throw err;
  }
}

async function download(
  hub: Hub,
  req: IncomingMessage,
  res: ServerResponse,
  fileId: string,
  variant: FileVariant,
): Promise<void> {
  const actor = await downloadActor(hub, req);
  const opened = await hub.files.open(actor, fileId, variant);
  const etag = `"${opened.sha256}"`;
  const headers: Record<string, string | number> = {
    ...fileHeaders,
    etag,
    'content-type': opened.type,
    'content-disposition': contentDisposition(variant === 'download' ? 'attachment' : 'inline', opened.file.name),
  };
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const ifRange = req.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, opened.size) : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${opened.size}`, 'content-length': 0 });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: opened.size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${opened.size}`;
  headers['content-length'] = Math.max(0, end - start + 1);
  res.writeHead(range ? 206 : 200, headers);
  // HEAD: the same headers (length included), no body.
  if (req.method === 'HEAD') res.end();
  else await stream(opened, start, end, res);
}

/** Sends bytes start..end (inclusive) of the blob; a client that goes away just ends it. */
async function stream(opened: OpenedFile, start: number, end: number, res: ServerResponse): Promise<void> {
  if (end < start) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(opened.path, { start, end, highWaterMark: readChunkBytes }), res);
  } catch {
    res.destroy();
  }
}

/** Who downloads: a Bearer token (session or bot), else the session's read-only `?key=`. */
async function downloadActor(hub: Hub, req: IncomingMessage): Promise<Actor> {
  const token = bearerToken(req);
  let actor: Actor | null = null;
  if (token) actor = await hub.authenticateIntegration(token);
  else {
    const key = new URL(req.url ?? '/', 'http://hub').searchParams.get('key');
    if (key) actor = await hub.files.authenticateKey(key);
  }
  if (!actor)
    throw new HubError(ErrorCode.Unauthorized, 'send Authorization: Bearer <token>, or ?key=<fileKey> from hello');
  return actor;
}

/** Whether an If-None-Match header names this ETag (or `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
