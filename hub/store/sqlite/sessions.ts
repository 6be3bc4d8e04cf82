import type { Database } from 'better-sqlite3';
import type { SessionScope } from '../AccountStore.ts';
import { statement } from './statement.ts';

/** A live session joined with the state of its user, as authentication needs it. */
export interface SessionAuthRow {
  id: number;
  user_id: number;
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

/** The session with this token hash, with its user's flags. */
export function findSessionByTokenHash(db: Database, tokenHash: Buffer): SessionAuthRow | undefined {
  return statement(
    db,
    `SELECT s.id, s.user_id, s.last_used_at, s.revoked_at, s.scope, u.is_admin, u.is_bot, u.disabled
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
  ).get(tokenHash) as SessionAuthRow | undefined;
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
