import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { HubConfig } from '../config/HubConfig.ts';
import type { BackupEntry } from './BackupStatus.ts';

/** The backup folder: `--backup-dir`, or `backups` in the data folder. */
export function backupDirOf(config: Pick<HubConfig, 'dataDir' | 'backupDir'>): string {
  return path.resolve(config.backupDir ?? path.join(config.dataDir, 'backups'));
}

/** `beseda-2026-12-02T16-40-00-123Z-scheduled.db`: the time it finished and why it was taken (see backupFileName). */
const namePattern =
  /^beseda-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-(scheduled|pre-migration|manual)\.db$/;

/** The backup a file name in the backup folder stands for (null: not one of ours, or unfinished). */
export function parseBackupName(name: string): { at: number; kind: BackupEntry['kind'] } | null {
  const m = namePattern.exec(name);
  if (!m) return null;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(at) ? null : { at, kind: m[6] as BackupEntry['kind'] };
}

/**
 * The finished backups in `dir`, newest first. Only names the scheduler gives a backup once it
 * has been verified are listed (`.partial` ones are being written, or were left by a crash).
 */
export function listBackups(dir: string): BackupEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: BackupEntry[] = [];
  for (const name of names) {
    const parsed = parseBackupName(name);
    if (!parsed) continue;
    const file = path.join(dir, name);
    try {
      found.push({ file, kind: parsed.kind, at: parsed.at, bytes: statSync(file).size });
    } catch {
      // removed meanwhile
    }
  }
  return found.sort((a, b) => b.at - a.at);
}

/**
 * The files folder of the newest finished backup in `dir` that has one (pre-migration backups
 * have none), or null: a new backup's unchanged blobs are hard-linked from there when the files
 * folder itself is on another disk. Its blobs are checked before use, never trusted by name.
 */
export function newestFilesFolder(dir: string): string | null {
  for (const backup of listBackups(dir)) {
    const files = `${backup.file}.files`;
    try {
      if (statSync(files).isDirectory()) return files;
    } catch {
      // none beside this one
    }
  }
  return null;
}

/** Removes a backup: the database copy, anything SQLite kept beside it, and its files folder. */
export function removeBackup(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  if (existsSync(`${file}.files`)) rmSync(`${file}.files`, { recursive: true, force: true });
}

/** Removes what an interrupted backup left (`*.partial` and their files folders). */
export function removePartials(dir: string): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names)
    if (/^beseda-.*\.partial(\.files|-wal|-shm|-journal)?$/.test(name)) {
      rmSync(path.join(dir, name), { recursive: true, force: true });
      removed.push(name);
    }
  return removed;
}
