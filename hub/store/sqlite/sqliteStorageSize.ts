import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { StorageSize } from '../StorageAdmin.ts';

/**
 * The database's size: its pages (what the file holds, free pages included) and its write-ahead
 * log on disk. Pragmas and a stat only: cheap enough for every metrics scrape, and it answers
 * while the disk is full.
 */
export function sqliteStorageSize(db: Database): StorageSize {
  const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
  // An in-memory database has no log file: nothing on disk to count.
  const wal = statSync(`${db.name}-wal`, { throwIfNoEntry: false });
  return { bytes: pragma('page_count') * pragma('page_size'), walBytes: wal?.size ?? 0 };
}
