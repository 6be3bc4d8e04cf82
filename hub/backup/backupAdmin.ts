import { ErrorCode } from '../../common/protocol/errors.ts';
import type { Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { BackupEntry, BackupStatus } from './BackupStatus.ts';
import type { BackupResult } from './BackupScheduler.ts';
import { backupsFor } from './hubBackups.ts';
import { writeBackup, type WrittenBackup } from './writeBackup.ts';

/** The backup settings the CLI read from its configuration; a running hub uses its own instead. */
export interface BackupSettings {
  dir: string;
  everyMs: number;
  keep: number;
}

/**
 * `beseda-hub backup FILE`: a verified backup at a path IT chose (not in the backup folder, so no
 * retention applies). A backup holds every message and password hash; it is 0600, its files 0600
 * in 0700 folders.
 */
export async function backupToFile(hub: Hub, file: string): Promise<WrittenBackup> {
  try {
    return await writeBackup(hub, file);
  } catch (err) {
    if (err instanceof HubError) throw err;
    throw new HubError(ErrorCode.BadRequest, `cannot write the backup to ${file}: ${(err as Error).message}`);
  }
}

/** `beseda-hub backup now`: a manual backup into the backup folder, verified (never removed by retention). */
export async function backupNow(hub: Hub, settings: BackupSettings): Promise<BackupResult> {
  try {
    return await backupsFor(hub, settings).runNow('manual');
  } catch (err) {
    if (err instanceof HubError) throw err;
    throw new HubError(ErrorCode.BadRequest, `backup failed: ${(err as Error).message}`);
  }
}

/** `beseda-hub backup list`: the folder and its finished backups, newest first. */
export function backupList(hub: Hub, settings: BackupSettings): { dir: string; backups: BackupEntry[] } {
  const scheduler = backupsFor(hub, settings);
  return { dir: scheduler.status().dir, backups: scheduler.list() };
}

/** `beseda-hub backup status`: the schedule, the last success and failure, the next one due. */
export function backupStatus(hub: Hub, settings: BackupSettings): BackupStatus {
  return backupsFor(hub, settings).status();
}
