import { CloseCode, ErrorCode } from '../../common/protocol/errors.ts';
import type { SessionInfo } from '../../common/protocol/sessionInfo.ts';
import { checkPasswordPolicy, maxPasswordLength } from '../identity/passwordPolicy.ts';
import type { SessionLifetimes } from '../identity/SessionLifetimes.ts';
import type { Accounts } from './Accounts.ts';
import { writeAudit } from './AuditLog.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { SharedLoginThrottle } from './SharedLoginThrottle.ts';

/**
 * What people do for themselves: change their password (which ends their other sessions), see
 * their sessions (device, address, last use) and end one or all the others. Chat-only sessions
 * (embed links) may do none of it.
 */
export class SelfService {
  /** Wrong current passwords are throttled like sign-ins: a stolen session must not guess it. */
  private readonly throttle: SharedLoginThrottle;

  constructor(
    private readonly ctx: HubContext,
    private readonly accounts: Accounts,
    private readonly minPasswordLength: number,
    private readonly lifetimes: SessionLifetimes,
  ) {
    this.throttle = new SharedLoginThrottle(ctx.sharedLimits, 'password');
  }

  /** Changes the actor's password after checking the current one; ends every other session. */
  async changePassword(
    actor: Actor,
    current: string,
    next: string,
    source: string,
  ): Promise<{ endedSessions: number }> {
    const { ctx } = this;
    const account = await this.requirePerson(actor);
    if ((await ctx.store.onboarding.authSource(account.id)) === 'directory')
      throw new HubError(
        ErrorCode.Forbidden,
        'this account signs in with the Windows (directory) password: change it in Windows',
      );
    if (current.length > maxPasswordLength)
      throw new HubError(ErrorCode.BadCredentials, 'the current password is wrong');
    const attempt = await this.throttle.reserve(account.login, source, ctx.clock());
    if (!attempt.ok)
      throw new HubError(ErrorCode.RateLimited, 'too many wrong passwords; wait and try again', attempt.retryAfterMs);
    let outcome: 'failed' | 'succeeded' | 'unchecked' = 'unchecked';
    try {
      const stored = await ctx.store.onboarding.passwordHash(account.id);
      if (!stored || !(await this.accounts.passwordMatches(current, stored))) {
        outcome = 'failed';
        throw new HubError(ErrorCode.BadCredentials, 'the current password is wrong');
      }
      outcome = 'succeeded';
    } finally {
      await this.throttle.settle(attempt.ticket, outcome, ctx.clock());
    }
    checkPasswordPolicy(next, { minLength: this.minPasswordLength, login: account.login, name: account.name });
    if (next === current) throw new HubError(ErrorCode.BadRequest, 'the new password is the same as the current one');
    const hash = await this.accounts.hashNewPassword(next);
    const ended = await ctx.store.onboarding.changePassword(account.id, hash, actor.sessionId, ctx.clock());
    this.closeSessions(ended, 'password changed');
    await writeAudit(ctx, {
      actor: account.login,
      source: 'app',
      action: 'password.change',
      target: account.login,
      detail: { endedSessions: ended.length },
    });
    ctx.log.info({ userId: account.id, endedSessions: ended.length }, 'password changed by its owner');
    return { endedSessions: ended.length };
  }

  /**
   * The actor's live sessions, most recently used first. Sessions that ran out by time (idle or
   * absolute lifetime) are never revoked in the store, only refused on use: they are left out, so
   * the list shows only devices that can still get in.
   */
  async listSessions(actor: Actor): Promise<SessionInfo[]> {
    await this.requirePerson(actor);
    const sessions = await this.ctx.store.onboarding.listSessions(actor.userId);
    return sessions
      .map((s) => this.lifetimes.withPendingUse(s))
      .filter((s) => this.lifetimes.isLive(s))
      .map((s) => ({
        id: s.id,
        device: s.device,
        address: s.source,
        kind: s.scope,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        current: s.id === actor.sessionId,
      }));
  }

  /** Ends one of the actor's sessions (its sockets close at once); not_found if it is not theirs. */
  async endSession(actor: Actor, sessionId: number): Promise<void> {
    await this.requirePerson(actor);
    const ended = await this.ctx.store.onboarding.revokeSessions(actor.userId, { only: sessionId }, this.ctx.clock());
    if (ended.length === 0) throw new HubError(ErrorCode.NotFound, 'no such session');
    this.closeSessions(ended, 'signed out from another device');
  }

  /** Ends every session of the actor but this one ("sign out everywhere else"). */
  async endOtherSessions(actor: Actor): Promise<{ ended: number }> {
    await this.requirePerson(actor);
    const ended = await this.ctx.store.onboarding.revokeSessions(
      actor.userId,
      { except: actor.sessionId },
      this.ctx.clock(),
    );
    this.closeSessions(ended, 'signed out from another device');
    this.ctx.log.info({ userId: actor.userId, ended: ended.length }, 'other sessions ended');
    return { ended: ended.length };
  }

  private closeSessions(ids: readonly number[], reason: string): void {
    for (const sessionId of ids) this.ctx.events.disconnect({ sessionId }, CloseCode.SessionRevoked, reason);
  }

  /** People only, from a full session: bots have no password of their own, embed sessions are for chat. */
  private async requirePerson(actor: Actor) {
    if (actor.chatOnly || actor.isBot)
      throw new HubError(ErrorCode.Forbidden, 'not from this session: sign in to the app itself');
    const account = await this.ctx.store.accounts.findUserById(actor.userId);
    if (!account) throw new HubError(ErrorCode.NotFound, 'no such account');
    return account;
  }
}
