import type { User } from '../protocol/model.ts';
import type { SignInFailure } from './Backend.ts';
import type { SessionCheck } from './Connection.ts';
import { authHeaders, cookieSessionToken } from './cookieSession.ts';
import type { HubUrls } from './hubUrls.ts';
import type { Timers } from './Timers.ts';

/** The `fetch` the client needs (the browser's and Node's both fit). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

/** An HTTP request that got no answer in time (treated like an unreachable hub). */
class TimedOut extends Error {}

const signInCodes = new Set(['bad_credentials', 'rate_limited', 'account_disabled', 'bad_request', 'unavailable']);

/** The hub's HTTP API as the client uses it: sign-in, sign-out and the session check. */
export class HubHttp {
  constructor(
    private readonly fetch: FetchLike,
    private readonly timers: Timers,
    private readonly timeoutMs = 15_000,
  ) {}

  /** POST /api/v1/login: a token, or why not (`unreachable` when there is no hub to ask). */
  async login(
    urls: HubUrls,
    login: string,
    password: string,
  ): Promise<{ ok: true; token: string; user: User } | { ok: false; error: SignInFailure }> {
    let status: number;
    let body: unknown;
    try {
      const res = await this.call(urls.api('login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      status = res.status;
      body = await this.within(res.json());
    } catch (err) {
      const message =
        err instanceof TimedOut
          ? `the hub at ${urls.base} did not answer`
          : `cannot reach a Beseda hub at ${urls.base}`;
      return { ok: false, error: { code: 'unreachable', message } };
    }
    if (status === 200) {
      const ok = body as { token?: unknown; user?: unknown };
      if (typeof ok.token === 'string' && typeof ok.user === 'object' && ok.user !== null) {
        return { ok: true, token: ok.token, user: ok.user as User };
      }
      // A password IT set (issue 16): no session yet, a code to choose one's own with.
      const change = body as { mustChangePassword?: unknown; changeCode?: unknown };
      if (change.mustChangePassword === true && typeof change.changeCode === 'string') {
        const message = 'choose your own password to finish signing in';
        return { ok: false, error: { code: 'must_change_password', message, changeCode: change.changeCode } };
      }
      return { ok: false, error: { code: 'internal', message: 'the hub sent an unexpected answer' } };
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' && signInCodes.has(error.code) ? error.code : null;
    if (!code && status === 404) {
      return { ok: false, error: { code: 'unreachable', message: `no Beseda hub at ${urls.base}` } };
    }
    const failure: SignInFailure = {
      code: (code as SignInFailure['code'] | null) ?? 'internal',
      message: typeof error?.message === 'string' ? error.message : `the hub answered ${status}`,
    };
    if (typeof error?.retryAfterMs === 'number') failure.retryAfterMs = error.retryAfterMs;
    return { ok: false, error: failure };
  }

  /** POST /api/v1/logout, best effort (the hub revokes the session; failures are ignored). */
  async logout(urls: HubUrls, token: string): Promise<void> {
    try {
      // A session in the web client's cookie is signed out by the call that also clears the cookie.
      const cookie = token === cookieSessionToken;
      const res = await this.call(urls.api(cookie ? 'session/cookie' : 'logout'), {
        method: cookie ? 'DELETE' : 'POST',
        headers: authHeaders(token),
      });
      // Read the body so the connection is released (Node's fetch keeps it otherwise).
      await this.within(res.json()).catch(() => undefined);
    } catch {
      // Offline: the token is forgotten here anyway; the hub expires it eventually.
    }
  }

  /** GET /api/v1/me: whether the token still holds, after a WebSocket connect failed. */
  async checkSession(urls: HubUrls, token: string): Promise<SessionCheck> {
    let status: number;
    let body: unknown = null;
    try {
      const res = await this.call(urls.api('me'), { method: 'GET', headers: authHeaders(token) });
      status = res.status;
      body = await this.within(res.json()).catch(() => null);
    } catch {
      return 'unreachable';
    }
    if (status === 200) return 'valid';
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    if (status === 403 && code === 'account_disabled') return 'disabled';
    if (status === 401) return code === 'account_disabled' ? 'disabled' : 'revoked';
    return 'unreachable';
  }

  private call(url: string, init: { method: string; headers: Record<string, string>; body?: string }) {
    return this.within(this.fetch(url, init));
  }

  private within<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => reject(new TimedOut()), this.timeoutMs);
      promise.then(
        (value) => {
          this.timers.clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          this.timers.clearTimeout(timer);
          reject(err);
        },
      );
    });
  }
}
