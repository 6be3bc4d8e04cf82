import type { IncomingMessage } from 'node:http';

/** The web client's session cookie (issue 16): `HttpOnly`, `SameSite=Strict`, `Secure` over https. */
export const sessionCookieName = 'beseda_session';
/**
 * The header a web page sends to have its cookie count on the HTTP API. A page on another site can
 * make a browser send the cookie (a form post) but not a custom header: that needs a CORS
 * preflight, which the hub never grants. This is the API's CSRF protection.
 */
export const sessionCookieHeader = 'x-beseda-session';

/** The session token in the request's cookie, if any (not yet checked). */
export function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== sessionCookieName) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
  }
  return null;
}

/**
 * The cookie's token for an HTTP API request, only when the page asked for it with the custom
 * header ({@link sessionCookieHeader}) and any `Origin` is the hub's own host.
 */
export function apiCookieToken(req: IncomingMessage): string | null {
  if (req.headers[sessionCookieHeader] !== 'cookie') return null;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      if (new URL(origin).host !== req.headers.host) return null;
    } catch {
      return null;
    }
  }
  return cookieToken(req);
}

/** A `Set-Cookie` value holding `token` (null: clears it). Secure when the browser reached the hub over https. */
export function sessionCookie(token: string | null, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return token === null
    ? [`${sessionCookieName}=`, 'Max-Age=0', ...attributes].join('; ')
    : [`${sessionCookieName}=${token}`, ...attributes].join('; ');
}
