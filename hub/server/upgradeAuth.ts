import type { IncomingMessage } from 'node:http';
import { negotiateVersion, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';
import { bearerToken } from './httpJson.ts';
import { cookieToken } from './sessionCookie.ts';

/** What the upgrade request offers: protocol version and token, or why it is refused. */
export type UpgradeOffer = { ok: true; version: number; token: string } | { ok: false; status: number; reason: string };

/** The subprotocols a client offered, in order. */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Checks an upgrade request before any socket is accepted: the Origin (browsers only send one)
 * must be the hub's own or in the allowlist; a protocol version both sides speak; a token from
 * the `beseda.token.*` subprotocol or an `Authorization: Bearer` header, or (a browser page with an
 * allowed Origin) the web client's `beseda_session` cookie.
 */
export function readUpgradeOffer(
  req: IncomingMessage,
  allowedOrigins: readonly string[],
  secure: boolean,
): UpgradeOffer {
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, req.headers.host, allowedOrigins, secure))
    return { ok: false, status: 403, reason: 'origin not allowed' };
  const offered = offeredSubprotocols(req);
  const version = negotiateVersion(offered);
  if (version === undefined) return { ok: false, status: 426, reason: 'no supported protocol version offered' };
  const fromProtocol = offered.find((p) => p.startsWith(tokenSubprotocolPrefix))?.slice(tokenSubprotocolPrefix.length);
  // The web client's HttpOnly cookie counts only from a browser page whose Origin passed above.
  const token = fromProtocol || bearerToken(req) || (origin !== undefined ? cookieToken(req) : null);
  if (!token) return { ok: false, status: 401, reason: 'missing token' };
  return { ok: true, version, token };
}

/** Same origin as the hub (scheme + Host header), or listed. */
export function originAllowed(
  origin: string,
  host: string | undefined,
  allowed: readonly string[],
  secure: boolean,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host && parsed.protocol === (secure ? 'https:' : 'http:')) return true;
  return allowed.some((a) => {
    try {
      return new URL(a).origin === parsed.origin;
    } catch {
      return false;
    }
  });
}
