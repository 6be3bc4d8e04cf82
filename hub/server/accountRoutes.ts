import * as v from 'valibot';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { deviceLabel } from '../identity/deviceLabel.ts';
import type { Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { apiHeaders, bearerToken, readJson, remoteAddress, sendJson } from './httpJson.ts';

const LoginSchema = v.object({
  login: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});

/**
 * Resolves the bearer token of a request to an actor, or throws `unauthorized`. Chat-scoped
 * sessions (embed links) pass: `/me` and `/logout` concern only the session itself.
 */
export async function requireActor(hub: Hub, token: string | null) {
  const actor = token ? await hub.authenticate(token) : null;
  if (!actor) throw new HubError(ErrorCode.Unauthorized, 'sign in first: missing, expired or revoked token');
  return actor;
}

/** Sign-in (a JSON body only), sign-out and "who am I" over HTTP (`/api/v1/login`, `/logout`, `/me`). */
export function accountRoutes(hub: Hub): HttpRoute[] {
  return [
    {
      method: 'POST',
      path: /^\/api\/v1\/login$/,
      async handle(req, res) {
        const body = v.safeParse(LoginSchema, await readJson(req));
        if (!body.success) throw new HubError(ErrorCode.BadRequest, 'login and password are required');
        // A session, or (an initial password from a CSV) `mustChangePassword` with a code to choose one.
        const device = deviceLabel(req.headers['user-agent']);
        sendJson(
          res,
          200,
          await hub.invitations.signIn(body.output.login, body.output.password, remoteAddress(req), device),
        );
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v1\/logout$/,
      async handle(req, res) {
        const actor = await requireActor(hub, bearerToken(req));
        await hub.logout(actor);
        res.writeHead(204, { ...apiHeaders }).end();
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/me$/,
      async handle(req, res) {
        const actor = await requireActor(hub, bearerToken(req));
        const [user] = await hub.getUsers(actor, { ids: [actor.userId] });
        sendJson(res, 200, { user });
      },
    },
  ];
}
