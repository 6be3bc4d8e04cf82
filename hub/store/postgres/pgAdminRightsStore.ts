import type { AdminRightOutcome, AdminRightsStore } from '../AdminRightsStore.ts';
import type { PgDatabase } from './PgDatabase.ts';

/**
 * The PostgreSQL {@link AdminRightsStore}. The enabled administrators' rows are locked (in id
 * order) before counting them, so two administrators taking each other's rights at once cannot
 * both succeed and leave none: the second waits, then counts without the first.
 */
export function pgAdminRightsStore(db: PgDatabase): AdminRightsStore {
  return {
    setAdmin: (userId, isAdmin) =>
      db.tx(async (q): Promise<AdminRightOutcome> => {
        await q.run('SELECT id FROM users WHERE is_admin = 1 AND disabled = 0 AND is_bot = 0 ORDER BY id FOR UPDATE');
        const row = await q.one<{ is_admin: number; is_bot: number }>(
          'SELECT is_admin, is_bot FROM users WHERE id = $1 FOR UPDATE',
          [userId],
        );
        if (!row) return 'not_found';
        if (row.is_bot === 1) return 'bot';
        if ((row.is_admin === 1) === isAdmin) return 'unchanged';
        if (!isAdmin) {
          const others = await q.one<{ n: number }>(
            'SELECT count(*)::bigint AS n FROM users WHERE is_admin = 1 AND disabled = 0 AND is_bot = 0 AND id <> $1',
            [userId],
          );
          if (others!.n === 0) return 'last_admin';
        }
        await q.run('UPDATE users SET is_admin = $1 WHERE id = $2', [isAdmin ? 1 : 0, userId]);
        return 'changed';
      }),
  };
}
