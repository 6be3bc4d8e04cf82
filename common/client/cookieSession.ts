import type { FetchLike } from './HubHttp.ts';
import type { HubUrls } from './hubUrls.ts';

/**
 * What the client core keeps in place of the token when the web client's session lives in the
 * hub's `HttpOnly; SameSite=Strict` cookie (issue 16): the page never holds the token, so a script
 * injected into it cannot carry the session away. Saved in localStorage instead of a token.
 */
export const cookieSessionToken = 'cookie';
/** The header that makes the cookie count on the hub's HTTP API (its CSRF protection). */
export const cookieSessionHeader = 'x-beseda-session';

/** Headers that authorise an HTTP request with `token`: Bearer, or for a cookie session the CSRF header. */
export function authHeaders(token: string): Record<string, string> {
  return token === cookieSessionToken ? { [cookieSessionHeader]: 'cookie' } : { authorization: `Bearer ${token}` };
}

/**
 * Hands a fresh token (signed in, from an embed link, renewed) to the hub to keep in the cookie
 * (`POST /api/v1/session/cookie`) and answers {@link cookieSessionToken}. If the hub cannot take it
 * (offline, a hub older than issue 16) the token itself is kept, as before: a session is never lost
 * for the cookie's sake, and the next start tries again.
 */
export async function keepInCookie(fetch: FetchLike, urls: HubUrls, token: string): Promise<string> {
  if (token === cookieSessionToken) return token;
  try {
    const res = await fetch(urls.api('session/cookie'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, [cookieSessionHeader]: 'cookie' },
    });
    await res.json().catch(() => undefined);
    return res.status === 204 ? cookieSessionToken : token;
  } catch {
    return token;
  }
}
