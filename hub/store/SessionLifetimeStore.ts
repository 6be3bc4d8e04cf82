import type { SessionScope } from './AccountStore.ts';

/** A session as renewal and `hello` need it. */
export interface SessionLifetimeRecord {
  sessionId: number;
  userId: number;
  createdAt: number;
  lastUsedAt: number;
  revoked: boolean;
  scope: SessionScope;
}

/** What {@link SessionLifetimeStore.renewSession} did. */
export type RenewSessionOutcome =
  /** The new session (same user, scope, source and device) and when it was made. */
  | { kind: 'renewed'; sessionId: number; createdAt: number }
  /** The old session was revoked meanwhile (a renewal raced another), or the account is gone or disabled. */
  | { kind: 'refused'; reason: 'ended' | 'disabled' };

/** Sessions' lifetimes: reading a session's times, and renewing it (hub/identity/SessionLifetimes.ts). */
export interface SessionLifetimeStore {
  /** The session with this id, revoked or not. */
  findSession(sessionId: number): Promise<SessionLifetimeRecord | undefined>;
  /**
   * In one transaction: if the session is live and its account enabled, stores a new session for
   * the same user, scope, source (and device) under `tokenHash`, and revokes the old one.
   */
  renewSession(input: { sessionId: number; tokenHash: Buffer; now: number }): Promise<RenewSessionOutcome>;
}
