import type { SessionAuth, SessionScope } from '../AccountStore.ts';
import type { PgQueryable } from './PgDatabase.ts';

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
export async function insertSession(
  q: PgQueryable,
  s: { userId: number; tokenHash: Buffer; source: string | null; scope: SessionScope; now: number },
): Promise<number> {
  const row = await q.one<{ id: number }>(
    `INSERT INTO sessions (user_id, token_hash, source, scope, created_at, last_used_at)
     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
    [s.userId, s.tokenHash, s.source, s.scope, s.now],
  );
  return row!.id;
}

/** The columns of a {@link SessionAuthRow}; a query adds its own WHERE. */
const SESSION_AUTH_SELECT = `SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.revoked_at, s.scope, u.is_admin, u.is_bot, u.disabled
     FROM sessions s JOIN users u ON u.id = s.user_id`;

/** The session with this token hash, with its user's flags. */
export async function findSessionByTokenHash(q: PgQueryable, tokenHash: Buffer): Promise<SessionAuthRow | undefined> {
  return q.one<SessionAuthRow>(`${SESSION_AUTH_SELECT} WHERE s.token_hash = $1`, [tokenHash]);
}

/** The session whose file key has this hash, with its user's flags. */
export async function findSessionByFileKey(q: PgQueryable, keyHash: Buffer): Promise<SessionAuthRow | undefined> {
  return q.one<SessionAuthRow>(`${SESSION_AUTH_SELECT} WHERE s.file_key_hash = $1`, [keyHash]);
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
export async function touchSession(q: PgQueryable, sessionId: number, now: number): Promise<void> {
  await q.run('UPDATE sessions SET last_used_at = $1 WHERE id = $2', [now, sessionId]);
}

/**
 * Records many sessions' uses in two statements (issue 19 gathers them for a second). The latest
 * use of a session wins, as when SQLite ran them one by one; rows are locked in id order first so
 * two nodes touching overlapping sessions wait for each other instead of deadlocking. Must run
 * inside a transaction.
 */
export async function touchSessions(
  q: PgQueryable,
  touches: readonly { sessionId: number; at: number }[],
): Promise<void> {
  const latest = new Map<number, number>();
  for (const t of touches) latest.set(t.sessionId, t.at);
  if (latest.size === 0) return;
  const ids = [...latest.keys()].sort((a, b) => a - b);
  await q.run('SELECT id FROM sessions WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
  await q.run(
    `UPDATE sessions s SET last_used_at = t.at FROM unnest($1::bigint[], $2::bigint[]) AS t(id, at) WHERE s.id = t.id`,
    [ids, ids.map((id) => latest.get(id))],
  );
}

/** Revokes one session. */
export async function revokeSession(q: PgQueryable, sessionId: number, now: number): Promise<void> {
  await q.run('UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, sessionId]);
}

/** Revokes every live session of a user; returns how many there were. */
export async function revokeUserSessions(q: PgQueryable, userId: number, now: number): Promise<number> {
  return q.run('UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [now, userId]);
}
