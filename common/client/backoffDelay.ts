/** Reconnect back-off settings. */
export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  capMs: number;
}

/** 0.5 s, doubling, at most 30 s. */
export const defaultBackoff: BackoffPolicy = { baseMs: 500, factor: 2, capMs: 30_000 };

/**
 * The wait before reconnect attempt number `attempt` (0 = the first retry), with "full jitter":
 * a uniformly random delay up to the exponential ceiling, so that a hub restart does not bring
 * every client back in the same instant.
 */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = defaultBackoff): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
