import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import type { Logger } from 'pino';
import { FileIdSchema } from '../../common/protocol/model.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { requirePoster } from '../ops/integrations/Integrations.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { forwardedSecure, proxyTrust } from './clientAddress.ts';
import { directoryRoutes } from './directoryRoutes.ts';
import { remoteAddress, sendJson } from './httpJson.ts';
import { type Caller, callerOf, drain, parse, routeMaker, type RouteMaker } from './integrationRouteKit.ts';
import { securityHeaders } from './serveStatic.ts';
import { readBody } from './readBody.ts';
import { isMultipart, type MultipartForm, type MultipartOptions, readMultipart } from './readMultipart.ts';

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
  /** Edit this bot's earlier message with the same `clientId` instead of answering it unchanged. */
  replace: v.optional(v.boolean()),
  /** Block Kit blocks (checked and kept by the hub like a webhook's). */
  blocks: v.optional(v.unknown()),
  /** Buttons (issue 18): bots only, at most 5, ids unique (checked by the hub: hub/ops/MessageButtons.ts). */
  actions: v.optional(v.unknown()),
});
type MessageInput = v.InferOutput<typeof MessageBody>;
const AnnouncementBody = v.object({
  to: Target,
  text: v.optional(v.string(), ''),
  clientId: v.optional(v.string()),
  attachments: v.optional(v.unknown()),
});
/** The person by `externalId` (1C) or by `login`: exactly one of them. */
const EmbedBody = v.object({
  login: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  externalId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  ttlSeconds: v.optional(v.number()),
});
const RedeemBody = v.object({ code: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });

/**
 * The integrations' HTTP API (docs/protocol.md, "Integrations HTTP API"): messages and
 * announcements from bots, confirmation reports, directory sync, one-time embed links and
 * Slack-compatible incoming webhooks. Secrets in paths (`/hooks/…`, `/embed/…`) are never logged.
 */
export function integrationRoutes(hub: Hub, config: HubConfig, log: Logger): HttpRoute[] {
  const route = routeMaker(log);
  const caller = callerOf(hub);
  const routes = [
    ...messageRoutes(hub, route, caller),
    ...directoryRoutes(hub, route, caller),
    ...embedRoutes(hub, config, route, caller),
  ];
  if (config.publicUrl === null) void warnWithoutPublicUrl(hub, log);
  return routes;
}

/**
 * Said once at start: embed links are then built on the Host a 1C server used to reach the hub,
 * which staff's browsers may not reach (an internal name, another port). Only when a bot may embed.
 */
async function warnWithoutPublicUrl(hub: Hub, log: Logger): Promise<void> {
  try {
    const embedders = (await hub.listBots()).filter((b) => b.canEmbed && b.active).map((b) => b.login);
    if (embedders.length > 0)
      log.warn(
        { bots: embedders },
        'embed links are built on the address each caller used: set --public-url (BESEDA_PUBLIC_URL) to the address staff open the hub at',
      );
  } catch (err) {
    log.debug({ err }, 'could not check the bots for the public address warning');
  }
}

/** Messages and announcements from integrations, and announcement reports. */
function messageRoutes(hub: Hub, route: RouteMaker, caller: Caller): HttpRoute[] {
  return [
    route('POST', /^\/api\/v1\/messages$/, 'messages', async (req, res) => {
      const actor = await caller(req);
      // A form cannot carry the Bearer header across sites, so accepting one here opens nothing to other pages.
      const body = isMultipart(req) ? await postForm(hub, actor, req) : parse(MessageBody, await readBody(req));
      if (!body.replace) return sendJson(res, 201, { message: await hub.postMessage(actor, body) });
      const { message, replaced } = await hub.replaceMessage(actor, body);
      sendJson(res, replaced ? 200 : 201, { message, replaced });
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

/** One-time embed links for the web client inside a 1C form. */
function embedRoutes(hub: Hub, config: HubConfig, route: RouteMaker, caller: Caller): HttpRoute[] {
  // Behind a reverse proxy that ends TLS the link must still be https (X-Forwarded-Proto from a trusted proxy).
  const trust = proxyTrust(config.trustProxy);
  /**
   * With `publicUrl` the link is on the address staff's browsers use, whatever the caller (a 1C
   * server) reached the hub by; without it, on the request's own Host.
   */
  const absoluteUrl = (req: IncomingMessage, path: string): string => {
    if (config.publicUrl !== null) return `${config.publicUrl}${path}`;
    const host = req.headers.host;
    const secure = forwardedSecure(req, trust, config.tlsCert !== null);
    return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `${secure ? 'https' : 'http'}://${host}${path}` : path;
  };
  return [
    route('POST', /^\/api\/v1\/embed-links$/, 'embed-links', async (req, res) => {
      const actor = await caller(req);
      const body = parse(EmbedBody, await readBody(req));
      const { secret, expiresAt } = await hub.createEmbedLink(actor, body);
      const path = `/embed/${secret}`;
      sendJson(res, 201, { url: absoluteUrl(req, path), path, expiresAt });
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

/**
 * `POST /api/v1/messages` as `multipart/form-data`: the JSON fields as text fields (`attachments`
 * and `files` as JSON text) and file parts, each streamed into the hub's upload path as the
 * caller, then one message with them all. A failure after some parts were stored posts nothing
 * (they are orphans for the sweep). Before the first part is stored, the fields sent ahead of it
 * are checked: a wrong `to` is refused, and a retry of a posted `clientId` drops its parts and
 * answers the first message.
 */
async function postForm(hub: Hub, actor: Actor, req: IncomingMessage): Promise<MessageInput> {
  // Refused before any byte is read: people's own sessions do not post through the API.
  requirePoster(actor);
  const form = await readForm(hub, actor, req, (fields) =>
    // Fields sent before the files (curl, browsers and 1C send them in order) are checked first.
    hub.beforePostFiles(actor, {
      to: fields.get('to'),
      clientId: fields.get('clientId') || undefined,
      replace: fields.get('replace') === 'true',
    }),
  );
  const fields = Object.fromEntries(form.fields);
  const input: Record<string, unknown> = { ...fields };
  if (fields.clientId === '') delete input.clientId;
  if (fields.replace !== undefined) input.replace = formFlag(fields.replace, 'replace');
  if (fields.attachments !== undefined) input.attachments = jsonField(fields.attachments, 'attachments');
  if (fields.blocks !== undefined) input.blocks = jsonField(fields.blocks, 'blocks');
  if (fields.actions !== undefined) input.actions = jsonField(fields.actions, 'actions');
  // Ids of earlier uploads may ride along as JSON text, as in the JSON body; the parts come after them.
  const earlier = fields.files === undefined ? [] : jsonField(fields.files, 'files');
  if (!Array.isArray(earlier)) throw new HubError('bad_request', 'the field "files" must be a JSON array of file ids');
  const files = [...(earlier as unknown[]), ...form.files.map((f) => f.id)];
  if (files.length > 0) input.files = files;
  else delete input.files;
  return parse(MessageBody, input);
}

/** A form's true/false field. */
function formFlag(text: string, name: string): boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  throw new HubError('bad_request', `the field "${name}" is true or false`);
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
