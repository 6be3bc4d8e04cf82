import type { LoginOutcome, LoginReservation, LoginThrottlePolicies, LoginTicket } from './LoginThrottle.ts';

/** A token bucket's settings: `perSecond` refill up to `burst`. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** The per-user limits a node shares: sends, message changes, button clicks, slash commands, uploads. */
export type UserLimitKind = 'send' | 'change' | 'click' | 'command' | 'upload';

/**
 * Which sign-in throttle a counter belongs to; each keeps its own counters, as on one node:
 * sign-ins, wrong current passwords (change password), wrong invitation codes.
 */
export type LoginScope = 'signin' | 'password' | 'invitation';

/**
 * Rate limits and the sign-in back-off kept for every node of a hub at once (issue 20): behind a
 * load balancer a person, or an attacker, would otherwise get each limit once per node.
 * Implemented over Redis by hub/cluster/RedisSharedLimits.ts and given to createHub
 * (`sharedLimits`); a hub without it keeps its limits in memory.
 *
 * Every method answers null (or false) when the shared store cannot answer now, quickly: the
 * caller then uses its own node's limits — a limit per node for that time rather than none, and
 * never a refusal caused by the outage.
 */
export interface SharedLimits {
  /** Takes one token from the user's `kind` bucket: 0 when taken, else the milliseconds until one is. */
  takeToken(kind: UserLimitKind, userId: number, rate: Rate): Promise<number | null>;
  /**
   * hub/ops/LoginThrottle.ts `reserve` over the shared counters: lets the attempt through and
   * counts it as being checked, or says how long to wait. `source` is already the counted key
   * (LoginThrottle.ts `sourceKey`).
   */
  reserveLogin(
    scope: LoginScope,
    account: string,
    source: string,
    policies: LoginThrottlePolicies,
  ): Promise<LoginReservation | null>;
  /** LoginThrottle `settle` of a ticket `reserveLogin` gave; false when it could not be written. */
  settleLogin(
    scope: LoginScope,
    ticket: LoginTicket,
    outcome: LoginOutcome,
    policies: LoginThrottlePolicies,
  ): Promise<boolean>;
  /** Whether the shared store answered the last time it was asked (false: each node limits on its own). */
  readonly shared: boolean;
  /** Stops asking and closes the connection; later calls answer null. */
  close(): Promise<void>;
}
