import type { Database } from 'better-sqlite3';
import type { SessionScope } from '../AccountStore.ts';
import type { RenewSessionOutcome, SessionLifetimeStore } from '../SessionLifetimeStore.ts';
import { statement } from './statement.ts';

interface SessionRow {
  id: number;
  user_id: number;
  created_at: number;
  last_used_at: number;
  revoked_at: number | null;
  scope: SessionScope;
  disabled: number;
}

const SELECT_SESSION = `SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.revoked_at, s.scope, u.disabled
  FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`;

/** The SQLite {@link SessionLifetimeStore}; a renewal is one IMMEDIATE transaction. */
export function sqliteSessionLifetimeStore(db: Database): SessionLifetimeStore {
  // The device column arrives with another schema step (issue 16, I2); carried over when it exists.
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all('sessions') as { name: string }[];
  const carried = ['user_id', 'source', 'scope', ...(columns.some((c) => c.name === 'device') ? ['device'] : [])];
  const insertRenewed = `INSERT INTO sessions (${carried.join(', ')}, token_hash, created_at, last_used_at)
    SELECT ${carried.join(', ')}, ?, ?, ? FROM sessions WHERE id = ?`;

  const renew = db.transaction((input: { sessionId: number; tokenHash: Buffer; now: number }): RenewSessionOutcome => {
    const row = statement(db, SELECT_SESSION).get(input.sessionId) as SessionRow | undefined;
    if (!row || row.revoked_at !== null) return { kind: 'refused', reason: 'ended' };
    if (row.disabled === 1) return { kind: 'refused', reason: 'disabled' };
    const result = statement(db, insertRenewed).run(input.tokenHash, input.now, input.now, input.sessionId);
    statement(db, 'UPDATE sessions SET revoked_at = ? WHERE id = ?').run(input.now, input.sessionId);
    return { kind: 'renewed', sessionId: Number(result.lastInsertRowid), createdAt: input.now };
  });

  return {
    findSession: async (sessionId) => {
      const row = statement(db, SELECT_SESSION).get(sessionId) as SessionRow | undefined;
      return (
        row && {
          sessionId: row.id,
          userId: row.user_id,
          createdAt: row.created_at,
          lastUsedAt: row.last_used_at,
          revoked: row.revoked_at !== null,
          scope: row.scope,
        }
      );
    },
    renewSession: async (input) => renew.immediate(input),
  };
}
