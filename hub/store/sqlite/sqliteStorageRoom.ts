import type { Database } from 'better-sqlite3';
import { statfsSync } from 'node:fs';
import path from 'node:path';
import type { StorageRoom } from '../Store.ts';

/**
 * Reads how much the database can still grow: free pages inside it plus the pages below its
 * `max_page_count` (the `--max-db-pages` cap, or SQLite's own), and the free space of the disk
 * holding the file. Pragmas only: nothing is written, so it answers while the disk is full.
 */
export function sqliteStorageRoom(db: Database): () => Promise<StorageRoom> {
  return async () => {
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
  };
}
