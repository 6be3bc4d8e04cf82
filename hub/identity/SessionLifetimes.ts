import { CloseCode } from '../../common/protocol/errors.ts';
import type { Actor } from '../ops/Hub.ts';
import type { HubContext } from '../ops/HubContext.ts';
import { HubError } from '../ops/HubError.ts';
import { newToken } from '../ops/tokens.ts';
import { toHubError } from '../ops/toHubError.ts';
import {
  type SessionLifetime,
  type SessionTimes,
  sessionExpired,
  sessionExpiresAt,
  sessionRenewAfter,
} from './sessionLifetime.ts';

/**
 * Sessions that end (issue 16, point 5): when a session ends (`hello.session.expiresAt`), and
 * `session.renew` — a new token for the same device, with fresh idle and absolute limits, the old
 * session revoked. The check that refuses an ended session is in Accounts.authenticate.
 */
export class SessionLifetimes {
  constructor(
    private readonly ctx: HubContext,
    readonly lifetime: SessionLifetime,
    /** A use of the session gathered but not yet written (hub/ops/SessionTouches.ts). */
    private readonly pendingUse: (sessionId: number) => number | undefined = () => undefined,
  ) {}

  /** The stored session with a use still waiting to be written counted as written. */
  private async findSession(sessionId: number) {
    const session = await this.ctx.store.sessionLifetimes.findSession(sessionId);
    return session && this.withPendingUse({ ...session, id: sessionId });
  }

  /** A stored session (any shape with an id and times) as it is once gathered uses are written. */
  withPendingUse<T extends SessionTimes & { id: number }>(session: T): T {
    const pending = this.pendingUse(session.id);
    return pending !== undefined && pending > session.lastUsedAt ? { ...session, lastUsedAt: pending } : session;
  }

  /**
   * When the actor's session ends if it is not used again, and when an app in use should renew it
   * (`hello.session`); null for a session not in the store.
   */
  async describe(actor: Actor): Promise<{ expiresAt: number; renewAfter: number; now: number } | null> {
    const session = await this.findSession(actor.sessionId);
    if (!session) return null;
    return {
      expiresAt: sessionExpiresAt(session, this.lifetime),
      renewAfter: sessionRenewAfter(session, this.lifetime),
      // The hub's time, so a client with a wrong clock plans by the differences, not by its own date.
      now: this.ctx.clock(),
    };
  }

  /** Whether a session has not run out by time now (e.g. to leave ended ones out of "my sessions"). */
  isLive(session: SessionTimes): boolean {
    return !sessionExpired(session, this.lifetime, this.ctx.clock());
  }

  /**
   * A new session for the actor's device (same account, scope, source and device), the old one
   * revoked. The caller's open sockets keep working until they close; the client reconnects with
   * the new token. Refused (`unauthorized`) if the session has ended meanwhile.
   */
  async renew(actor: Actor): Promise<{ token: string; expiresAt: number }> {
    const { ctx } = this;
    const now = ctx.clock();
    const session = await this.findSession(actor.sessionId);
    if (!session || session.revoked || sessionExpired(session, this.lifetime, now)) {
      throw new HubError('unauthorized', 'the session has ended; sign in again');
    }
    const { token, hash } = newToken();
    let renewed;
    try {
      renewed = await ctx.store.sessionLifetimes.renewSession({ sessionId: actor.sessionId, tokenHash: hash, now });
    } catch (err) {
      // A full disk answers storage_full like every other write; nothing else leaks SQL.
      throw toHubError(err, ctx.log, 'renewSession');
    }
    if (renewed.kind === 'refused') {
      if (renewed.reason === 'disabled') {
        ctx.events.disconnect({ userId: actor.userId }, CloseCode.AccountDisabled, 'account disabled');
        throw new HubError('account_disabled', 'the account is disabled');
      }
      throw new HubError('unauthorized', 'the session has ended; sign in again');
    }
    ctx.log.info({ userId: actor.userId, sessionId: actor.sessionId, renewedAs: renewed.sessionId }, 'session renewed');
    const expiresAt = sessionExpiresAt({ createdAt: renewed.createdAt, lastUsedAt: now }, this.lifetime);
    return { token, expiresAt };
  }
}
