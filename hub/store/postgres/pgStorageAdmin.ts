import type { StorageAdmin } from '../StorageAdmin.ts';
import type { PgDatabase } from './PgDatabase.ts';
import { pgPing } from './pgPing.ts';
import { pgStorageSize } from './pgStorageSize.ts';

/**
 * An admin operation that only means something for SQLite's database file. The message says what
 * to use on PostgreSQL instead; `code` lets callers tell it from a failure.
 */
export class NotOnPostgresError extends Error {
  readonly code = 'not_on_postgres';
  constructor(what: string, instead: string) {
    super(`${what} is for the SQLite store; with PostgreSQL ${instead}`);
    this.name = 'NotOnPostgresError';
  }
}

/**
 * The PostgreSQL {@link StorageAdmin}. Backups, their checks and a size cap in pages are SQLite's
 * (its online backup API, integrity_check, max_page_count): on PostgreSQL they reject with
 * {@link NotOnPostgresError} naming PostgreSQL's own tools, never pretend to work. Size and room
 * answer from the server; close ends the pool.
 */
export function pgStorageAdmin(db: PgDatabase): StorageAdmin {
  let closed: Promise<void> | undefined;
  return {
    backup: async () => {
      throw new NotOnPostgresError(
        'an online backup to a file',
        'back up the database with pg_dump (pg_dump -Fc -f FILE URL) or PostgreSQL base backups (pg_basebackup, WAL archiving), and copy the files folder beside it',
      );
    },
    verifyBackup: async () => {
      throw new NotOnPostgresError(
        'checking a backup file',
        'check a pg_dump archive with pg_restore --list FILE, or restore it into a scratch database',
      );
    },
    setMaxPages: async () => {
      throw new NotOnPostgresError(
        'a size cap in pages (--max-db-pages, storage limit)',
        "limit the database's size with PostgreSQL's own means (a tablespace on a volume of that size, disk quotas) and leave this setting unset",
      );
    },
    // No cap of ours, and the server's disk is not ours to measure: a full disk shows as the
    // server's own error on the write, not here.
    room: async () => ({ spareBytes: Number.MAX_SAFE_INTEGER, diskFreeBytes: null }),
    size: () => pgStorageSize(db),
    ping: (timeoutMs) => pgPing(db, timeoutMs),
    close() {
      // pg's Pool.end rejects when called twice; closing is asked once by the hub, but may be
      // asked again by a test or a second shutdown path.
      closed ??= db.close();
      return closed;
    },
  };
}
