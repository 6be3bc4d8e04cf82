import { ErrorCode } from '../protocol/errors.ts';
import type { OutboxEntry } from './OutboxEntry.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';

/** Errors after which a message stays pending and is sent (or its file uploaded) again later. */
const transientCodes: ReadonlySet<string> = new Set<string>([
  ErrorCode.RateLimited,
  ErrorCode.Unavailable,
  ErrorCode.Unauthorized,
  LocalErrorCode.Timeout,
  LocalErrorCode.Disconnected,
  LocalErrorCode.Offline,
  LocalErrorCode.SignedOut,
]);

/** Errors that say the connection is gone: wait for the outbox's `resume` rather than a timer. */
const connectionCodes: ReadonlySet<string> = new Set<string>([
  ErrorCode.Unauthorized,
  LocalErrorCode.Timeout,
  LocalErrorCode.Disconnected,
  LocalErrorCode.Offline,
  LocalErrorCode.SignedOut,
]);

/** Any failure as a RequestError (something unexpected counts as a lost connection: tried again). */
export function asRequestError(err: unknown): RequestError {
  return err instanceof RequestError
    ? err
    : new RequestError(LocalErrorCode.Disconnected, (err as Error)?.message ?? String(err));
}

/**
 * The hub refused the `send` because a file id the entry saved is unknown to it (an upload left
 * unsent for a day is collected as an orphan), and the files were not uploaded again yet.
 */
export function refusesStoredFiles(entry: OutboxEntry, error: RequestError): boolean {
  if (!entry.files?.length || entry.reuploaded) return false;
  return error.code === ErrorCode.NotFound && /\bfile\b/i.test(error.message);
}

/**
 * What becomes of an entry after its `send` or an upload failed: it fails (the user sees why and
 * may retry), waits for the next hello (`pauseMs` null), or waits `pauseMs` (ended early by a
 * hello when `endsOnHello`).
 */
export type Recovery = { fail: true } | { fail: false; pauseMs: number | null; endsOnHello: boolean };

/**
 * The recovery for an error. A `send` that lost its connection waits for the next hello (the
 * socket is the transport). An upload that got no answer over HTTP (hub down or restarting, a
 * proxy in between, 5xx) tries again after a growing wait (`failures` in a row), or at the next
 * hello, whichever comes first: the socket may be up while HTTP is not, or the other way round.
 */
export function recoveryFor(error: RequestError, phase: 'send' | 'upload', failures: number): Recovery {
  if (!transientCodes.has(error.code)) return { fail: true };
  if (error.code === ErrorCode.RateLimited) {
    return { fail: false, pauseMs: error.retryAfterMs ?? 1000, endsOnHello: false };
  }
  if (phase === 'send') {
    return connectionCodes.has(error.code)
      ? { fail: false, pauseMs: null, endsOnHello: false }
      : { fail: false, pauseMs: error.retryAfterMs ?? 1000, endsOnHello: false };
  }
  if (error.code === ErrorCode.Unauthorized || error.code === LocalErrorCode.SignedOut) {
    return { fail: false, pauseMs: null, endsOnHello: false };
  }
  return { fail: false, pauseMs: Math.min(1000 * 2 ** Math.max(0, failures - 1), 30_000), endsOnHello: true };
}
