/**
 * How long a session lives (issue 16, point 5). A session ends when it has not been used for
 * `idleMs` (the last connection or sign-in older than that) or when `maxMs` has passed since it
 * was made, whichever comes first. An app in use renews its session (`session.renew`: a new
 * session for the same device, the old one revoked), so the absolute limit bounds how long one
 * stolen token works, not how long a person stays signed in.
 */
export interface SessionLifetime {
  /** A session unused this long ends (`--session-idle`). */
  idleMs: number;
  /** A session ends this long after it was made (`--session-max`). */
  maxMs: number;
}

/** The defaults of `--session-idle` (30 days) and `--session-max` (180 days). */
export const defaultSessionLifetime: SessionLifetime = {
  idleMs: 30 * 24 * 3600_000,
  maxMs: 180 * 24 * 3600_000,
};

/** The times of a session that decide when it ends. */
export interface SessionTimes {
  createdAt: number;
  lastUsedAt: number;
}

/** When the session ends if nobody uses it again: the earlier of its idle and absolute limits. */
export function sessionExpiresAt(session: SessionTimes, lifetime: SessionLifetime): number {
  return Math.min(session.lastUsedAt + lifetime.idleMs, session.createdAt + lifetime.maxMs);
}

/**
 * When an app in use should renew the session: once a quarter of the shorter limit has passed
 * since it was made (about a week by default). Renewing then, not half-way to the end, keeps a
 * laptop that sleeps over a weekend from meeting the limit asleep, with one new session a week.
 */
export function sessionRenewAfter(session: SessionTimes, lifetime: SessionLifetime): number {
  return session.createdAt + Math.min(lifetime.idleMs, lifetime.maxMs) / 4;
}

/** Whether the session has ended by time at `now`. */
export function sessionExpired(session: SessionTimes, lifetime: SessionLifetime, now: number): boolean {
  return now >= sessionExpiresAt(session, lifetime);
}
