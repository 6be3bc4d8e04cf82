import * as v from 'valibot';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { deviceLabel } from '../identity/deviceLabel.ts';
import type { Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { apiHeaders, readJson, remoteAddress, sendJson } from './httpJson.ts';

const Code = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const RedeemSchema = v.object({ code: Code, password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)) });

/**
 * Invitations (issue 16): `GET /invite/<code>` (the web client with the
 * code in the fragment, which browsers never send to a server), `POST /api/v1/invitations/check`
 * (whose invitation it is) and `POST /api/v1/invitations/redeem` ({code, password} → a session).
 */
export function inviteRoutes(hub: Hub): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: /^\/invite\/([A-Za-z0-9_-]{1,100})$/,
      async handle(_req, res, match) {
        const code = match[1]!;
        // Relative, so a hub behind a reverse proxy with a path prefix lands on its own page.
        res.writeHead(302, { ...apiHeaders, location: `../#invite=${code}`, 'content-length': 0 });
        res.end();
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v1\/invitations\/check$/,
      async handle(req, res) {
        const body = v.safeParse(v.object({ code: Code }), await readJson(req));
        if (!body.success) throw new HubError(ErrorCode.BadRequest, 'a code is required');
        sendJson(res, 200, await hub.invitations.check(body.output.code));
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v1\/invitations\/redeem$/,
      async handle(req, res) {
        const body = v.safeParse(RedeemSchema, await readJson(req));
        if (!body.success) throw new HubError(ErrorCode.BadRequest, 'code and password are required');
        const device = deviceLabel(req.headers['user-agent']);
        const { code, password } = body.output;
        sendJson(res, 200, await hub.invitations.redeem(code, password, remoteAddress(req), device));
      },
    },
  ];
}
