import path from 'node:path';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { callAdmin } from '../admin/callAdmin.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { restoreDatabase } from '../db/restoreDatabase.ts';
import { databaseFileName, secureDataDir } from '../db/secureDataDir.ts';
import { HubError } from '../ops/HubError.ts';
import { acquireDataLock, DataLockedError } from '../server/acquireDataLock.ts';
import { filesDirOf } from '../server/startHubServer.ts';
import { restoreFiles } from './restoreFiles.ts';
import { printLine, printNote } from './cliText.ts';

/**
 * `beseda-hub restore FILE --data DIR`: installs a backup as the data folder's database, with the
 * hub stopped. The previous database and its -wal/-shm are moved aside, never deleted.
 */
export async function restoreCommand(file: string | undefined, config: HubConfig): Promise<number> {
  if (!file) throw new HubError(ErrorCode.BadRequest, 'restore needs the BACKUP-FILE to install (and --data DIR)');
  const dir = path.resolve(config.dataDir);
  // The lock decides; the admin socket answers only when a hub is really serving, so it is
  // asked first for the clearer message.
  if (await callAdmin(dir, 'user.list', {}).catch(() => null)) refuseRunning(dir);
  for (const warning of secureDataDir(dir).warnings) printNote(`warning: ${warning}`);
  let release: () => void;
  try {
    release = acquireDataLock(dir);
  } catch (err) {
    if (err instanceof DataLockedError) refuseRunning(dir, err.pid);
    throw err;
  }
  try {
    printNote(`data: ${path.join(dir, databaseFileName)} (opened directly)`);
    const r = restoreDatabase(file, dir);
    const s = r.summary;
    printLine(
      `Checked ${r.from}: integrity ok, schema version ${s.schemaVersion}, ` +
        `${s.users} accounts, ${s.conversations} conversations, ${s.messages} messages.`,
    );
    if (r.asideDir) {
      printLine(`Moved the previous database aside (nothing was deleted) into ${r.asideDir}:`);
      for (const m of r.movedAside) printLine(`  ${path.basename(m.from)}`);
    } else printLine(`There was no database in ${dir} before.`);
    printLine(`Installed the backup as ${r.installed} (readable by this account only).`);
    const filesOk = await restoreFiles(r.from, filesDirOf(config), s.blobs);
    printLine(`Start the hub again: beseda-hub serve --data ${dir}`);
    return filesOk ? 0 : 1;
  } finally {
    release();
  }
}

function refuseRunning(dir: string, pid?: number): never {
  const who = pid ? `a hub or another beseda-hub command (pid ${pid}) is using` : 'a hub is running on';
  throw new HubError(
    ErrorCode.Conflict,
    `${who} ${dir}: stop it first (SIGTERM, or systemctl stop), then run restore again. Nothing was changed`,
  );
}
