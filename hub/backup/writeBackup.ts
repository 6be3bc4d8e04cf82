import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createPrivateFile, tightenFile } from '../db/secureDataDir.ts';
import type { CopiedBlobs } from '../files/BlobStore.ts';
import type { Hub } from '../ops/Hub.ts';
import type { BackupContents } from '../store/StorageAdmin.ts';
import { newestFilesFolder } from './backupFolder.ts';

/** What {@link writeBackup} wrote and found when it checked it. */
export interface WrittenBackup {
  file: string;
  pages: number;
  /**
   * The uploaded files beside it: every blob, and those written anew (the rest are hard links to
   * the files folder on the same disk, or to the newest earlier backup's files in the same folder).
   */
  files: { dir: string } & CopiedBlobs;
  /** What the copy holds, as verified (without the list of blobs). */
  contents: Omit<BackupContents, 'blobs'>;
}

/** The backup was written but did not pass its check; the database copy has been removed. */
export class BackupVerifyError extends Error {
  override name = 'BackupVerifyError';
}

/**
 * Writes a backup of the running hub and verifies it: the database copy (0600 before SQLite
 * writes a page into it, narrowed again in case it existed), the uploaded files in `FILE.files/`
 * (after the database: a blob the copy names was written before its record, and blobs never
 * change; on another disk than the files folder, a blob unchanged since the newest backup in the
 * same folder is a hard link to that backup's copy, so each backup adds only new files), then the
 * check through the store seam (integrity off the main thread, counts) and every blob the copy
 * names present beside it. A copy that fails the check is removed (so it is
 * never mistaken for a good one) and {@link BackupVerifyError} thrown; its files folder is left.
 */
export async function writeBackup(hub: Hub, file: string): Promise<WrittenBackup> {
  createPrivateFile(file);
  const { pages } = await hub.backup(file);
  tightenFile(file);
  const dir = `${file}.files`;
  const files = await hub.files.backupBlobs(dir, newestFilesFolder(path.dirname(file)));
  let contents: BackupContents;
  try {
    contents = await hub.verifyBackup(file);
    const missing = contents.blobs.filter((sha) => !isFile(path.join(dir, sha.slice(0, 2), sha)));
    if (missing.length > 0)
      throw new Error(
        `${missing.length} of the ${contents.blobs.length} uploaded files it refers to are missing from ${dir}`,
      );
  } catch (err) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    throw new BackupVerifyError(`the backup ${file} failed its check and was removed: ${(err as Error).message}`);
  }
  const { blobs: _blobs, ...counts } = contents;
  return { file, pages, files: { dir, ...files }, contents: counts };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
