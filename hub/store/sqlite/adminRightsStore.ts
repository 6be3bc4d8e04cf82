import type { Database } from 'better-sqlite3';
import type { AdminRightOutcome, AdminRightsStore } from '../AdminRightsStore.ts';
import { statement } from './statement.ts';

/** The SQLite {@link AdminRightsStore}. */
export function sqliteAdminRightsStore(db: Database): AdminRightsStore {
  const set = db.transaction((userId: number, isAdmin: boolean): AdminRightOutcome => {
    const row = statement(db, 'SELECT is_admin, is_bot FROM users WHERE id = ?').get(userId) as
      { is_admin: number; is_bot: number } | undefined;
    if (!row) return 'not_found';
    if (row.is_bot === 1) return 'bot';
    if ((row.is_admin === 1) === isAdmin) return 'unchanged';
    if (!isAdmin) {
      const others = statement(
        db,
        'SELECT count(*) FROM users WHERE is_admin = 1 AND disabled = 0 AND is_bot = 0 AND id != ?',
      )
        .pluck()
        .get(userId) as number;
      if (others === 0) return 'last_admin';
    }
    statement(db, 'UPDATE users SET is_admin = ? WHERE id = ?').run(isAdmin ? 1 : 0, userId);
    return 'changed';
  });
  return {
    setAdmin: async (userId, isAdmin) => set(userId, isAdmin),
  };
}
