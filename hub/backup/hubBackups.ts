import type { HubConfig } from '../config/HubConfig.ts';
import type { Hub } from '../ops/Hub.ts';
import type { HubLog } from '../ops/HubContext.ts';
import { backupDirOf } from './backupFolder.ts';
import { type BackupClock, BackupScheduler } from './BackupScheduler.ts';

/** The scheduler of each running hub, for the admin commands that reach it through the admin socket. */
const running = new WeakMap<Hub, BackupScheduler>();

/** Test settings for {@link startBackups}: a clock they move, a shorter settle delay. */
export interface BackupTiming {
  clock?: BackupClock;
  settleMs?: number;
  retryMs?: number;
}

/**
 * Starts the hub's backup schedule (`--backup-dir`, `--backup-every`, `--backup-keep`) and makes
 * it the one `beseda-hub backup now|list|status` reach while this hub runs.
 */
export function startBackups(hub: Hub, config: HubConfig, log: HubLog, timing: BackupTiming = {}): BackupScheduler {
  // The hub's own backups copy the SQLite file; a PostgreSQL database is backed up with
  // PostgreSQL's tools (pg_dump, base backups), which the runbook describes. No schedule then,
  // rather than a failed attempt logged every quarter of an hour.
  const onPostgres = config.store !== null;
  if (onPostgres && config.backupEveryMs > 0)
    log.info(
      { everyMs: config.backupEveryMs },
      'scheduled backups are off: the data is in PostgreSQL (back it up with pg_dump; the files folder as before)',
    );
  const scheduler = new BackupScheduler({
    hub,
    log,
    dir: backupDirOf(config),
    everyMs: onPostgres ? 0 : config.backupEveryMs,
    keep: config.backupKeep,
    ...timing,
  });
  scheduler.start();
  running.set(hub, scheduler);
  return scheduler;
}

const quiet: HubLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The running hub's scheduler, or (the hub is stopped and the CLI opened the database itself) one
 * for the folder and settings the CLI was given, which takes backups only when asked.
 */
export function backupsFor(hub: Hub, settings: { dir: string; everyMs: number; keep: number }): BackupScheduler {
  const found = running.get(hub);
  if (found) return found;
  const scheduler = new BackupScheduler({ hub, log: quiet, ...settings });
  scheduler.refresh();
  return scheduler;
}
