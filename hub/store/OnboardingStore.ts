import type { AccountRecord } from './AccountStore.ts';

/** A new one-time code for an account, stored under the SHA-256 of the code (never the code). */
export interface NewInvitation {
  userId: number;
  codeHash: Buffer;
  createdAt: number;
  expiresAt: number;
  /** Who made it: `cli:<os user>`, an administrator's login, or `sign-in` (a forced password change). */
  createdBy: string;
}

/** What {@link OnboardingStore.redeem} did; every refusal changes nothing. */
export type RedeemOutcome =
  | { kind: 'redeemed'; sessionId: number; account: AccountRecord; revokedSessionIds: number[] }
  | { kind: 'refused'; reason: 'unknown' | 'used' | 'expired' | 'disabled' };

/** One live session of an account, as "my sessions" lists it. */
export interface SessionListing {
  id: number;
  /** The client address it was made from (or `embed ADDRESS`). */
  source: string | null;
  /** "Chrome 131 on Windows", "Беседа (desktop) on Linux"; null when not known. */
  device: string | null;
  scope: 'full' | 'chat';
  createdAt: number;
  lastUsedAt: number;
}

/** Invitations, forced password changes and a person's own sessions. Each method is atomic. */
export interface OnboardingStore {
  /** Stores a code for the account, replacing (deleting) its unused codes, in one transaction. */
  createInvitation(invitation: NewInvitation): Promise<void>;
  /** The account a code is for, if the code exists (used or not), for checks before hashing. */
  findInvitation(
    codeHash: Buffer,
  ): Promise<{ userId: number; expiresAt: number; usedAt: number | null; login: string; name: string } | undefined>;
  /**
   * Uses a code: checks again that it is unused, unexpired and its account enabled; sets the
   * password hash, clears the forced-change flag, revokes the account's sessions and makes a new
   * full session, all in one transaction.
   */
  redeem(r: {
    codeHash: Buffer;
    passwordHash: string;
    tokenHash: Buffer;
    source: string;
    device: string | null;
    now: number;
  }): Promise<RedeemOutcome>;
  /** Whether the account must change its password before anything else. */
  mustChangePassword(userId: number): Promise<boolean>;
  /** Sets (dropping the account's unused invitations: IT handed out a password instead) or clears the forced-change flag. */
  setMustChangePassword(userId: number, must: boolean): Promise<void>;
  /** `local` or `directory` (I1's `users.auth_source`; `local` on a database without that column). */
  authSource(userId: number): Promise<'local' | 'directory'>;
  /** The stored password hash of an account (to check the current password). */
  passwordHash(userId: number): Promise<string | undefined>;
  /** Records the device of a session. */
  setSessionDevice(sessionId: number, device: string | null): Promise<void>;
  /** The account's live (not revoked) sessions, most recently used first. */
  listSessions(userId: number): Promise<SessionListing[]>;
  /**
   * Revokes live sessions of the account: one (`only`), or all but one (`except`). Returns the
   * ids revoked (none when the session is not the account's).
   */
  revokeSessions(userId: number, which: { only: number } | { except: number }, now: number): Promise<number[]>;
  /**
   * Replaces the password hash, clears the forced-change flag and revokes every other live
   * session of the account, in one transaction; the ids revoked.
   */
  changePassword(userId: number, passwordHash: string, keepSessionId: number, now: number): Promise<number[]>;
}
