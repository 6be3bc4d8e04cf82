import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { backupFileName } from '../db/backupBeforeMigration.ts';
import { privateDirMode } from '../db/secureDataDir.ts';
import type { Hub } from '../ops/Hub.ts';
import type { HubLog } from '../ops/HubContext.ts';
import { listBackups, removeBackup, removePartials } from './backupFolder.ts';
import type { BackupEntry, BackupStatus } from './BackupStatus.ts';
import { writeBackup, type WrittenBackup } from './writeBackup.ts';

/** Time and timers, injectable: tests run the schedule with a clock they move themselves. */
export interface BackupClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; its timers do not keep the process alive (a stopped hub exits). */
export const systemClock: BackupClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Settings of a {@link BackupScheduler}. */
export interface BackupSchedulerOptions {
  hub: Hub;
  log: HubLog;
  /** The backup folder (created 0700). */
  dir: string;
  /** Period of scheduled backups in ms; 0: none (backups are then only taken when asked). */
  everyMs: number;
  /** Scheduled backups kept (manual and pre-migration ones are never removed by the schedule). */
  keep: number;
  clock?: BackupClock;
  /** Delay after start before a backup that is due (none yet, or the newest is older than the period); default 5 min. */
  settleMs?: number;
  /** Delay before another try after a failed scheduled backup (at most the period); default 15 min. */
  retryMs?: number;
}

/** One backup taken: where, and what its check found. */
export interface BackupResult {
  entry: BackupEntry;
  written: WrittenBackup;
}

/** Longest timer Node keeps (about 24.8 days); a longer wait is re-armed when it fires. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Takes the hub's backups into the backup folder: on a schedule (`everyMs`) and when asked
 * (`beseda-hub backup now`). Each is written under a `.partial` name, verified (writeBackup), and
 * only then given its final name `beseda-<time>-<kind>.db` (with `.files/` beside it); a failed
 * one is removed, logged and kept as `lastFailure`. After a scheduled one, only the newest `keep`
 * scheduled backups stay. Backups run one at a time.
 */
export class BackupScheduler {
  private readonly clock: BackupClock;
  private readonly settleMs: number;
  private readonly retryMs: number;
  private lastSuccess: BackupEntry | null = null;
  private lastFailure: BackupStatus['lastFailure'] = null;
  private nextAt: number | null = null;
  private timer: unknown = null;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: BackupSchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.settleMs = options.settleMs ?? 5 * 60_000;
    this.retryMs = options.retryMs ?? 15 * 60_000;
  }

  /**
   * Creates the folder, clears what an interrupted backup left, and plans the first scheduled
   * backup: `settleMs` from now when none is recent enough (so a restart is not slowed by one at
   * once, and never later than one period), else one period after the newest scheduled one.
   */
  start(): void {
    const { dir, everyMs, log } = this.options;
    try {
      mkdirSync(dir, { recursive: true, mode: privateDirMode });
    } catch (err) {
      // The hub still starts; each attempt fails the same way, logged and shown by status and metrics.
      this.lastFailure = { at: this.clock.now(), error: `cannot create the backup folder: ${(err as Error).message}` };
      log.error({ dir, error: this.lastFailure.error }, 'backup folder unusable');
    }
    const removed = removePartials(dir);
    if (removed.length > 0) log.warn({ dir, removed }, 'removed unfinished backups left by an interrupted run');
    const all = this.refresh();
    if (everyMs === 0) return;
    const now = this.clock.now();
    const lastScheduled = all.find((b) => b.kind === 'scheduled');
    const settle = Math.min(this.settleMs, everyMs);
    this.nextAt =
      lastScheduled && now - lastScheduled.at < everyMs ? Math.max(lastScheduled.at + everyMs, now) : now + settle;
    this.arm();
  }

  /** Reads the folder again: the newest backup there is the last success (one taken by another process too). */
  refresh(): BackupEntry[] {
    const all = listBackups(this.options.dir);
    this.lastSuccess = all[0] ?? null;
    return all;
  }

  /** The state for `/metrics`, `/healthz`, `beseda-hub backup status` and the start-up log. */
  status(): BackupStatus {
    const { dir, everyMs, keep } = this.options;
    return { dir, everyMs, keep, lastSuccess: this.lastSuccess, lastFailure: this.lastFailure, nextAt: this.nextAt };
  }

  /** The finished backups in the folder, newest first. */
  list(): BackupEntry[] {
    return listBackups(this.options.dir);
  }

  /** Takes a backup now (after any one running); rejects with the reason when it failed. */
  runNow(kind: 'manual' | 'scheduled' = 'manual'): Promise<BackupResult> {
    const run = this.chain.then(() => this.take(kind));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** No more scheduled backups; resolves once one being written has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
    await this.chain;
  }

  private arm(): void {
    if (this.stopped || this.nextAt === null) return;
    const wait = Math.min(Math.max(0, this.nextAt - this.clock.now()), maxTimerMs);
    this.timer = this.clock.setTimeout(() => void this.onTimer(), wait);
  }

  private async onTimer(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.nextAt === null) return;
    if (this.clock.now() < this.nextAt) return this.arm();
    const started = this.clock.now();
    const { everyMs } = this.options;
    try {
      await this.runNow('scheduled');
      this.nextAt = Math.max(started + everyMs, this.clock.now());
    } catch {
      this.nextAt = this.clock.now() + Math.min(everyMs, this.retryMs);
    }
    if (this.stopped) this.nextAt = null;
    this.arm();
  }

  private async take(kind: 'manual' | 'scheduled'): Promise<BackupResult> {
    const { dir, hub, log } = this.options;
    const started = this.clock.now();
    const partial = path.join(dir, `${backupFileName(started, kind)}.partial`);
    try {
      mkdirSync(dir, { recursive: true, mode: privateDirMode });
      const written = await writeBackup(hub, partial);
      let at = this.clock.now();
      while (existsSync(path.join(dir, backupFileName(at, kind)))) at++;
      const file = path.join(dir, backupFileName(at, kind));
      // The files first: the database's final name is what makes the backup count.
      renameSync(written.files.dir, `${file}.files`);
      renameSync(partial, file);
      const entry: BackupEntry = { file, kind, at, bytes: statSync(file).size };
      this.lastSuccess = entry;
      this.lastFailure = null;
      log.info(
        {
          file,
          kind,
          ...written.contents,
          blobs: written.files.blobs,
          blobsCopied: written.files.copiedBlobs,
          bytesCopied: written.files.copiedBytes,
          ms: at - started,
        },
        'backup written and verified',
      );
      if (written.files.damagedEarlier > 0)
        log.warn(
          { file, damaged: written.files.damagedEarlier },
          'files in the previous backup did not match their SHA-256: copied afresh, that backup is damaged',
        );
      if (kind === 'scheduled') this.prune();
      return { entry, written: { ...written, file, files: { ...written.files, dir: `${file}.files` } } };
    } catch (err) {
      try {
        removeBackup(partial);
      } catch {
        // the folder itself is unusable: nothing of ours is in it
      }
      const error = (err as Error).message;
      this.lastFailure = { at: this.clock.now(), error };
      log.error({ kind, dir, error }, 'backup failed');
      throw err;
    }
  }

  /** Keeps the newest `keep` scheduled backups; the others go with their files. */
  private prune(): void {
    const { dir, keep, log } = this.options;
    const old = listBackups(dir)
      .filter((b) => b.kind === 'scheduled')
      .slice(keep);
    for (const b of old) removeBackup(b.file);
    if (old.length > 0) log.info({ removed: old.map((b) => b.file), keep }, 'old scheduled backups removed');
  }
}
