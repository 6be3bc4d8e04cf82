import type { OnboardingStore, RedeemOutcome, SessionListing } from '../OnboardingStore.ts';
import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { insertSession } from './sessions.ts';
import { accountRecord, findUserById, lockUserById } from './users.ts';

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
  FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.code_hash = $1`;

/** Revokes the live sessions of a user matching an extra condition (`$3` is its argument); their ids, ascending. */
async function revokeWhere(q: PgQueryable, userId: number, extra: string, arg: number, now: number): Promise<number[]> {
  const rows = await q.all<{ id: number }>(
    `UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND ${extra} RETURNING id`,
    [now, userId, arg],
  );
  // RETURNING has no order; SQLite's answer came in id order.
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** What `redeem` is given. */
type RedeemInput = Parameters<OnboardingStore['redeem']>[0];

/**
 * Redeems an invitation in one transaction. The invitation and its user are locked as they are
 * read: of two redeems of one code, the second waits, then sees it used (SQLite's single writer
 * gave the same); a concurrent disable of the user waits for us and then revokes our session.
 */
async function redeem(q: PgQueryable, r: RedeemInput): Promise<RedeemOutcome> {
  const inv = await q.one<InvitationRow>(`${findInvitationSql} FOR UPDATE`, [r.codeHash]);
  if (!inv) return { kind: 'refused', reason: 'unknown' };
  if (inv.used_at !== null) return { kind: 'refused', reason: 'used' };
  if (inv.expires_at <= r.now) return { kind: 'refused', reason: 'expired' };
  if (inv.disabled === 1) return { kind: 'refused', reason: 'disabled' };
  await q.run('UPDATE invitations SET used_at = $1 WHERE id = $2', [r.now, inv.id]);
  await q.run('UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2', [
    r.passwordHash,
    inv.user_id,
  ]);
  const revokedSessionIds = await revokeWhere(q, inv.user_id, 'id <> $3', -1, r.now);
  const sessionId = await insertSession(q, {
    userId: inv.user_id,
    tokenHash: r.tokenHash,
    source: r.source,
    scope: 'full',
    now: r.now,
  });
  await q.run('UPDATE sessions SET device = $1 WHERE id = $2', [r.device, sessionId]);
  return {
    kind: 'redeemed',
    sessionId,
    account: accountRecord((await findUserById(q, inv.user_id))!),
    revokedSessionIds,
  };
}

/** The PostgreSQL {@link OnboardingStore}: each write one transaction. */
export function pgOnboardingStore(db: PgDatabase): OnboardingStore {
  return {
    createInvitation: (i) =>
      db.tx(async (q) => {
        // The user's row is locked so two new codes for one person are made one after the other:
        // only the newest one handed out works.
        await lockUserById(q, i.userId);
        await q.run('DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL', [i.userId]);
        await q.run(
          'INSERT INTO invitations (user_id, code_hash, created_at, expires_at, created_by) VALUES ($1, $2, $3, $4, $5)',
          [i.userId, i.codeHash, i.createdAt, i.expiresAt, i.createdBy],
        );
      }),
    findInvitation: async (codeHash) => {
      const row = await db.one<InvitationRow>(findInvitationSql, [codeHash]);
      return (
        row && { userId: row.user_id, expiresAt: row.expires_at, usedAt: row.used_at, login: row.login, name: row.name }
      );
    },
    redeem: (r) => db.tx((q) => redeem(q, r)),
    mustChangePassword: async (userId) => {
      const row = await db.one<{ must_change_password: number }>(
        'SELECT must_change_password FROM users WHERE id = $1',
        [userId],
      );
      return row?.must_change_password === 1;
    },
    setMustChangePassword: (userId, must) =>
      db.tx(async (q) => {
        await q.run('UPDATE users SET must_change_password = $1 WHERE id = $2', [must ? 1 : 0, userId]);
        // IT handed out a password instead: an earlier invitation must not reset it later.
        if (must) await q.run('DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL', [userId]);
      }),
    authSource: async (userId) => {
      const row = await db.one<{ auth_source: string }>('SELECT auth_source FROM users WHERE id = $1', [userId]);
      return row?.auth_source === 'directory' ? 'directory' : 'local';
    },
    passwordHash: async (userId) =>
      (await db.one<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [userId]))
        ?.password_hash,
    setSessionDevice: async (sessionId, device) => {
      await db.run('UPDATE sessions SET device = $1 WHERE id = $2', [device, sessionId]);
    },
    listSessions: async (userId) =>
      (
        await db.all<{
          id: number;
          source: string | null;
          device: string | null;
          scope: 'full' | 'chat';
          created_at: number;
          last_used_at: number;
        }>(
          `SELECT id, source, device, scope, created_at, last_used_at FROM sessions
           WHERE user_id = $1 AND revoked_at IS NULL ORDER BY last_used_at DESC, id DESC`,
          [userId],
        )
      ).map((r): SessionListing => ({
        id: r.id,
        source: r.source,
        device: r.device,
        scope: r.scope,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
      })),
    revokeSessions: (userId, which, now) =>
      db.tx((q) =>
        'only' in which
          ? revokeWhere(q, userId, 'id = $3', which.only, now)
          : revokeWhere(q, userId, 'id <> $3', which.except, now),
      ),
    changePassword: (userId, hash, keep, now) =>
      db.tx(async (q) => {
        await q.run('UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2', [hash, userId]);
        return revokeWhere(q, userId, 'id <> $3', keep, now);
      }),
  };
}
