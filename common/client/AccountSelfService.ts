import type { RequestType, ParamsOf } from '../protocol/clientFrame.ts';
import type { User } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { SessionInfo } from '../protocol/sessionInfo.ts';
import type { SignInFailure } from './Backend.ts';
import type { FetchLike } from './HubHttp.ts';
import { parseHubAddress } from './hubUrls.ts';

/** What the account actions need from the client core. */
export interface AccountSelfServiceDeps {
  fetch: FetchLike;
  /** A request over the signed-in connection. */
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
  /** Saves and starts a session from a token, exactly as a sign-in does. */
  signInWithToken(hubUrl: string, token: string, user: User): Promise<void>;
}

/** The answer of an invitation check: whose it is, or why it cannot be used. */
export type InvitationCheck =
  { ok: true; login: string; name: string; expiresAt: number } | { ok: false; error: SignInFailure };

const failureCodes = new Set(['weak_password', 'rate_limited', 'account_disabled', 'bad_request']);

/**
 * Invitations, the forced password change and "my sessions" (issue 16): the HTTP calls made
 * while signed out (an invitation's code, a change code from sign-in) and the requests of a
 * signed-in person. The hub checks everything; this only carries it.
 */
export class AccountSelfService {
  constructor(private readonly deps: AccountSelfServiceDeps) {}

  /** Whose an invitation is (the page greets them by name), or the hub's one "not valid" answer. */
  async checkInvitation(hubUrl: string, code: string): Promise<InvitationCheck> {
    const answer = await this.post(hubUrl, 'invitations/check', { code });
    if (!answer.ok) return answer;
    const body = answer.body as { login?: unknown; name?: unknown; expiresAt?: unknown };
    if (typeof body.login !== 'string' || typeof body.name !== 'string' || typeof body.expiresAt !== 'number')
      return { ok: false, error: { code: 'internal', message: 'the hub sent an unexpected answer' } };
    return { ok: true, login: body.login, name: body.name, expiresAt: body.expiresAt };
  }

  /**
   * Uses an invitation's code (or the change code a sign-in with an initial password gave) to set
   * one's own password; signed in on success.
   */
  async redeemInvitation(
    hubUrl: string,
    code: string,
    password: string,
  ): Promise<{ ok: true } | { ok: false; error: SignInFailure }> {
    const answer = await this.post(hubUrl, 'invitations/redeem', { code, password });
    if (!answer.ok) return answer;
    const body = answer.body as { token?: unknown; user?: unknown };
    if (typeof body.token !== 'string' || typeof body.user !== 'object' || body.user === null)
      return { ok: false, error: { code: 'internal', message: 'the hub sent an unexpected answer' } };
    await this.deps.signInWithToken(hubUrl, body.token, body.user as User);
    return { ok: true };
  }

  /** Changes one's password; the hub ends every other session. Rejects with the hub's error. */
  async changePassword(current: string, next: string): Promise<{ endedSessions: number }> {
    return this.deps.request('password.change', { current, next });
  }

  async listSessions(): Promise<SessionInfo[]> {
    return (await this.deps.request('sessions.list', {})).sessions;
  }

  async endSession(sessionId: number): Promise<void> {
    await this.deps.request('sessions.end', { sessionId });
  }

  async endOtherSessions(): Promise<number> {
    return (await this.deps.request('sessions.endAll', {})).ended;
  }

  private async post(
    hubUrl: string,
    path: string,
    payload: object,
  ): Promise<{ ok: true; body: unknown } | { ok: false; error: SignInFailure }> {
    const urls = parseHubAddress(hubUrl);
    if (!urls) return { ok: false, error: { code: 'bad_request', message: 'the hub address is not valid' } };
    let status: number;
    let body: unknown;
    try {
      const res = await this.deps.fetch(urls.api(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      status = res.status;
      body = await res.json();
    } catch {
      return { ok: false, error: { code: 'unreachable', message: `cannot reach a Beseda hub at ${urls.base}` } };
    }
    if (status === 200) return { ok: true, body };
    const error = (body as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } } | null)?.error;
    const raw = typeof error?.code === 'string' ? error.code : '';
    const code: SignInFailure['code'] =
      raw === 'not_found' ? 'invitation_invalid' : failureCodes.has(raw) ? (raw as SignInFailure['code']) : 'internal';
    const failure: SignInFailure = {
      code,
      message: typeof error?.message === 'string' ? error.message : `the hub answered ${status}`,
    };
    if (typeof error?.retryAfterMs === 'number') failure.retryAfterMs = error.retryAfterMs;
    return { ok: false, error: failure };
  }
}
