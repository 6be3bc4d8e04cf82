/**
 * Codes the client itself gives a failed request, next to the hub's error codes
 * (common/protocol/errors.ts).
 */
export const LocalErrorCode = {
  /** No reply within the request timeout; the socket is treated as dead. */
  Timeout: 'timeout',
  /** The socket closed before the reply came. */
  Disconnected: 'disconnected',
  /** Not connected to the hub now. */
  Offline: 'offline',
  /** Not signed in. */
  SignedOut: 'signed_out',
  /** A file waiting in the outbox is no longer on this device (its stash was wiped or lost). */
  FileMissing: 'file_missing',
  /** This device could not keep a file for the outbox (storage full or unavailable). */
  StashFailed: 'stash_failed',
} as const;

/** A request that failed: the hub's error frame, or one of {@link LocalErrorCode}. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
