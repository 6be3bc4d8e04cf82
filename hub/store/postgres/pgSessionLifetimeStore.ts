import type { SessionScope } from '../AccountStore.ts';
import type { RenewSessionOutcome, SessionLifetimeStore } from '../SessionLifetimeStore.ts';
import type { PgDatabase } from './PgDatabase.ts';

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
  FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`;

/**
 * The PostgreSQL {@link SessionLifetimeStore}; a renewal is one transaction. The old session is
 * locked for update (two renewals of one session: the second waits and finds it ended) and its
 * user for share (a concurrent disable waits for our COMMIT, then its revoke sees the new session).
 */
export function pgSessionLifetimeStore(db: PgDatabase): SessionLifetimeStore {
  return {
    findSession: async (sessionId) => {
      const row = await db.one<SessionRow>(SELECT_SESSION, [sessionId]);
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
    renewSession: (input) =>
      db.tx(async (q): Promise<RenewSessionOutcome> => {
        const row = await q.one<SessionRow>(`${SELECT_SESSION} FOR UPDATE OF s FOR SHARE OF u`, [input.sessionId]);
        if (!row || row.revoked_at !== null) return { kind: 'refused', reason: 'ended' };
        if (row.disabled === 1) return { kind: 'refused', reason: 'disabled' };
        const renewed = await q.one<{ id: number }>(
          `INSERT INTO sessions (user_id, source, scope, device, token_hash, created_at, last_used_at)
           SELECT user_id, source, scope, device, $1, $2, $2 FROM sessions WHERE id = $3 RETURNING id`,
          [input.tokenHash, input.now, input.sessionId],
        );
        await q.run('UPDATE sessions SET revoked_at = $1 WHERE id = $2', [input.now, input.sessionId]);
        return { kind: 'renewed', sessionId: renewed!.id, createdAt: input.now };
      }),
  };
}
