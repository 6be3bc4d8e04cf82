/** One backup in the backup folder, as the scheduler, the CLI, metrics and the admin console see it. */
export interface BackupEntry {
  /** The database copy (its uploaded files are in `${file}.files/`). */
  file: string;
  /** Why it was taken: on the schedule, before a schema migration, or asked for (`beseda-hub backup now`). */
  kind: 'scheduled' | 'pre-migration' | 'manual';
  /** When it finished (ms since the epoch). */
  at: number;
  /** Database bytes (the files beside it are hard links where the disk allows). */
  bytes: number;
}

/** The state of the hub's backups: read by `/metrics` (backup age), `beseda-hub backup status`, the console. */
export interface BackupStatus {
  /** The backup folder (`--backup-dir`, default `backups` in the data folder). */
  dir: string;
  /** The schedule's period in ms; 0: no scheduled backups. */
  everyMs: number;
  /** How many scheduled backups are kept. */
  keep: number;
  /** The newest backup that was written and verified; null: none yet. */
  lastSuccess: BackupEntry | null;
  /** The last attempt that failed after the last success (null: none): when and why. */
  lastFailure: { at: number; error: string } | null;
  /** When the next scheduled backup is due (ms since the epoch); null: not scheduled. */
  nextAt: number | null;
}
