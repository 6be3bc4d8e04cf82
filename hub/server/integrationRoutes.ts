import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import type { Logger } from 'pino';
import { describeIssues } from '../../common/protocol/clientFrame.ts';
import { FileIdSchema, type Message } from '../../common/protocol/model.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { DirectoryEntry } from '../ops/IntegrationTypes.ts';
import { requirePoster } from '../ops/integrations/Integrations.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { forwardedSecure, proxyTrust } from './clientAddress.ts';
import { apiHeaders, bearerToken, remoteAddress, sendJson } from './httpJson.ts';
import { securityHeaders } from './serveStatic.ts';
import { readBody } from './readBody.ts';
import {
  FormAbortedError,
  isMultipart,
  type MultipartForm,
  type MultipartOptions,
  readMultipart,
} from './readMultipart.ts';

const Target = v.union([
  v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
]);
const MessageBody = v.object({
  to: Target,
  text: v.optional(v.string(), ''),
  clientId: v.optional(v.string()),
  attachments: v.optional(v.unknown()),
  displayName: v.optional(v.pipe(v.string(), v.maxLength(200))),
  /** Ids of the caller's own uploads (`POST /api/v1/files`), as in the `send` frame. */
  files: v.optional(v.pipe(v.array(FileIdSchema), v.maxLength(20))),
});
const AnnouncementBody = v.object({
  to: Target,
  text: v.optional(v.string(), ''),
  clientId: v.optional(v.string()),
  attachments: v.optional(v.unknown()),
});
const UserBody = v.object({
  login: v.optional(v.string()),
  name: v.string(),
  branch: v.optional(v.nullable(v.string())),
  email: v.optional(v.nullable(v.string())),
  position: v.optional(v.nullable(v.string())),
  phone: v.optional(v.nullable(v.string())),
  active: v.optional(v.boolean()),
  password: v.optional(v.string()),
  // Named only to be refused: administrator rights are never given or taken by directory sync.
  isAdmin: v.optional(v.unknown()),
  admin: v.optional(v.unknown()),
});
const EmbedBody = v.object({
  login: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  ttlSeconds: v.optional(v.number()),
});
const RedeemBody = v.object({ code: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });

/** Wraps a route's handler so an unexpected failure is logged by route name and answered as `internal`. */
type RouteMaker = (
  method: HttpRoute['method'],
  path: RegExp,
  name: string,
  handle: (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) => Promise<void>,
) => HttpRoute;

/** Finds the authenticated integration (bot token or password session) behind a request. */
type Caller = (req: IncomingMessage) => Promise<Actor>;

/**
 * The integrations' HTTP API (docs/protocol.md, "Integrations HTTP API"): messages and
 * announcements from bots, confirmation reports, directory sync, one-time embed links and
 * Slack-compatible incoming webhooks. Secrets in paths (`/hooks/…`, `/embed/…`) are never logged.
 */
export function integrationRoutes(hub: Hub, config: HubConfig, log: Logger): HttpRoute[] {
  const route = routeMaker(log);
  const caller = callerOf(hub);
  return [
    ...messageRoutes(hub, route, caller),
    ...directoryRoutes(hub, route, caller),
    ...embedRoutes(hub, config, route, caller),
    ...hookRoutes(hub, route),
  ];
}

function routeMaker(log: Logger): RouteMaker {
  return (method, path, name, handle) => ({
    method,
    path,
    async handle(req, res, match) {
      try {
        await handle(req, res, match);
      } catch (err) {
        if (err instanceof HubError) throw err;
        if (err instanceof FormAbortedError) {
          // The client went away mid-form: what it sent is gone or an orphan, and nobody is left to answer.
          log.info({ route: name }, 'form aborted by the client');
          res.destroy();
          return;
        }
        // Logged by route name: the server's own log line would carry the path, and with it a secret.
        log.error({ err, route: name }, 'integration request failed');
        throw new HubError('internal', 'internal error');
      }
    },
  });
}

function callerOf(hub: Hub): Caller {
  return async (req) => {
    const token = bearerToken(req);
    const actor = token ? await hub.authenticateIntegration(token) : null;
    if (!actor)
      throw new HubError('unauthorized', 'missing, unknown or revoked token: send "Authorization: Bearer <token>"');
    if (actor.chatOnly)
      throw new HubError(
        'forbidden',
        'this session came from an embed link: it may chat (WebSocket), not use the HTTP API; sign in with a password or use a bot token',
      );
    return actor;
  };
}

/** Messages and announcements from integrations, and announcement reports. */
function messageRoutes(hub: Hub, route: RouteMaker, caller: Caller): HttpRoute[] {
  return [
    route('POST', /^\/api\/v1\/messages$/, 'messages', async (req, res) => {
      const actor = await caller(req);
      // A form cannot carry the Bearer header across sites, so accepting one here opens nothing to other pages.
      if (isMultipart(req)) return sendJson(res, 201, { message: await postForm(hub, actor, req) });
      const body = parse(MessageBody, await readBody(req));
      const message = await hub.postMessage(actor, body);
      sendJson(res, 201, { message });
    }),

    route('POST', /^\/api\/v1\/announcements$/, 'announcements', async (req, res) => {
      const actor = await caller(req);
      const body = parse(AnnouncementBody, await readBody(req));
      const message = await hub.announce(actor, body);
      sendJson(res, 201, { message });
    }),
    route('GET', /^\/api\/v1\/announcements\/pending$/, 'announcements.pending', async (req, res) => {
      const actor = await caller(req);
      sendJson(res, 200, { messages: await hub.pendingAnnouncements(actor) });
    }),
    route('GET', /^\/api\/v1\/announcements\/(\d{1,15})$/, 'announcements.status', async (req, res, match) => {
      const actor = await caller(req);
      sendJson(res, 200, await hub.announcementStatus(actor, Number(match[1])));
    }),
    route(
      'POST',
      /^\/api\/v1\/announcements\/(\d{1,15})\/confirm$/,
      'announcements.confirm',
      async (req, res, match) => {
        const actor = await caller(req);
        await drain(req);
        await hub.confirmAnnouncement(actor, { seq: Number(match[1]) });
        sendJson(res, 200, {});
      },
    ),
  ];
}

/** Directory sync: people created, updated and deactivated by an HR or 1C export. */
function directoryRoutes(hub: Hub, route: RouteMaker, caller: Caller): HttpRoute[] {
  return [
    route('PUT', /^\/api\/v1\/users\/([^/]{1,200})$/, 'users.put', async (req, res, match) => {
      const actor = await caller(req);
      const login = pathLogin(match[1]!);
      const body = parse(UserBody, await readBody(req));
      if (body.login !== undefined && body.login.trim().toLowerCase() !== login.trim().toLowerCase())
        throw new HubError('bad_request', 'the login in the body differs from the one in the address');
      if (body.isAdmin !== undefined || body.admin !== undefined)
        throw new HubError(
          'forbidden',
          'directory sync never gives or takes administrator rights; administrators are managed with the admin CLI (beseda-hub user …)',
        );
      const entry: DirectoryEntry = { login, name: body.name };
      if (body.branch !== undefined) entry.branch = body.branch;
      if (body.email !== undefined) entry.email = body.email;
      if (body.position !== undefined) entry.position = body.position;
      if (body.phone !== undefined) entry.phone = body.phone;
      if (body.active !== undefined) entry.active = body.active;
      if (body.password !== undefined) entry.password = body.password;
      const { user, created } = await hub.syncUser(actor, entry);
      sendJson(res, created ? 201 : 200, { user, created });
    }),
    route('DELETE', /^\/api\/v1\/users\/([^/]{1,200})$/, 'users.delete', async (req, res, match) => {
      const actor = await caller(req);
      await drain(req);
      sendJson(res, 200, { user: await hub.deactivateUser(actor, pathLogin(match[1]!)) });
    }),
  ];
}

/** One-time embed links for the web client inside a 1C form. */
function embedRoutes(hub: Hub, config: HubConfig, route: RouteMaker, caller: Caller): HttpRoute[] {
  // Behind a reverse proxy that ends TLS the link must still be https (X-Forwarded-Proto from a trusted proxy).
  const trust = proxyTrust(config.trustProxy);
  return [
    route('POST', /^\/api\/v1\/embed-links$/, 'embed-links', async (req, res) => {
      const actor = await caller(req);
      const body = parse(EmbedBody, await readBody(req));
      const { secret, expiresAt } = await hub.createEmbedLink(actor, body);
      const host = req.headers.host;
      const path = `/embed/${secret}`;
      const secure = forwardedSecure(req, trust, config.tlsCert !== null);
      const url = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `${secure ? 'https' : 'http'}://${host}${path}` : path;
      sendJson(res, 201, { url, path, expiresAt });
    }),
    route('POST', /^\/api\/v1\/embed-links\/redeem$/, 'embed-links.redeem', async (req, res) => {
      const body = parse(RedeemBody, await readBody(req));
      sendJson(res, 200, await hub.redeemEmbedCode(body.code, remoteAddress(req)));
    }),
    route('GET', /^\/embed\/([A-Za-z0-9_-]{1,100})$/, 'embed', async (req, res, match) => {
      const code = await hub.openEmbedLink(match[1]!);
      const headers = { ...securityHeaders(config.frameAncestors), 'cache-control': 'no-store' };
      if (!code) {
        const page = expiredPage();
        res.writeHead(410, {
          ...headers,
          'content-type': 'text/html; charset=utf-8',
          'content-length': Buffer.byteLength(page),
        });
        res.end(page);
        return;
      }
      // The code rides in the fragment: browsers never send it to a server, so no log sees it.
      // Relative, so a hub behind a reverse proxy with a path prefix lands on its own page.
      res.writeHead(302, { ...headers, location: `../?compact=1#embed=${code}`, 'content-length': 0 });
      res.end();
    }),
  ];
}

/** Slack-compatible incoming webhooks (the secret in the path is the credential). */
function hookRoutes(hub: Hub, route: RouteMaker): HttpRoute[] {
  return [
    route('POST', /^\/hooks\/([A-Za-z0-9_-]{1,100})$/, 'hooks', async (req, res, match) => {
      const secret = match[1]!;
      if (isMultipart(req)) await postHookForm(hub, secret, req);
      else await hub.postToHook(secret, await readBody(req, { form: true }));
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', ...apiHeaders, 'content-length': 2 });
      res.end('ok');
    }),
  ];
}

/**
 * `POST /api/v1/messages` as `multipart/form-data`: the JSON fields as text fields (`attachments`
 * and `files` as JSON text) and file parts, each streamed into the hub's upload path as the
 * caller, then one message with them all. A failure after some parts were stored posts nothing
 * (they are orphans for the sweep). Before the first part is stored, the fields sent ahead of it
 * are checked: a wrong `to` is refused, and a retry of a posted `clientId` drops its parts and
 * answers the first message.
 */
async function postForm(hub: Hub, actor: Actor, req: IncomingMessage): Promise<Message> {
  // Refused before any byte is read: people's own sessions do not post through the API.
  requirePoster(actor);
  const form = await readForm(hub, actor, req, (fields) =>
    // Fields sent before the files (curl, browsers and 1C send them in order) are checked first.
    hub.beforePostFiles(actor, { to: fields.get('to'), clientId: fields.get('clientId') || undefined }),
  );
  const fields = Object.fromEntries(form.fields);
  const input: Record<string, unknown> = { ...fields };
  if (fields.clientId === '') delete input.clientId;
  if (fields.attachments !== undefined) input.attachments = jsonField(fields.attachments, 'attachments');
  // Ids of earlier uploads may ride along as JSON text, as in the JSON body; the parts come after them.
  const earlier = fields.files === undefined ? [] : jsonField(fields.files, 'files');
  if (!Array.isArray(earlier)) throw new HubError('bad_request', 'the field "files" must be a JSON array of file ids');
  const files = [...(earlier as unknown[]), ...form.files.map((f) => f.id)];
  if (files.length > 0) input.files = files;
  else delete input.files;
  return hub.postMessage(actor, parse(MessageBody, input));
}

/** A webhook post as `multipart/form-data`: the Slack JSON in `payload`, files uploaded as the hook's bot. */
async function postHookForm(hub: Hub, secret: string, req: IncomingMessage): Promise<void> {
  // An unknown or revoked hook answers 404 before any byte is stored.
  const sender = await hub.hookSender(secret);
  const form = await readForm(hub, sender, req);
  const payload = form.fields.get('payload');
  if (payload === undefined) throw new HubError('bad_request', 'a form body needs a "payload" field holding JSON');
  await hub.postToHook(
    secret,
    jsonField(payload, 'payload'),
    form.files.map((f) => f.id),
  );
}

/** Reads a form, its file parts uploaded as `actor` with the hub's limits. */
async function readForm(
  hub: Hub,
  actor: Actor,
  req: IncomingMessage,
  beforeFiles?: MultipartOptions['beforeFiles'],
): Promise<MultipartForm> {
  return readMultipart(req, {
    maxFiles: hub.limits.maxFilesPerMessage,
    store: (part) => hub.files.upload(actor, part),
    ...(beforeFiles ? { beforeFiles } : {}),
  });
}

/** A text field holding JSON (a byte-order mark tolerated, as in JSON bodies). */
function jsonField(text: string, name: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new HubError('bad_request', `the field "${name}" is not valid JSON`);
  }
}

function parse<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (!result.success) throw new HubError('bad_request', describeIssues(result.issues));
  return result.output;
}

function pathLogin(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HubError('bad_request', 'the login in the address is not valid URL encoding');
  }
}

/** Reads and discards a body nobody needs, so the connection can carry the next request. */
async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HubError('too_long', 'request body is too large');
  }
}

/** A plain page (no scripts, allowed by the CSP) for a link that cannot be used, in both languages. */
function expiredPage(): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Беседа</title></head>
<body>
<p>Ссылка для входа в Беседу уже использована или устарела. Откройте форму ещё раз.</p>
<p lang="en">This Beseda sign-in link was used already or has expired. Open the form again.</p>
</body></html>
`;
}
