import type { Database } from 'better-sqlite3';
import type { AuthSource, DirectoryLink, DirectoryLinkStore, LinkOutcome } from '../DirectoryLinkStore.ts';
import { statement } from './statement.ts';

interface LinkRow {
  id: number;
  login: string;
  auth_source: AuthSource;
  directory_id: string | null;
  directory_dn: string | null;
  is_admin: number;
  is_bot: number;
  disabled: number;
}

const columns = 'id, login, auth_source, directory_id, directory_dn, is_admin, is_bot, disabled';

function toLink(row: LinkRow): DirectoryLink {
  return {
    userId: row.id,
    login: row.login,
    authSource: row.auth_source,
    directoryId: row.directory_id,
    directoryDn: row.directory_dn,
    isAdmin: row.is_admin === 1,
    isBot: row.is_bot === 1,
    disabled: row.disabled === 1,
  };
}

/** The SQLite {@link DirectoryLinkStore} over the `users` columns of migration 12. */
export function sqliteDirectoryLinkStore(db: Database): DirectoryLinkStore {
  return {
    async findByLogin(login: string): Promise<DirectoryLink | undefined> {
      const row = statement(db, `SELECT ${columns} FROM users WHERE login = ?`).get(login) as LinkRow | undefined;
      return row && toLink(row);
    },

    async list(): Promise<DirectoryLink[]> {
      const rows = statement(db, `SELECT ${columns} FROM users ORDER BY id`).all() as LinkRow[];
      return rows.map(toLink);
    },

    async link(userId: number, directoryId: string, directoryDn: string): Promise<LinkOutcome> {
      return db.transaction((): LinkOutcome => {
        const other = statement(db, 'SELECT id FROM users WHERE directory_id = ? AND id <> ?').get(directoryId, userId);
        if (other) return 'id_taken';
        const info = statement(
          db,
          `UPDATE users SET auth_source = 'directory', directory_id = ?, directory_dn = ? WHERE id = ?`,
        ).run(directoryId, directoryDn, userId);
        return info.changes === 1 ? 'linked' : 'no_account';
      })();
    },
  };
}
