import type { Database } from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { inspectBackup } from './inspectBackup.ts';
import { createPrivateFile, privateDirMode } from './secureDataDir.ts';

/** Migrating was refused because the copy taken first could not be written or checked; nothing was changed. */
export class PreMigrationBackupError extends Error {
  override name = 'PreMigrationBackupError';
}

/**
 * The name of a backup in the backup folder: `beseda-<ISO time>-<kind>.db` (`:` and `.` of the
 * time written as `-`, so the name is valid on Windows too), e.g.
 * `beseda-2026-12-02T16-40-00-123Z-scheduled.db`. Shared with hub/backup, which lists them.
 */
export function backupFileName(at: number, kind: 'scheduled' | 'pre-migration' | 'manual'): string {
  return `beseda-${new Date(at).toISOString().replace(/[:.]/g, '-')}-${kind}.db`;
}

/**
 * Before a schema migration: a copy of the database as it is (`VACUUM INTO`: synchronous and
 * consistent; nothing else uses the database yet) into a new 0600 file in `dir`, checked
 * (integrity, a Beseda database at `fromVersion`) before it counts. Written under a `.partial`
 * name and renamed once checked, so the folder never shows an unchecked copy. Returns the file;
 * throws {@link PreMigrationBackupError} (the caller then does not migrate) when it cannot.
 */
export function backupBeforeMigration(db: Database, dir: string, fromVersion: number, toVersion: number, now: number) {
  let at = now;
  while (existsSync(path.join(dir, backupFileName(at, 'pre-migration')))) at++;
  const file = path.join(dir, backupFileName(at, 'pre-migration'));
  const partial = `${file}.partial`;
  try {
    mkdirSync(dir, { recursive: true, mode: privateDirMode });
    createPrivateFile(partial);
    db.prepare('VACUUM INTO ?').run(partial);
    chmodSync(partial, 0o600);
    const summary = inspectBackup(partial, file);
    if (summary.schemaVersion !== fromVersion)
      throw new Error(`the copy has schema version ${summary.schemaVersion}, not ${fromVersion}`);
    renameSync(partial, file);
    return file;
  } catch (err) {
    try {
      rmSync(partial, { force: true });
    } catch {
      // the folder itself is unusable: nothing was written into it
    }
    throw new PreMigrationBackupError(
      `refusing to migrate the database from schema version ${fromVersion} to ${toVersion}: the backup taken ` +
        `first could not be written to ${dir} (${(err as Error).message}). Nothing was changed. Make room there ` +
        `(it needs about the database's size), or name another folder with --backup-dir DIR, then start again`,
    );
  }
}
