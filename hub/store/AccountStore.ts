/**
 * What a session may do, fixed when it is made: `full` (a password sign-in) or `chat` (from an
 * embed link: the chat protocol only, never administrator rights nor the HTTP API).
 */
export type SessionScope = 'full' | 'chat';

/** Who was online when the hub stopped (the status others saw), and when it stopped. */
export interface StopPresence {
  at: number;
  online: { userId: number; status: 'online' | 'away' | 'dnd' }[];
}

/** An account as operations see it. Never carries the password hash (see {@link AccountStore.findCredentials}). */
export interface AccountRecord {
  id: number;
  /** Normalised: lower-case, trimmed. */
  login: string;
  name: string;
  isAdmin: boolean;
  isBot: boolean;
  disabled: boolean;
  branch: string | null;
  email: string | null;
  createdAt: number;
  /** When the user was last connected, as last recorded (presence keeps the live value). */
  lastSeen: number | null;
  /** Job title and work phone, from the directory. */
  position: string | null;
  phone: string | null;
  /** The IANA zone the user's app last reported. */
  timeZone: string | null;
  /** The user's read-receipts switch (both ways). */
  readReceipts: boolean;
  /** The newest seq any of the user's devices reported received (✓ delivered); never goes back. */
  receivedSeq: number;
  /**
   * The person's id in the organisation's system (1C: the infobase user's UUID), set by directory
   * sync; null when never linked. Unique among accounts.
   */
  externalId: string | null;
}

/** The user's own settings a `settings.set` may change (absent: unchanged). */
export interface SettingsChange {
  readReceipts?: boolean;
  timeZone?: string;
}

/** A new account. The caller has normalised and checked the login and name and hashed the password. */
export interface NewAccount {
  login: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  isBot: boolean;
  branch: string | null;
  email: string | null;
  /** Created disabled (directory sync of someone who already left); false by default. */
  disabled?: boolean;
  createdAt: number;
  /** Add the account to the general room (people do, bots never: the caller decides). */
  joinGeneral: boolean;
}

/** What {@link AccountStore.createUser} did. */
export type CreateUserOutcome =
  /** `generalRoomId`: the general room the account joined, null when it did not join. */
  | { kind: 'created'; account: AccountRecord; generalRoomId: number | null }
  /** Another account has this login (checked inside the write: it may have been taken meanwhile). */
  | { kind: 'refused'; reason: 'login_taken' };

/** A new session, stored under the SHA-256 of its token (never the token). */
export interface NewSession {
  userId: number;
  tokenHash: Buffer;
  /** Where it was made from (client address, `embed ADDRESS`), for the log and audits. */
  source: string | null;
  scope: SessionScope;
  now: number;
}

/** What {@link AccountStore.createSession} did. */
export type CreateSessionOutcome =
  /** `account`: the account as it was when the session was written. */
  | { kind: 'created'; sessionId: number; account: AccountRecord }
  /**
   * Checked inside the write: `no_account`, `disabled`, or `privileged` for a `chat` session of
   * an administrator or a bot (they never get one, even if they became one a moment ago).
   */
  | { kind: 'refused'; reason: 'no_account' | 'disabled' | 'privileged' };

/** A session found by its token hash, with its account's flags as they are now. */
export interface SessionAuth {
  sessionId: number;
  userId: number;
  /** When the session was made (its absolute lifetime counts from here: hub/identity/sessionLifetime.ts). */
  createdAt: number;
  lastUsedAt: number;
  revoked: boolean;
  scope: SessionScope;
  isAdmin: boolean;
  isBot: boolean;
  disabled: boolean;
}

/** What the directory sync owns of an account. */
export interface ProfileChange {
  name: string;
  branch: string | null;
  email: string | null;
  /** Job title and work phone; absent: left as they are (a CSV without those columns). */
  position?: string | null;
  phone?: string | null;
}

/**
 * Accounts, their sessions and the people directory. Every method is atomic on its own; what a
 * caller needs after a write comes back in that write's result. Logins passed in are normalised
 * by the caller; password hashing stays in the operations (the store keeps hashes only).
 */
export interface AccountStore {
  /** The account with this id. */
  findUserById(id: number): Promise<AccountRecord | undefined>;
  /** The account with this (normalised) login. */
  findUserByLogin(login: string): Promise<AccountRecord | undefined>;
  /** The account linked to this external id (directory sync from 1C). */
  findUserByExternalId(externalId: string): Promise<AccountRecord | undefined>;
  /** The accounts with these ids that exist, in id order. */
  findUsersByIds(ids: readonly number[]): Promise<AccountRecord[]>;
  /** Ids of the accounts with these (normalised) logins that exist (mentions). */
  findUserIdsByLogins(logins: readonly string[]): Promise<{ id: number; login: string }[]>;
  /** Every account, by id. */
  listUsers(): Promise<AccountRecord[]>;
  /**
   * Accounts whose login or name contains `query` as typed (the store folds case, Russian rules):
   * enabled ones first, then those whose login starts with it, then by name.
   */
  searchUsers(query: string, limit: number, offset: number): Promise<AccountRecord[]>;
  /** The account with this login and its stored password hash, for checking a password. */
  findCredentials(login: string): Promise<{ account: AccountRecord; passwordHash: string } | undefined>;
  /** The first administrator still enabled (who the admin CLI's announcements come from). */
  firstActiveAdmin(): Promise<AccountRecord | undefined>;

  /** Creates an account, and when asked puts it in the general room, in one transaction. */
  createUser(account: NewAccount): Promise<CreateUserOutcome>;
  /**
   * Replaces the password hash AND revokes every live session of the account, in one transaction.
   * Undefined when there is no such account.
   */
  setPassword(userId: number, passwordHash: string, now: number): Promise<{ revokedSessions: number } | undefined>;
  /**
   * Disables (AND revokes every live session, in one transaction, so re-enabling does not revive
   * old devices) or re-enables an account. `changed`: whether the flag was different before.
   * Undefined when there is no such account.
   */
  setDisabled(
    userId: number,
    disabled: boolean,
    now: number,
  ): Promise<{ changed: boolean; revokedSessions: number } | undefined>;
  /** Changes name, branch and e-mail (the search key follows); the account after, or undefined if none. */
  updateProfile(userId: number, change: ProfileChange): Promise<AccountRecord | undefined>;
  /** Records when the user was last connected. */
  setLastSeen(userId: number, ts: number): Promise<void>;
  /** Several last-seen times in one atomic write (shutdown: everyone still connected). */
  setLastSeenMany(entries: readonly { userId: number; ts: number }[]): Promise<void>;
  /**
   * A lone hub's shutdown, in one atomic write: everyone's last-seen time (as setLastSeenMany) and
   * who was online with the status others saw, kept for the next start (takeStopPresence).
   */
  recordStop(lastSeen: readonly { userId: number; ts: number }[], online: StopPresence): Promise<void>;
  /** What the last recordStop kept, removed by this read; null when none was kept (a crash, a first start). */
  takeStopPresence(): Promise<StopPresence | null>;
  /** Changes the user's own settings; the account after, or undefined if none. */
  updateSettings(userId: number, change: SettingsChange): Promise<AccountRecord | undefined>;
  /**
   * Moves the user's received seq forward to `seq` (never back). `previous` is the value before;
   * `moved` whether it changed. Undefined if there is no such account.
   */
  advanceReceived(
    userId: number,
    seq: number,
  ): Promise<{ previous: number; receivedSeq: number; moved: boolean } | undefined>;
  /**
   * The user's direct conversations with a message after `afterSeq` (the ones whose ✓ may have
   * changed), each with the other person's id and whether both have read receipts on.
   */
  directPeers(
    userId: number,
    afterSeq: number,
  ): Promise<{ conversationId: number; peerId: number; receiptsOn: boolean }[]>;

  /** Stores a new session if the account may have it now (see {@link CreateSessionOutcome}). */
  createSession(session: NewSession): Promise<CreateSessionOutcome>;
  /** The session with this token hash (revoked ones too), joined with its account's flags. */
  findSession(tokenHash: Buffer): Promise<SessionAuth | undefined>;
  /** Records when sessions were last used, all in one atomic write (one fsync for many sign-ins). */
  touchSessions(touches: readonly { sessionId: number; at: number }[]): Promise<void>;
  /** Revokes one session (a revoked one stays as it was). */
  revokeSession(sessionId: number, now: number): Promise<void>;
  /** Revokes every live session of an account; returns how many there were. */
  revokeSessions(userId: number, now: number): Promise<number>;
}
