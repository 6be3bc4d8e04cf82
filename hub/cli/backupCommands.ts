import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { backupDirOf } from '../backup/backupFolder.ts';
import type { BackupEntry, BackupStatus } from '../backup/BackupStatus.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { BackupRejectedError, inspectBackup } from '../db/inspectBackup.ts';
import type { CliCommand, CliContext, CliOption } from './CliCommand.ts';
import { printLine } from './cliText.ts';
import { restoreCommand } from './restoreCommand.ts';

/** The backup folder and schedule from the CLI's configuration (a running hub answers with its own). */
function settingsOf(config: HubConfig, values: CliContext['values']) {
  const given = values['backup-dir'];
  const backupDir = typeof given === 'string' ? given : config.backupDir;
  return { dir: backupDirOf({ ...config, backupDir }), everyMs: config.backupEveryMs, keep: config.backupKeep };
}

/** `--backup-dir`, for a stopped hub whose folder was given to `serve` as a flag (a running hub uses its own). */
const folderOption: Record<string, CliOption> = {
  'backup-dir': {
    type: 'string',
    value: 'DIR',
    help: "the backup folder when no hub is running (default: the configuration's, else DATA/backups); a running hub uses its own",
  },
};

const time = (ms: number) => new Date(ms).toISOString();
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** `3d 4h`, `6h`, `15m`: a period as IT wrote it. */
function period(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  const parts: string[] = [];
  let left = ms;
  for (const [size, unit] of units)
    if (left >= size) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
  return parts.join(' ') || `${ms}ms`;
}

/** `beseda-hub backup FILE`: a verified backup written where IT says. */
const backupToFile: CliCommand = {
  words: ['backup'],
  usage: 'FILE',
  summary:
    'A consistent online copy of the database (taken while serving) and the uploaded files in\n' +
    'FILE.files/, verified after writing; readable by the hub account only.',
  options: {},
  async run({ positionals: [file], admin, config }) {
    const target = path.resolve(file!);
    const r = await admin('backup', { file: target });
    const c = r.contents;
    printLine(`Backup written to ${target} (${r.pages} pages, readable by the hub's account only).`);
    printLine(`Uploaded files: ${r.files.blobs} (${r.files.bytes} bytes) in ${r.files.dir}`);
    printLine(
      `Verified: integrity ok, schema version ${c.schemaVersion}, ${c.users} accounts, ` +
        `${c.conversations} conversations, ${c.messages} messages, ${c.files} uploads (every file present).`,
    );
    printLine(
      `To restore it: stop the hub, then: beseda-hub restore ${target} --data ${path.resolve(config().dataDir)}`,
    );
    return 0;
  },
};

const backupNow: CliCommand = {
  words: ['backup', 'now'],
  summary:
    'Takes a backup into the backup folder at once (--backup-dir, default DATA/backups), verified;\n' +
    'kept until removed by hand (the schedule removes only its own older backups).',
  options: folderOption,
  async run({ admin, config, values }) {
    const r = await admin('backup.now', settingsOf(config(), values));
    const c = r.written.contents;
    printLine(`Backup written and verified: ${r.entry.file} (${mib(r.entry.bytes)})`);
    printLine(`Uploaded files: ${r.written.files.blobs} (${r.written.files.bytes} bytes) in ${r.written.files.dir}`);
    printLine(
      `Holds schema version ${c.schemaVersion}, ${c.users} accounts, ${c.conversations} conversations, ` +
        `${c.messages} messages, ${c.files} uploads.`,
    );
    return 0;
  },
};

const backupList: CliCommand = {
  words: ['backup', 'list'],
  summary: 'The backups in the backup folder, newest first: time, kind, size, file.',
  options: folderOption,
  async run({ admin, config, values }) {
    const { dir, backups } = await admin('backup.list', settingsOf(config(), values));
    printLine(`Backups in ${dir}:`);
    printLine(['FINISHED (UTC)'.padEnd(25), 'KIND'.padEnd(14), 'SIZE'.padStart(12), ' FILE'].join(''));
    for (const b of backups as BackupEntry[])
      printLine([time(b.at).padEnd(25), b.kind.padEnd(14), mib(b.bytes).padStart(12), ` ${b.file}`].join(''));
    printLine(`${backups.length} backups`);
    return 0;
  },
};

const backupStatus: CliCommand = {
  words: ['backup', 'status'],
  summary: 'The backup schedule, the last good backup and its age, the last failure, the next one due.',
  options: folderOption,
  async run({ admin, config, values }) {
    const s = (await admin('backup.status', settingsOf(config(), values))) as BackupStatus;
    printLine(`Folder: ${s.dir}`);
    printLine(
      s.everyMs === 0
        ? 'Schedule: off (--backup-every 0)'
        : `Schedule: every ${period(s.everyMs)}, keeping the newest ${s.keep} scheduled backups`,
    );
    const last = s.lastSuccess;
    printLine(
      last
        ? `Last good backup: ${time(last.at)} (${period(Math.max(0, Date.now() - last.at))} ago), ${last.kind}, ${last.file}`
        : 'Last good backup: none yet',
    );
    if (s.lastFailure) printLine(`Last failure: ${time(s.lastFailure.at)}: ${s.lastFailure.error}`);
    printLine(`Next scheduled backup: ${s.nextAt === null ? 'none (no hub running with a schedule)' : time(s.nextAt)}`);
    return s.lastFailure ? 1 : 0;
  },
};

const backupVerify: CliCommand = {
  words: ['backup', 'verify'],
  usage: 'FILE',
  summary:
    'Checks a backup without changing it: integrity, a Beseda database this hub can restore, and\n' +
    'every uploaded file it refers to present in FILE.files/. Exit 1 when it cannot be used.',
  options: {},
  async run({ positionals: [file] }) {
    const target = path.resolve(file!);
    let summary;
    try {
      if (!existsSync(target)) throw new BackupRejectedError(`${target} does not exist`);
      if (existsSync(`${target}-wal`) && statSync(`${target}-wal`).size > 0)
        throw new BackupRejectedError(`${target}-wal lies beside it: a live database, not a backup`);
      summary = inspectBackup(target);
    } catch (err) {
      if (!(err instanceof BackupRejectedError)) throw err;
      printLine(`NOT USABLE: ${err.message}`);
      return 1;
    }
    printLine(
      `${target}: integrity ok, schema version ${summary.schemaVersion}, ${summary.users} accounts, ` +
        `${summary.conversations} conversations, ${summary.messages} messages, ${summary.files} uploads.`,
    );
    const dir = `${target}.files`;
    const missing = summary.blobs.filter((sha) => !existsSync(path.join(dir, sha.slice(0, 2), sha)));
    if (missing.length > 0) {
      printLine(
        `NOT COMPLETE: ${missing.length} of the ${summary.blobs.length} uploaded files it refers to are missing from ${dir}.`,
      );
      return 1;
    }
    printLine(`Files: all ${summary.blobs.length} uploaded files it refers to are in ${dir}.`);
    return 0;
  },
};

const restore: CliCommand = {
  words: ['restore'],
  usage: 'FILE',
  summary:
    'With the hub stopped: checks the backup, moves the current database aside into\n' +
    'DATA/before-restore-<time>/, installs it, adds the files from FILE.files/.',
  options: {},
  run: ({ positionals: [file], config }) => restoreCommand(file, config()),
};

/**
 * The backup commands (wired into the command table by hub/cli): `backup FILE`, `backup now`,
 * `backup list`, `backup status`, `backup verify FILE`, `restore FILE`.
 */
export const backupCommands: CliCommand[] = [backupToFile, backupNow, backupList, backupStatus, backupVerify, restore];
