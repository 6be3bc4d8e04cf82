import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/HubConfig.ts';
import type { Hub } from '../ops/Hub.ts';
import { HookRefusal } from '../ops/integrations/HookRefusal.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { apiHeaders } from './httpJson.ts';
import { routeMaker } from './integrationRouteKit.ts';
import { isMultipart, readMultipart } from './readMultipart.ts';
import { readBody } from './readBody.ts';

/**
 * Slack-compatible incoming webhooks, `POST /hooks/<secret>` (docs/webhooks.md; the secret in the
 * path is the credential and is never logged). The body is JSON, a form's `payload=` field (also
 * with no content type, as Slack takes it), or `multipart/form-data` with the payload and files.
 * Success is `200 text/plain ok`; a refusal is plain text too, as Slack writes it (the error
 * word, then the reason: see hookErrorText.ts — the router writes it for every `/hooks/` path).
 */
export function hookRoutes(hub: Hub, _config: HubConfig, log: Logger): HttpRoute[] {
  const route = routeMaker(log);
  return [
    // Any path under /hooks/: one that is not a secret the hub gives out (a Rocket.Chat-style
    // /hooks/<id>/<token>, a truncated copy) answers `invalid_token`, as a wrong Slack URL does.
    route('POST', /^\/hooks\/(.{1,300})$/, 'hooks', async (req, res, match) => {
      const secret = match[1]!;
      if (isMultipart(req)) await postHookForm(hub, secret, req);
      else await hub.postToHook(secret, await readBody(req, { form: true }));
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', ...apiHeaders, 'content-length': 2 });
      res.end('ok');
    }),
  ];
}

/** A webhook post as `multipart/form-data`: the Slack JSON in `payload`, files uploaded as the hook's bot. */
async function postHookForm(hub: Hub, secret: string, req: IncomingMessage): Promise<void> {
  // An unknown or revoked hook answers 404 before any byte is stored.
  const sender = await hub.hookSender(secret);
  const form = await readMultipart(req, {
    maxFiles: hub.limits.maxFilesPerMessage,
    store: (part) => hub.files.upload(sender, part),
  });
  const payload = form.fields.get('payload');
  if (payload === undefined)
    throw new HookRefusal('bad_request', 'invalid_payload', 'a form body needs a "payload" field holding JSON');
  await hub.postToHook(
    secret,
    payloadJson(payload),
    form.files.map((f) => f.id),
  );
}

/** The `payload` field's JSON (a byte-order mark tolerated, as in JSON bodies). */
function payloadJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new HookRefusal('bad_request', 'invalid_payload', 'the field "payload" is not valid JSON');
  }
}
