import { CloseCode, ErrorCode } from '../../common/protocol/errors.ts';
import type { User } from '../../common/protocol/model.ts';
import { checkPasswordPolicy } from '../identity/passwordPolicy.ts';
import { invitationCodeHash, newInvitationCode } from '../identity/invitations/invitationCode.ts';
import type { Accounts } from './Accounts.ts';
import { normalizeLogin } from './Accounts.ts';
import { writeAudit } from './AuditLog.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { SharedLoginThrottle } from './SharedLoginThrottle.ts';
import { generatePassword } from './passwords.ts';
import type { Presence } from './Presence.ts';
import { newToken } from './tokens.ts';
import { toUser } from './views.ts';

/** Settings of onboarding and self-service (`--invite-valid`, `--min-password-length`). */
export interface OnboardingOptions {
  inviteValidMs: number;
  minPasswordLength: number;
}

/** The defaults of HubConfig, for hubs made without a configuration (tests, one-off commands). */
export const defaultOnboardingOptions: OnboardingOptions = { inviteValidMs: 7 * 86_400_000, minPasswordLength: 10 };

/** How long the code a forced password change hands out at sign-in is good for. */
export const changeCodeValidMs = 15 * 60_000;

/** What bulk onboarding did for one login: a code or an initial password (shown once), or why not. */
export type OnboardOutcome =
  | { login: string; name: string; code: string; expiresAt: number }
  | { login: string; name: string; password: string }
  | { login: string; skipped: string };

/** The one message for a code that is unknown, used, replaced or expired (no hint which). */
const invalidCode = () =>
  new HubError(
    ErrorCode.NotFound,
    'this invitation is not valid: it was used, replaced by a newer one or has expired; ask IT for a new one',
  );

/** A sign-in's answer: a session, or the code for the forced password change (no session yet). */
export type SignInAnswer =
  { token: string; user: User } | { mustChangePassword: true; changeCode: string; user: User; expiresAt: number };

/**
 * One-time invitations: IT makes a code for an account (`beseda-hub user invite`), the person
 * opens the link and chooses their own password, which signs them in. The same mechanism hands
 * out the code of a forced password change at the first sign-in with a CSV initial password.
 */
export class Invitations {
  /** Wrong codes are throttled like failed sign-ins, per address. */
  private readonly throttle: SharedLoginThrottle;

  constructor(
    private readonly ctx: HubContext,
    private readonly accounts: Accounts,
    private readonly presence: Presence,
    readonly options: OnboardingOptions,
  ) {
    this.throttle = new SharedLoginThrottle(ctx.sharedLimits, 'invitation');
  }

  /**
   * Makes a new code for the account (replacing its unused one), valid `validMs` (default
   * `inviteValidMs`). The code is returned once and only its hash is kept.
   */
  async invite(
    loginInput: string,
    by: string,
    validMs?: number,
  ): Promise<{ login: string; name: string; code: string; expiresAt: number }> {
    const { ctx } = this;
    const account = await ctx.store.accounts.findUserByLogin(normalizeLogin(loginInput));
    if (!account) throw new HubError(ErrorCode.NotFound, 'no such account');
    if (account.isBot) throw new HubError(ErrorCode.BadRequest, 'bots sign in with tokens, not invitations');
    // The same rule bulk onboarding skips them by (`onboard`). Before the disabled check: a
    // directory account is enabled by the directory's sync, and enabling it would not make an
    // invitation useful either.
    if ((await ctx.store.onboarding.authSource(account.id)) === 'directory')
      throw new HubError(
        ErrorCode.BadRequest,
        `${account.login} signs in with the directory (Windows) password; no invitation needed`,
      );
    if (account.disabled)
      throw new HubError(ErrorCode.AccountDisabled, `${account.login} is disabled; enable it first`);
    const { code, hash } = newInvitationCode();
    const now = ctx.clock();
    const expiresAt = now + (validMs ?? this.options.inviteValidMs);
    await ctx.store.onboarding.createInvitation({
      userId: account.id,
      codeHash: hash,
      createdAt: now,
      expiresAt,
      createdBy: by,
    });
    ctx.log.info({ userId: account.id, expiresAt }, 'invitation made');
    return { login: account.login, name: account.name, code, expiresAt };
  }

  /** What a code is for (the invitation page shows whose it is), or the one "not valid" error. */
  async check(code: string): Promise<{ login: string; name: string; expiresAt: number }> {
    const hash = invitationCodeHash(code);
    const found = hash && (await this.ctx.store.onboarding.findInvitation(hash));
    if (!found || found.usedAt !== null || found.expiresAt <= this.ctx.clock()) throw invalidCode();
    return { login: found.login, name: found.name, expiresAt: found.expiresAt };
  }

  /**
   * Uses a code: checks the chosen password against the policy, sets it, ends the account's other
   * sessions and returns a new one. Wrong codes are throttled per address like sign-ins; audited.
   */
  async redeem(code: string, password: string, source: string, device: string | null): Promise<SignInAnswer> {
    const { ctx } = this;
    const hash = invitationCodeHash(code);
    const found = hash && (await ctx.store.onboarding.findInvitation(hash));
    if (!hash || !found || found.usedAt !== null || found.expiresAt <= ctx.clock()) {
      // Only wrong codes are counted, per address: a valid code (256 bits, never guessed) is never
      // held up by someone else's guessing behind the same office address.
      const attempt = await this.throttle.reserve(`invitation ${source}`, source, ctx.clock());
      if (!attempt.ok)
        throw new HubError(ErrorCode.RateLimited, 'too many attempts; wait and try again', attempt.retryAfterMs);
      await this.throttle.settle(attempt.ticket, 'failed', ctx.clock());
      throw invalidCode();
    }
    checkPasswordPolicy(password, { minLength: this.options.minPasswordLength, login: found.login, name: found.name });
    const passwordHash = await this.accounts.hashNewPassword(password);
    const { token, hash: tokenHash } = newToken();
    const result = await ctx.store.onboarding.redeem({
      codeHash: hash,
      passwordHash,
      tokenHash,
      source,
      device,
      now: ctx.clock(),
    });
    if (result.kind === 'refused') {
      // Used or expired while the password was hashed (two tabs at once), or disabled meanwhile.
      if (result.reason === 'disabled') throw new HubError(ErrorCode.AccountDisabled, 'the account is disabled');
      throw invalidCode();
    }
    for (const sessionId of result.revokedSessionIds)
      ctx.events.disconnect({ sessionId }, CloseCode.SessionRevoked, 'password changed');
    await writeAudit(ctx, {
      actor: result.account.login,
      source: 'app',
      action: 'invitation.redeem',
      target: result.account.login,
      detail: { endedSessions: result.revokedSessionIds.length },
    });
    ctx.log.info({ userId: result.account.id, sessionId: result.sessionId, source }, 'invitation redeemed');
    return { token, user: toUser(result.account, this.presence) };
  }

  /**
   * Signs in; an account whose password IT set (a CSV initial password) gets no session but a
   * short-lived code to choose its own password with (`redeem`), so the initial one opens nothing else.
   */
  async signIn(login: string, password: string, source: string, device: string | null): Promise<SignInAnswer> {
    const { ctx } = this;
    const { token, user, actor } = await this.accounts.login(login, password, source);
    if (!(await ctx.store.onboarding.mustChangePassword(actor.userId))) {
      await ctx.store.onboarding.setSessionDevice(actor.sessionId, device);
      return { token, user };
    }
    // The session was never handed out; it is revoked before anyone could use it.
    await ctx.store.onboarding.revokeSessions(actor.userId, { only: actor.sessionId }, ctx.clock());
    const { code, hash } = newInvitationCode();
    const now = ctx.clock();
    const expiresAt = now + changeCodeValidMs;
    await ctx.store.onboarding.createInvitation({
      userId: actor.userId,
      codeHash: hash,
      createdAt: now,
      expiresAt,
      createdBy: 'sign-in',
    });
    ctx.log.info({ userId: actor.userId, source }, 'signed in with an initial password: must change it');
    return { mustChangePassword: true, changeCode: code, user, expiresAt };
  }

  /**
   * Onboards people in bulk (`user import FILE --invite|--passwords`): an invitation each, or a
   * generated initial password to be changed at the first sign-in. Only accounts nobody has
   * signed in to yet: a re-imported file never resets people already using the hub. Each login
   * gets its own outcome; one that cannot be onboarded does not stop the others.
   */
  async onboard(
    logins: readonly string[],
    mode: 'invite' | 'password',
    by: string,
    validMs?: number,
  ): Promise<OnboardOutcome[]> {
    const out: OnboardOutcome[] = [];
    for (const raw of logins) {
      const login = normalizeLogin(raw);
      const account = await this.ctx.store.accounts.findUserByLogin(login);
      const skip = (reason: string) => out.push({ login, skipped: reason });
      if (!account) skip('no such account');
      else if (account.isBot) skip('a bot');
      else if (account.disabled) skip('disabled');
      else if (account.lastSeen !== null || (await this.ctx.store.onboarding.listSessions(account.id)).length > 0)
        skip('has signed in before');
      else if ((await this.ctx.store.onboarding.authSource(account.id)) === 'directory')
        skip('signs in with the directory password');
      else if (mode === 'invite') {
        const { code, expiresAt, name } = await this.invite(login, by, validMs);
        out.push({ login, name, code, expiresAt });
      } else {
        const password = generatePassword(16);
        await this.accounts.setPassword(login, password);
        await this.ctx.store.onboarding.setMustChangePassword(account.id, true);
        out.push({ login, name: account.name, password });
      }
    }
    return out;
  }
}
