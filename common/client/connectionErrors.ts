/**
 * Values of `ClientState.connectionError`: stable codes the UI translates (Russian and English),
 * rather than sentences, so the client core stays language-free.
 */
export const ConnectionError = {
  /** The session was revoked (signed out elsewhere, password changed): sign in again. */
  SessionRevoked: 'session_revoked',
  /** IT disabled the account. */
  AccountDisabled: 'account_disabled',
  /** The hub cannot be reached (down, network, wrong address). */
  Unreachable: 'unreachable',
  /** The hub refused the connection although the session is valid (origin not allowed, version, overload). */
  Refused: 'refused',
  /** The hub is restarting. */
  HubRestarting: 'hub_restarting',
  /** The connection dropped or stopped answering. */
  ConnectionLost: 'connection_lost',
} as const;

/** One of {@link ConnectionError}. */
export type ConnectionError = (typeof ConnectionError)[keyof typeof ConnectionError];
