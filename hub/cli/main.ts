import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { ConfigError, loadConfig } from '../config/loadConfig.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { privateDirMode } from '../db/secureDataDir.ts';
import { HubError } from '../ops/HubError.ts';
import { hubVersion } from '../version.ts';
import { adminCall, type AdminCall } from './adminCall.ts';
import type { CliContext } from './CliCommand.ts';
import { cliText } from './cliText.ts';
import { commandHelp, overviewHelp } from './commandHelp.ts';
import { commandTable } from './commandTable.ts';
import { commandName, parseCommandLine } from './parseCommandLine.ts';

/** Runs the CLI; returns the process exit code (0 done, 1 failed, 2 misuse: nothing was run). */
export async function main(argv: readonly string[]): Promise<number> {
  // Whatever the hub or the CLI creates (database, -wal, -shm, backups, folders) is private from
  // the start; the files are also given explicit modes, so a library that ignores umask is covered.
  if (process.platform !== 'win32') process.umask(0o077);
  const line = parseCommandLine(commandTable, argv);
  switch (line.kind) {
    case 'version':
      process.stdout.write(`beseda-hub ${hubVersion}\n`);
      return 0;
    case 'help':
      if (line.misuse) {
        process.stderr.write(overviewHelp(commandTable));
        return 2;
      }
      process.stdout.write(line.command ? commandHelp(line.command) : overviewHelp(commandTable, line.group));
      return 0;
    case 'error': {
      const more = line.command ? `beseda-hub ${commandName(line.command)} --help` : 'beseda-hub --help';
      process.stderr.write(cliText(line.message) + (line.message.includes('(see:') ? '' : ` (see: ${more})`) + '\n');
      return 2;
    }
    case 'run':
      return line.command.run(commandContext(line.positionals, line.values));
  }
}

/** What a command gets: its words and values, the data folder's configuration, and the admin call. */
function commandContext(positionals: string[], values: CliContext['values']): CliContext {
  let config: HubConfig | undefined;
  const dataConfig = () => (config ??= loadDataConfig(values));
  const create = values.create === true;
  const admin: AdminCall = (name, args) => {
    requireDataFolder(dataConfig().dataDir, create);
    return adminCall(dataConfig(), name, args, { create });
  };
  return { positionals, values, config: dataConfig, admin };
}

/** The configuration that locates the data folder, the files and the releases folders (admin commands need nothing else). */
function loadDataConfig(values: CliContext['values']): HubConfig {
  const flags: Record<string, string> = {};
  for (const key of ['data', 'config', 'files-dir', 'releases-dir'] as const) {
    const value = values[key];
    if (typeof value === 'string') flags[key] = value;
  }
  return loadConfig(flags, process.env);
}

/**
 * A data folder that does not exist is named with the fix, rather than reported as a missing
 * database inside it: usually --data (or BESEDA_DATA) is mistyped or forgotten. With --create it
 * is made (0700), when the folder it goes in exists.
 */
function requireDataFolder(dataDir: string, create: boolean): void {
  const dir = path.resolve(dataDir);
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (create && existsSync(parent)) {
    mkdirSync(dir, { mode: privateDirMode });
    return;
  }
  throw new HubError(
    ErrorCode.NotFound,
    `the data folder ${dir} does not exist. Give the folder the hub serves with --data DIR ` +
      '(or BESEDA_DATA), e.g. --data /var/lib/beseda' +
      (existsSync(parent) ? '; to start a new, empty hub there, add --create' : `; nor does ${parent}`),
  );
}

/** Turns any failure into one clear line for IT. */
export function describeFailure(err: unknown): string {
  if (err instanceof HubError) return cliText(`error (${err.code}): ${err.message}`);
  if (err instanceof ConfigError) return cliText(`configuration error: ${err.message}`);
  if (err instanceof Error) return cliText(`error: ${err.message}`);
  return cliText(`error: ${String(err)}`);
}
