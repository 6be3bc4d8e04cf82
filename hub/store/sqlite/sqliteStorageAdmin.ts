import type { Database } from 'better-sqlite3';
import { statfsSync } from 'node:fs';
import path from 'node:path';
import { checkIntegrityOffThread } from '../../db/checkIntegrityOffThread.ts';
import { BackupRejectedError, inspectBackup } from '../../db/inspectBackup.ts';
import type { StorageAdmin, StorageRoom } from '../StorageAdmin.ts';
import { sqliteStorageSize } from './sqliteStorageSize.ts';

/** SQLite's own ceiling on `max_page_count` (2^32 - 2 pages): what "no cap" sets. */
const sqliteMaxPages = 4294967294;

/** The {@link StorageAdmin} of one open SQLite database; `beforeClose` stops the store's pending work (a WAL checkpoint). */
export function sqliteStorageAdmin(db: Database, beforeClose?: () => void): StorageAdmin {
  return {
    async backup(file) {
      // better-sqlite3's online backup copies page by page between other work, so the hub keeps serving.
      const result = await db.backup(file);
      return { pages: result.totalPages };
    },
    async verifyBackup(file) {
      // integrity_check reads every page: in a worker, so sends are not held up meanwhile.
      const found = await checkIntegrityOffThread(file).catch((err: Error) => {
        throw new BackupRejectedError(`${file} is not a sound SQLite database: ${err.message}`);
      });
      return inspectBackup(file, file, found);
    },
    async setMaxPages(maxPages) {
      // `max_page_count` is per connection: the hub's one connection is the one that writes.
      const limit = Math.floor(maxPages ?? sqliteMaxPages);
      return db.pragma(`max_page_count = ${limit}`, { simple: true }) as number;
    },
    room: async () => storageRoom(db),
    size: async () => sqliteStorageSize(db),
    // The file is opened in this process: it answers whenever the hub does (a full disk shows as
    // storage_full on writes, not here).
    ping: async () => ({ kind: 'sqlite', ok: db.open, ms: 0 }),
    async close() {
      // Closing checkpoints the WAL anyway (the last connection), so a pending one is not needed.
      beforeClose?.();
      db.close();
    },
  };
}

/**
 * Reads how much the database can still grow: free pages inside it plus the pages below its
 * `max_page_count` (the `--max-db-pages` cap, or SQLite's own), and the free space of the disk
 * holding the file. Pragmas only: nothing is written, so it answers while the disk is full.
 */
function storageRoom(db: Database): StorageRoom {
  const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
  const pageSize = pragma('page_size');
  const sparePages = pragma('max_page_count') - pragma('page_count') + pragma('freelist_count');
  let diskFreeBytes: number | null = null;
  try {
    const fs = statfsSync(path.dirname(db.name));
    diskFreeBytes = fs.bavail * fs.bsize;
  } catch {
    // An in-memory database, or a platform without statfs: the page count is all we know.
  }
  return { spareBytes: Math.max(0, sparePages) * pageSize, diskFreeBytes };
}
