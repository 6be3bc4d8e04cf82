import type { Database } from 'better-sqlite3';
import type { SessionAuth, SessionScope } from '../AccountStore.ts';
import { statement } from './statement.ts';

/** A live session joined with the state of its user, as authentication needs it. */
export interface SessionAuthRow {
  id: number;
  user_id: number;
  created_at: number;
  last_used_at: number;
  revoked_at: number | null;
  scope: SessionScope;
  is_admin: number;
  is_bot: number;
  disabled: number;
}

/** Stores a new session of the given scope under the SHA-256 of its token; returns its id. */
export function insertSession(
  db: Database,
  s: { userId: number; tokenHash: Buffer; source: string | null; scope: SessionScope; now: number },
): number {
  const result = statement(
    db,
    'INSERT INTO sessions (user_id, token_hash, source, scope, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(s.userId, s.tokenHash, s.source, s.scope, s.now, s.now);
  return Number(result.lastInsertRowid);
}

/** The columns of a {@link SessionAuthRow}; a query adds its own WHERE. */
const SESSION_AUTH_SELECT = `SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.revoked_at, s.scope, u.is_admin, u.is_bot, u.disabled
     FROM sessions s JOIN users u ON u.id = s.user_id`;

/** The session with this token hash, with its user's flags. */
export function findSessionByTokenHash(db: Database, tokenHash: Buffer): SessionAuthRow | undefined {
  return statement(db, `${SESSION_AUTH_SELECT} WHERE s.token_hash = ?`).get(tokenHash) as SessionAuthRow | undefined;
}

/** The session whose file key has this hash, with its user's flags. */
export function findSessionByFileKey(db: Database, keyHash: Buffer): SessionAuthRow | undefined {
  return statement(db, `${SESSION_AUTH_SELECT} WHERE s.file_key_hash = ?`).get(keyHash) as SessionAuthRow | undefined;
}

/** The row as the store interfaces give it (the same for a token and a file key). */
export function sessionAuth(row: SessionAuthRow): SessionAuth {
  return {
    sessionId: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked_at !== null,
    scope: row.scope,
    isAdmin: row.is_admin === 1,
    isBot: row.is_bot === 1,
    disabled: row.disabled === 1,
  };
}

/** Records that the session was used. */
export function touchSession(db: Database, sessionId: number, now: number): void {
  statement(db, 'UPDATE sessions SET last_used_at = ? WHERE id = ?').run(now, sessionId);
}

/** Revokes one session. */
export function revokeSession(db: Database, sessionId: number, now: number): void {
  statement(db, 'UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, sessionId);
}

/** Revokes every live session of a user; returns how many there were. */
export function revokeUserSessions(db: Database, userId: number, now: number): number {
  return statement(db, 'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId)
    .changes;
}
