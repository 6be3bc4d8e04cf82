import {
  defaultLoginThrottlePolicies,
  LoginThrottle,
  type LoginOutcome,
  type LoginThrottlePolicies,
  type LoginTicket,
  sourceKey,
} from './LoginThrottle.ts';
import type { LoginScope, SharedLimits } from './SharedLimits.ts';

/** A reserved attempt, and which counters it was counted on (they settle it). */
export interface SharedLoginTicket extends LoginTicket {
  readonly counted: 'shared' | 'local';
}

/** The answer of {@link SharedLoginThrottle.reserve}. */
export type SharedLoginReservation = { ok: true; ticket: SharedLoginTicket } | { ok: false; retryAfterMs: number };

/**
 * The sign-in back-off of one kind of attempt (sign-ins, wrong current passwords, wrong
 * invitation codes): hub/ops/LoginThrottle.ts's counters, kept for every node at once when the hub
 * has shared limits (an attacker gets the same count of guesses however a load balancer spreads
 * them), in this process otherwise — and while the shared ones cannot answer, so that an outage
 * neither locks everyone out nor lets guesses through unlimited.
 */
export class SharedLoginThrottle {
  private readonly local: LoginThrottle;
  /** Since start, on this node: attempts that failed, attempts refused to wait (read by /metrics). */
  readonly counts = { failed: 0, refused: 0 };

  constructor(
    private readonly shared: SharedLimits | undefined,
    private readonly scope: LoginScope,
    private readonly policies: LoginThrottlePolicies = defaultLoginThrottlePolicies,
  ) {
    this.local = new LoginThrottle(policies);
  }

  /** Lets an attempt through and counts it, or says how many milliseconds to wait first. */
  async reserve(account: string, address: string, now: number): Promise<SharedLoginReservation> {
    const answer = this.shared
      ? await this.shared.reserveLogin(this.scope, account, sourceKey(address), this.policies)
      : null;
    const reservation = answer ?? this.local.reserve(account, address, now);
    const counted = answer ? 'shared' : 'local';
    if (!reservation.ok) {
      this.counts.refused++;
      return reservation;
    }
    return { ok: true, ticket: { ...reservation.ticket, counted } };
  }

  /** Ends a reserved attempt exactly once (LoginThrottle `settle`); never throws. */
  async settle(ticket: SharedLoginTicket, outcome: LoginOutcome, now: number): Promise<void> {
    if (outcome === 'failed') this.counts.failed++;
    const { counted, ...plain } = ticket;
    if (
      counted === 'shared' &&
      this.shared &&
      (await this.shared.settleLogin(this.scope, plain, outcome, this.policies))
    )
      return;
    // Counted here, or the shared counters went away meanwhile: a failure still counts on this node.
    this.local.settle(plain, outcome, now);
  }
}
