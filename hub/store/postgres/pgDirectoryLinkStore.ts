import type { AuthSource, DirectoryLink, DirectoryLinkStore, LinkOutcome } from '../DirectoryLinkStore.ts';
import type { PgDatabase } from './PgDatabase.ts';

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

/** The PostgreSQL {@link DirectoryLinkStore} over the directory columns of `users`. */
export function pgDirectoryLinkStore(db: PgDatabase): DirectoryLinkStore {
  return {
    async findByLogin(login: string): Promise<DirectoryLink | undefined> {
      const row = await db.one<LinkRow>(`SELECT ${columns} FROM users WHERE login = $1`, [login]);
      return row && toLink(row);
    },

    async list(): Promise<DirectoryLink[]> {
      return (await db.all<LinkRow>(`SELECT ${columns} FROM users ORDER BY id`)).map(toLink);
    },

    async link(userId: number, directoryId: string, directoryDn: string): Promise<LinkOutcome> {
      try {
        return await db.tx(async (q): Promise<LinkOutcome> => {
          const other = await q.one('SELECT id FROM users WHERE directory_id = $1 AND id <> $2', [directoryId, userId]);
          if (other) return 'id_taken';
          const changed = await q.run(
            `UPDATE users SET auth_source = 'directory', directory_id = $1, directory_dn = $2 WHERE id = $3`,
            [directoryId, directoryDn, userId],
          );
          return changed === 1 ? 'linked' : 'no_account';
        });
      } catch (err) {
        // Another account took this directory id between our check and our update (the partial
        // unique index): the same answer SQLite's serial writes would have given.
        const e = err as { code?: unknown; constraint?: unknown };
        if (e.code === '23505' && e.constraint === 'users_directory_id') return 'id_taken';
        throw err;
      }
    },
  };
}
