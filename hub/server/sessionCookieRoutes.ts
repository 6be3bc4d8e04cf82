import { ErrorCode } from '../../common/protocol/errors.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import type { Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { forwardedSecure, proxyTrust } from './clientAddress.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { apiHeaders, bearerToken } from './httpJson.ts';
import { apiCookieToken, sessionCookie, sessionCookieHeader } from './sessionCookie.ts';

/**
 * The web client's session cookie (issue 16): `POST /api/v1/session/cookie` with a session token
 * in `Authorization` (just signed in, redeemed or renewed) puts it in an `HttpOnly; SameSite=Strict`
 * cookie, so the page need not keep it; `DELETE` signs that cookie's session out and clears it.
 * Both require the {@link sessionCookieHeader} header (CSRF).
 */
export function sessionCookieRoutes(hub: Hub, config: Pick<HubConfig, 'tlsCert' | 'trustProxy'>): HttpRoute[] {
  const trust = proxyTrust(config.trustProxy);
  const secure = (req: Parameters<HttpRoute['handle']>[0]) => forwardedSecure(req, trust, config.tlsCert !== null);
  const requireHeader = (req: Parameters<HttpRoute['handle']>[0]) => {
    if (req.headers[sessionCookieHeader] !== 'cookie')
      throw new HubError(ErrorCode.Forbidden, `send the header ${sessionCookieHeader}: cookie`);
  };
  return [
    {
      method: 'POST',
      path: /^\/api\/v1\/session\/cookie$/,
      async handle(req, res) {
        requireHeader(req);
        const token = bearerToken(req);
        const actor = token ? await hub.authenticate(token) : null;
        if (!token || !actor) throw new HubError(ErrorCode.Unauthorized, 'send a live session token as Bearer');
        res.writeHead(204, { ...apiHeaders, 'set-cookie': sessionCookie(token, secure(req)) }).end();
      },
    },
    {
      method: 'DELETE',
      path: /^\/api\/v1\/session\/cookie$/,
      async handle(req, res) {
        requireHeader(req);
        const token = apiCookieToken(req);
        const actor = token ? await hub.authenticate(token) : null;
        if (actor) await hub.logout(actor);
        res.writeHead(204, { ...apiHeaders, 'set-cookie': sessionCookie(null, secure(req)) }).end();
      },
    },
  ];
}
