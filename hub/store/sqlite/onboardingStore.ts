import type { Database } from 'better-sqlite3';
import type { OnboardingStore, RedeemOutcome, SessionListing } from '../OnboardingStore.ts';
import { insertSession } from './sessions.ts';
import { statement } from './statement.ts';
import { accountRecord, findUserById } from './users.ts';

interface InvitationRow {
  id: number;
  user_id: number;
  expires_at: number;
  used_at: number | null;
  login: string;
  name: string;
  disabled: number;
}

const findInvitationSql = `SELECT i.id, i.user_id, i.expires_at, i.used_at, u.login, u.name, u.disabled
  FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.code_hash = ?`;

/** Ids of live sessions of a user matching an extra condition, then revoked. */
function revokeWhere(db: Database, userId: number, extra: string, arg: number, now: number): number[] {
  const ids = (
    statement(db, `SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND ${extra}`).all(userId, arg) as {
      id: number;
    }[]
  ).map((r) => r.id);
  const revoke = statement(db, 'UPDATE sessions SET revoked_at = ? WHERE id = ?');
  for (const id of ids) revoke.run(now, id);
  return ids;
}

/** The SQLite {@link OnboardingStore}: each write one IMMEDIATE transaction. */
export function sqliteOnboardingStore(db: Database): OnboardingStore {
  const createInvitation = db.transaction(
    (i: { userId: number; codeHash: Buffer; createdAt: number; expiresAt: number; createdBy: string }) => {
      // A new code replaces the old: only the newest one handed out works.
      statement(db, 'DELETE FROM invitations WHERE user_id = ? AND used_at IS NULL').run(i.userId);
      statement(
        db,
        'INSERT INTO invitations (user_id, code_hash, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?)',
      ).run(i.userId, i.codeHash, i.createdAt, i.expiresAt, i.createdBy);
    },
  );
  const redeem = db.transaction(
    (r: {
      codeHash: Buffer;
      passwordHash: string;
      tokenHash: Buffer;
      source: string;
      device: string | null;
      now: number;
    }): RedeemOutcome => {
      const inv = statement(db, findInvitationSql).get(r.codeHash) as InvitationRow | undefined;
      if (!inv) return { kind: 'refused', reason: 'unknown' };
      if (inv.used_at !== null) return { kind: 'refused', reason: 'used' };
      if (inv.expires_at <= r.now) return { kind: 'refused', reason: 'expired' };
      if (inv.disabled === 1) return { kind: 'refused', reason: 'disabled' };
      statement(db, 'UPDATE invitations SET used_at = ? WHERE id = ?').run(r.now, inv.id);
      statement(db, 'UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?').run(
        r.passwordHash,
        inv.user_id,
      );
      const revokedSessionIds = revokeWhere(db, inv.user_id, 'id <> ?', -1, r.now);
      const sessionId = insertSession(db, {
        userId: inv.user_id,
        tokenHash: r.tokenHash,
        source: r.source,
        scope: 'full',
        now: r.now,
      });
      statement(db, 'UPDATE sessions SET device = ? WHERE id = ?').run(r.device, sessionId);
      return { kind: 'redeemed', sessionId, account: accountRecord(findUserById(db, inv.user_id)!), revokedSessionIds };
    },
  );
  const revokeSessions = db.transaction((userId: number, which: { only: number } | { except: number }, now: number) =>
    'only' in which
      ? revokeWhere(db, userId, 'id = ?', which.only, now)
      : revokeWhere(db, userId, 'id <> ?', which.except, now),
  );
  const setMustChange = db.transaction((userId: number, must: boolean) => {
    statement(db, 'UPDATE users SET must_change_password = ? WHERE id = ?').run(must ? 1 : 0, userId);
    // IT handed out a password instead: an earlier invitation must not reset it later.
    if (must) statement(db, 'DELETE FROM invitations WHERE user_id = ? AND used_at IS NULL').run(userId);
  });
  const changePassword = db.transaction((userId: number, hash: string, keep: number, now: number) => {
    statement(db, 'UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?').run(hash, userId);
    return revokeWhere(db, userId, 'id <> ?', keep, now);
  });
  return {
    createInvitation: async (i) => void createInvitation.immediate(i),
    findInvitation: async (codeHash) => {
      const row = statement(db, findInvitationSql).get(codeHash) as InvitationRow | undefined;
      return (
        row && { userId: row.user_id, expiresAt: row.expires_at, usedAt: row.used_at, login: row.login, name: row.name }
      );
    },
    redeem: async (r) => redeem.immediate(r),
    mustChangePassword: async (userId) => {
      const row = statement(db, 'SELECT must_change_password FROM users WHERE id = ?').get(userId) as
        { must_change_password: number } | undefined;
      return row?.must_change_password === 1;
    },
    setMustChangePassword: async (userId, must) => setMustChange.immediate(userId, must),
    authSource: async (userId) => {
      // SELECT *: the column comes with I1's migration 12 and may be missing on this database.
      const row = statement(db, 'SELECT * FROM users WHERE id = ?').get(userId) as { auth_source?: string } | undefined;
      return row?.auth_source === 'directory' ? 'directory' : 'local';
    },
    passwordHash: async (userId) =>
      (
        statement(db, 'SELECT password_hash FROM users WHERE id = ?').get(userId) as
          { password_hash: string } | undefined
      )?.password_hash,
    setSessionDevice: async (sessionId, device) => {
      statement(db, 'UPDATE sessions SET device = ? WHERE id = ?').run(device, sessionId);
    },
    listSessions: async (userId) =>
      (
        statement(
          db,
          `SELECT id, source, device, scope, created_at, last_used_at FROM sessions
           WHERE user_id = ? AND revoked_at IS NULL ORDER BY last_used_at DESC, id DESC`,
        ).all(userId) as {
          id: number;
          source: string | null;
          device: string | null;
          scope: 'full' | 'chat';
          created_at: number;
          last_used_at: number;
        }[]
      ).map((r): SessionListing => ({
        id: r.id,
        source: r.source,
        device: r.device,
        scope: r.scope,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
      })),
    revokeSessions: async (userId, which, now) => revokeSessions.immediate(userId, which, now),
    changePassword: async (userId, hash, keep, now) => changePassword.immediate(userId, hash, keep, now),
  };
}
