/**
 * Stable error codes of the Beseda protocol. Clients branch on the code; the accompanying
 * human message may change between versions.
 */
export const ErrorCode = {
  /** The frame is not valid JSON, or a field has the wrong type or range. */
  BadRequest: 'bad_request',
  /** The frame's `type` is not one this hub knows. */
  UnknownType: 'unknown_type',
  /** Not signed in, or the session was revoked. */
  Unauthorized: 'unauthorized',
  /** Signed in, but this user may not do that. */
  Forbidden: 'forbidden',
  /** The thing does not exist, or the caller may not know that it exists. */
  NotFound: 'not_found',
  /** The message text is longer than the hub's limit. */
  TooLong: 'too_long',
  /** Too many requests; wait `retryAfterMs` before trying again. */
  RateLimited: 'rate_limited',
  /** The request conflicts with the current state (e.g. the name is taken, already a member). */
  Conflict: 'conflict',
  /** A file is larger than the hub's per-file limit (`limits.maxFileBytes`). */
  FileTooLarge: 'file_too_large',
  /** The user's daily upload quota is used up; it frees up over the next 24 hours. */
  QuotaExceeded: 'quota_exceeded',
  /** The hub cannot store anything right now (disk full, or IT's total file storage limit); reads still work. */
  StorageFull: 'storage_full',
  /** The message can no longer be edited: the hub's edit window (`limits.editWindowMs`) has passed. */
  EditExpired: 'edit_expired',
  /** The message already carries the most different reactions the hub allows (`limits.maxReactionsPerMessage`). */
  TooManyReactions: 'too_many_reactions',
  /** The account is disabled. */
  AccountDisabled: 'account_disabled',
  /** Wrong login or password. */
  BadCredentials: 'bad_credentials',
  /**
   * A chosen password breaks the hub's policy; the message starts with the reason
   * (`too_short:10`, `too_long`, `common`, `like_login`) and a colon.
   */
  WeakPassword: 'weak_password',
  /** A button was already clicked by this person (and its action allows one click). */
  AlreadyClicked: 'already_clicked',
  /** The bot behind a button or a command refused it; the message is its reason, for the person. */
  Refused: 'refused',
  /** The bot behind a button or a command did not answer (timeout, error, circuit open, no callback URL). */
  BotUnavailable: 'bot_unavailable',
  /** The hub is shutting down or temporarily unable to serve the request. */
  Unavailable: 'unavailable',
  /** A bug in the hub; the request was not applied. */
  Internal: 'internal',
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * WebSocket close codes the hub uses (RFC 6455 codes plus the 4000-4999 private range).
 * Clients decide from the code whether to reconnect: the 41xx codes mean "do not reconnect with
 * this token".
 */
export const CloseCode = {
  /** Normal closure (client asked to close). */
  Normal: 1000,
  /** The hub is shutting down or restarting; reconnect with back-off. */
  GoingAway: 1001,
  /** A binary frame was sent; the protocol is JSON text only. */
  UnsupportedData: 1003,
  /** The frame was larger than the hub's `maxPayload`. */
  TooBig: 1009,
  /** Too many malformed frames in a row; reconnect with back-off. */
  ProtocolViolation: 4000,
  /** The client could not keep up with its messages; reconnect and catch up. */
  SlowConsumer: 4002,
  /** Too many requests for too long; reconnect after a pause. */
  Flood: 4008,
  /** The session was revoked (sign-out, password change); sign in again. */
  SessionRevoked: 4101,
  /** The account was disabled by IT. */
  AccountDisabled: 4103,
} as const;

/** One of the values of {@link CloseCode}. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect with the same token. */
export const terminalCloseCodes: readonly number[] = [CloseCode.SessionRevoked, CloseCode.AccountDisabled];
