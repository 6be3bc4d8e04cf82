import type { Database } from 'better-sqlite3';
import { searchKey } from './searchKey.ts';
import { statement } from './statement.ts';

/** Updates what the directory sync owns of an account: name (and its search key), branch, e-mail. */
export function updateUserProfile(
  db: Database,
  userId: number,
  p: { login: string; name: string; branch: string | null; email: string | null },
): void {
  statement(db, 'UPDATE users SET name = ?, search_key = ?, branch = ?, email = ? WHERE id = ?').run(
    p.name,
    searchKey(`${p.login}\n${p.name}`),
    p.branch,
    p.email,
    userId,
  );
}

/** The first administrator still enabled: who the admin CLI's announcements come from. */
export function firstActiveAdminId(db: Database): number | undefined {
  return statement(db, 'SELECT id FROM users WHERE is_admin = 1 AND disabled = 0 ORDER BY id LIMIT 1').pluck().get() as
    number | undefined;
}
