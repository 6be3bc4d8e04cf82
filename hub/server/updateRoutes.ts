import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ErrorCode } from '../../common/protocol/errors.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { FeedClient } from '../releases/chooseRelease.ts';
import { ifNoneMatchHits } from './fileEtag.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { bearerToken } from './httpJson.ts';
import { parseRange } from './parseRange.ts';

/** `/updates/<channel>/<platform>/<name>`: a feed file (`latest*.yml`) or a file it names. */
const updatePath = /^\/updates\/([^/]{1,40})\/(win|linux|mac)\/([^/]{1,200})$/;

/**
 * The desktop app's update feed (electron-updater's generic provider, docs/protocol.md "Desktop
 * updates"): `GET /updates/<channel>/<platform>/latest.yml?branch=&id=&version=&pin=` answers the
 * feed for THIS install (the hub decides the staged rollout; with nothing newer, a feed naming the
 * install's own version, so it stays), and `GET|HEAD /updates/<channel>/<platform>/<file>` the
 * installers with ETag and Range (electron-updater resumes and fetches blockmaps). Any signed-in
 * session or bot token may fetch (`Authorization: Bearer`): installers hold no secret inside the
 * organization, but the hub may face the internet, where versions and installers are nobody's business.
 */
export function updateRoutes(hub: Hub): HttpRoute[] {
  const handle: HttpRoute['handle'] = async (req, res, match) => {
    const actor = await updateActor(hub, req);
    const [, channel, platform, name] = match as unknown as [string, string, string, string];
    const client = feedClient(req);
    if (name.endsWith('.yml'))
      return sendFeed(res, req, await hub.releases.feed(actor, channel, platform, name, client), client);
    return sendFile(req, res, await hub.releases.file(channel, platform, decodedName(name), client));
  };
  return [
    { method: 'GET', path: updatePath, handle },
    { method: 'HEAD', path: updatePath, handle },
  ];
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    throw new HubError(ErrorCode.NotFound, 'no such update file');
  }
}

async function updateActor(hub: Hub, req: IncomingMessage): Promise<Actor> {
  const token = bearerToken(req);
  const actor = token ? await hub.authenticateIntegration(token) : null;
  // An embed link's chat session (1C) is for chatting, not for the desktop app.
  if (!actor || actor.chatOnly)
    throw new HubError(
      ErrorCode.Unauthorized,
      'updates are for signed-in apps: send Authorization: Bearer <session token>',
    );
  return actor;
}

/** What the install says about itself in the query (each at most 64 characters; anything odd is ignored by the hub). */
function feedClient(req: IncomingMessage): FeedClient {
  const q = new URL(req.url ?? '/', 'http://hub').searchParams;
  const get = (name: string) => {
    const value = q.get(name);
    return value === null || value === '' || value.length > 64 ? null : value;
  };
  return { branch: get('branch'), installId: get('id'), version: get('version'), pin: get('pin') };
}

function sendFeed(
  res: ServerResponse,
  req: IncomingMessage,
  answer: Awaited<ReturnType<Hub['releases']['feed']>>,
  client: FeedClient,
): void {
  let body: string;
  if (answer) body = answer.yml;
  // Nothing to offer: the install's own version, so electron-updater finds no update and raises no error.
  else if (client.version !== null && /^[0-9A-Za-z.+-]{1,64}$/.test(client.version))
    body = `version: ${client.version}\nfiles: []\n`;
  else throw new HubError(ErrorCode.NotFound, 'no release on this channel for this install');
  const bytes = Buffer.from(body, 'utf8');
  // Decided per install (rollout, pin): never cached by a proxy, nor reused for another install.
  res.writeHead(200, {
    'content-type': 'text/yaml; charset=utf-8',
    'content-length': bytes.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: Awaited<ReturnType<Hub['releases']['file']>>,
): Promise<void> {
  // The feed's own sha512 names the bytes: a strong ETag that survives a hub restart.
  const etag = `"${Buffer.from(file.sha512, 'base64').toString('base64url').slice(0, 43)}"`;
  const headers: Record<string, string | number> = {
    'content-type': 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-cache',
    'accept-ranges': 'bytes',
    etag,
  };
  if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const ifRange = req.headers['if-range'];
  const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, file.size) : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${file.size}`, 'content-length': 0 });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: file.size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${file.size}`;
  headers['content-length'] = Math.max(0, end - start + 1);
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(file.path, { start, end, highWaterMark: 256 * 1024 }), res);
  } catch {
    res.destroy(); // the app went away mid-download: it resumes with Range
  }
}
