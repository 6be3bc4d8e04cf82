import type { ErrorCode } from '../../common/protocol/errors.ts';

/**
 * An expected failure of a hub operation: bad input, no access, rate limit. Carries a stable
 * protocol error code; the server layers turn it into an `error` frame or an HTTP JSON error.
 */
export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HubError';
  }
}
