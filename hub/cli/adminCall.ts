import { existsSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { callAdmin } from '../admin/callAdmin.ts';
import { backupDirOf } from '../backup/backupFolder.ts';
import { loadDirectorySettings } from '../identity/ldap/DirectorySettings.ts';
import { type AdminCommandName, type ArgsOf, type ResultOf, runAdminCommand } from '../admin/adminCommands.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { databaseFileName, secureDataDir } from '../db/secureDataDir.ts';
import { redactedStoreUrl } from '../config/redactedStoreUrl.ts';
import { createHub } from '../ops/createHub.ts';
import { HubError } from '../ops/HubError.ts';
import { acquireDataLock } from '../server/acquireDataLock.ts';
import { filesDirOf } from '../server/startHubServer.ts';
import { releasesDirOf } from '../releases/ReleaseFolder.ts';
import { printNote } from './cliText.ts';

/** How an admin command may treat a data folder without a database. */
export interface AdminCallOptions {
  /** `--create`: start a new, empty database there (otherwise that is refused). */
  create?: boolean;
}

/** Runs one admin command (name and arguments checked against the command table, result typed from it). */
export type AdminCall = <Name extends AdminCommandName>(name: Name, args: ArgsOf<Name>) => Promise<ResultOf<Name>>;

/** {@link adminCall} bound to one data folder and its options. */
export function adminCaller(config: HubConfig, options: AdminCallOptions = {}): AdminCall {
  return (name, args) => adminCall(config, name, args, options);
}

/**
 * Runs an admin command through the running hub, or directly on the data folder if none runs.
 * Says on stderr which database it used, and refuses to create one unless asked: a mistyped or
 * forgotten `--data` would otherwise add people to a fresh database nobody serves.
 */
export async function adminCall<Name extends AdminCommandName>(
  config: HubConfig,
  name: Name,
  args: ArgsOf<Name>,
  options: AdminCallOptions = {},
): Promise<ResultOf<Name>> {
  const dbFile = path.join(path.resolve(config.dataDir), databaseFileName);
  const answer = await callAdmin(config.dataDir, name, args);
  if (answer) {
    printNote(`data: ${dbFile} (through the running hub)`);
    if (answer.ok) return answer.result;
    throw new HubError(answer.error.code as ErrorCode, answer.error.message);
  }
  const onPostgres = config.store !== null;
  const creating = !onPostgres && !existsSync(dbFile);
  if (creating && !options.create)
    throw new HubError(
      ErrorCode.NotFound,
      `no Beseda database at ${dbFile}, and no hub is running on that folder. ` +
        'Give the folder the hub serves with --data DIR (or BESEDA_DATA), e.g. --data /var/lib/beseda; ' +
        'to start a new, empty database there instead, add --create',
    );
  for (const warning of secureDataDir(config.dataDir).warnings) printNote(`warning: ${warning}`);
  const release = acquireDataLock(config.dataDir);
  try {
    printNote(
      onPostgres
        ? `data: ${redactedStoreUrl(config.store!)} (opened directly)`
        : `data: ${dbFile} (opened directly${creating ? ', new database created' : ''})`,
    );
    const hub = await createHub({
      dbFile,
      storeUrl: config.store ?? undefined,
      storePoolSize: 2,
      events: { publish() {}, disconnect() {} },
      log: pino({ level: 'silent' }),
      scryptN: config.scryptN,
      onboarding: { inviteValidMs: config.inviteValidMs, minPasswordLength: config.minPasswordLength },
      // The files folder the hub serves; no periodic sweep in a one-off command.
      files: { dir: filesDirOf(config), sweepIntervalMs: 0 },
      releasesDir: releasesDirOf(config),
      // An older database opened by a command is copied before its schema steps, where the hub would put it.
      backupDir: backupDirOf(config),
      // `directory sync|check` with the hub stopped: the directory settings file of the configuration.
      directory: config.directoryConfig === null ? null : loadDirectorySettings(config.directoryConfig),
      // `bot callback --url` with the hub stopped checks the URL against the same --callback-allow.
      callbacks: { allow: config.callbackAllow, timeoutMs: config.callbackTimeoutMs },
    });
    try {
      // runAdminCommand validated the arguments and ran this very command.
      return (await runAdminCommand(hub, name, args)) as ResultOf<Name>;
    } finally {
      await hub.close();
    }
  } finally {
    release();
  }
}
