import { CloseCode } from '../../common/protocol/errors.ts';

/** setTimeout's longest delay (about 24.8 days); longer waits are re-armed in steps. */
const maxTimerMs = 2 ** 31 - 1;

/** The part of a socket this needs. */
export interface ClosableSocket {
  close(code: number, reason: string): void;
}

/**
 * Closes a socket when its session ends by time (issue 16), with 4101 ("sign in again") — a socket
 * opened before the limit must not outlive it. An app in use renews its session long before and
 * reconnects with the new token, so only a session nobody renews is cut. Returns the cancel.
 */
export function closeWhenSessionEnds(
  socket: ClosableSocket,
  expiresAt: number | null,
  now: () => number = Date.now,
): () => void {
  if (expiresAt === null) return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const left = expiresAt - now();
    if (left <= 0) {
      socket.close(CloseCode.SessionRevoked, 'session expired');
      return;
    }
    timer = setTimeout(arm, Math.min(left, maxTimerMs));
    // The hub's shutdown must not wait for a session's end.
    timer.unref?.();
  };
  arm();
  return () => clearTimeout(timer);
}
