import { ErrorCode } from '../../common/protocol/errors.ts';
import { ConfigError, loadConfig } from '../config/loadConfig.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { databaseFileName, secureDataDir } from '../db/secureDataDir.ts';
import { createLogger } from '../log/createLogger.ts';
import type { AccountInfo } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { startHubServer } from '../server/startHubServer.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { adminCall } from './adminCall.ts';
import { cliText, printLine, printNote } from './cliText.ts';
import { parseArgs } from './parseArgs.ts';
import { restoreCommand } from './restoreCommand.ts';
import { integrationCommand, integrationSwitches, integrationUsage, userImport } from './integrationCli.ts';
import { integrationRoutes } from '../server/integrationRoutes.ts';

const usage = `beseda-hub — the Beseda messaging hub

Usage:
  beseda-hub serve [--port N] [--host ADDR] [--data DIR] [--config FILE]
                   [--tls-cert FILE --tls-key FILE] [--origin URL]... [--web-root DIR]
  beseda-hub user add LOGIN --name "Full Name" [--admin] [--branch NAME] [--email ADDR]
             (password from standard input if piped, otherwise generated and printed once)
  beseda-hub user passwd LOGIN      (new password from standard input, or generated)
  beseda-hub user disable LOGIN     (closes the user's connections at once)
  beseda-hub user enable LOGIN
  beseda-hub user list
  beseda-hub backup FILE            (consistent online copy of the database, taken while serving)
  beseda-hub restore FILE           (with the hub stopped: checks the backup, moves the current
                                    database aside into DATA/before-restore-<time>/, installs it)
${integrationUsage}Every command takes --data DIR / --config FILE (or BESEDA_DATA / BESEDA_CONFIG; default ./data);
each says on stderr which database it used. Only serve creates a database; other commands refuse
a folder without one unless given --create. See README.md.
`;

/** Runs the CLI; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // Whatever the hub or the CLI creates (database, -wal, -shm, backups, folders) is private from
  // the start; the files are also given explicit modes, so a library that ignores umask is covered.
  if (process.platform !== 'win32') process.umask(0o077);
  const args = parseArgs(argv, ['admin', 'help', 'create', ...integrationSwitches]);
  const [command, sub, target] = args.positionals;
  if (args.switches.has('help') || command === undefined || command === 'help') {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === 'serve') return serve(args.flags);
  const create = { create: args.switches.has('create') };
  if (command === 'user' && sub === 'import')
    return userImport(target, (cmd, a) => adminCall(dataConfig(args.flags), cmd, a, create));
  if (command === 'user') return user(sub, target, args.flags, args.switches);
  if (command === 'backup') return backup(sub, args.flags);
  if (command === 'restore') return restoreCommand(sub, dataConfig(args.flags));
  if (command === 'bot' || command === 'hook' || command === 'announce') {
    const config = dataConfig(args.flags);
    return integrationCommand(args.positionals, args.flags, args.switches, config, (cmd, a) =>
      adminCall(config, cmd, a, create),
    );
  }
  process.stderr.write(`unknown command "${cliText(command)}"\n\n${usage}`);
  return 2;
}

async function serve(flags: Record<string, string | string[]>): Promise<number> {
  const config = loadConfig(flags, process.env);
  const log = createLogger(config.logLevel);
  const dataDir = secureDataDir(config.dataDir);
  for (const warning of dataDir.warnings) {
    log.warn({ dataDir: dataDir.dir }, warning);
    printNote(`warning: ${warning}`);
  }
  if (dataDir.tightened.length > 0)
    log.info({ files: dataDir.tightened }, 'made the data files readable by the hub account only (0600)');
  const dbFile = path.join(dataDir.dir, databaseFileName);
  const isNew = !existsSync(dbFile);
  // The integrations (send API, webhooks, directory sync, embed links) are part of every hub.
  const running = await startHubServer(config, log, [integrationRoutes]);
  const addStaff = `beseda-hub user add LOGIN --name "Full Name" --data ${dataDir.dir}`;
  const lines = [
    '',
    `Beseda hub is listening on ${running.url}  (WebSocket: ${running.url.replace(/^http/, 'ws')}/ws)`,
    `Data: ${dbFile}${isNew ? ' (new database created)' : ''}`,
  ];
  if (running.webClient.built) lines.push(`Web client: open ${running.url}/ in a browser.`);
  else lines.push(`Web client not built (no index.html in ${running.webClient.root}): run npm run build.`);
  const first = running.bootstrapAdmin;
  if (first?.password)
    lines.push(
      `First start: created the administrator "${first.login}" with the password`,
      `    ${first.password}`,
      `  (shown only this once). Add staff with: ${addStaff}`,
    );
  else if (first?.passwordFile)
    lines.push(
      `First start: created the administrator "${first.login}". Its password is in`,
      `    ${first.passwordFile}`,
      '  (readable by this account only; delete the file once the password is kept safe).',
      `  Add staff with: ${addStaff}`,
    );
  else lines.push(`Sign in with an account created by: ${addStaff}`);
  process.stderr.write(lines.map(cliText).join('\n') + '\n\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return new Promise<number>(() => {
    // Runs until a signal.
  });
}

async function readStdinLine(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  return line === '' ? undefined : line;
}

async function user(
  sub: string | undefined,
  login: string | undefined,
  flags: Record<string, string | string[]>,
  switches: Set<string>,
): Promise<number> {
  const config = dataConfig(flags);
  const one = (name: string) => {
    const value = flags[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
  let cmd: string;
  let cmdArgs: Record<string, unknown>;
  const needLogin = () => {
    if (!login) throw new HubError(ErrorCode.BadRequest, `user ${sub} needs a LOGIN`);
    return login;
  };
  switch (sub) {
    case 'add': {
      const name = one('name');
      if (!name) throw new HubError(ErrorCode.BadRequest, 'user add needs --name "Full Name"');
      cmd = 'user.add';
      cmdArgs = {
        login: needLogin(),
        name,
        password: await readStdinLine(),
        admin: switches.has('admin'),
        branch: one('branch') ?? null,
        email: one('email') ?? null,
      };
      break;
    }
    case 'passwd':
      cmd = 'user.passwd';
      cmdArgs = { login: needLogin(), password: await readStdinLine() };
      break;
    case 'disable':
    case 'enable':
      cmd = `user.${sub}`;
      cmdArgs = { login: needLogin() };
      break;
    case 'list':
      cmd = 'user.list';
      cmdArgs = {};
      break;
    default:
      process.stderr.write(`unknown user command "${cliText(sub ?? '')}"\n\n${usage}`);
      return 2;
  }
  const result = (await adminCall(config, cmd, cmdArgs, { create: switches.has('create') })) as Record<string, unknown>;
  printAdminResult(cmd, cmdArgs, result);
  return 0;
}

async function backup(file: string | undefined, flags: Record<string, string | string[]>): Promise<number> {
  if (!file) throw new HubError(ErrorCode.BadRequest, 'backup needs a FILE to write');
  const target = path.resolve(file);
  const config = dataConfig(flags);
  const result = (await adminCall(config, 'backup', { file: target })) as { pages: number };
  printLine(`Backup written to ${target} (${result.pages} pages, readable by the hub's account only).`);
  printLine(`To restore it: stop the hub, then: beseda-hub restore ${target} --data ${path.resolve(config.dataDir)}`);
  return 0;
}

/** The configuration that locates the data folder (admin commands need nothing else). */
function dataConfig(flags: Record<string, string | string[]>): HubConfig {
  const configFlags: Record<string, string | string[]> = {};
  for (const key of ['data', 'config'] as const) if (flags[key] !== undefined) configFlags[key] = flags[key]!;
  return loadConfig(configFlags, process.env);
}

function printAdminResult(cmd: string, args: Record<string, unknown>, result: Record<string, unknown>): void {
  const out = printLine;
  if (cmd === 'user.list') {
    const users = result.users as AccountInfo[];
    out(['LOGIN'.padEnd(20), 'NAME'.padEnd(30), 'ROLE'.padEnd(6), 'STATUS'].join(' '));
    for (const u of users)
      out(
        [
          u.login.padEnd(20),
          u.name.slice(0, 30).padEnd(30),
          (u.isAdmin ? 'admin' : u.isBot ? 'bot' : 'user').padEnd(6),
          u.disabled ? 'disabled' : 'active',
        ].join(' '),
      );
    out(`${users.length} accounts`);
    return;
  }
  if (cmd === 'user.add') {
    const u = result.user as AccountInfo;
    out(`Created ${u.isAdmin ? 'administrator' : 'user'} ${u.login} (${u.name}), id ${u.id}.`);
  } else if (cmd === 'user.passwd') out(`Password of ${String(args.login)} changed; their sessions were ended.`);
  else if (cmd === 'user.disable') out(`Disabled ${String(args.login)}; their connections were closed.`);
  else if (cmd === 'user.enable') out(`Enabled ${String(args.login)}.`);
  if (typeof result.generatedPassword === 'string') out(`Password (shown only this once): ${result.generatedPassword}`);
}

/** Turns any failure into one clear line for IT. */
export function describeFailure(err: unknown): string {
  if (err instanceof HubError) return cliText(`error (${err.code}): ${err.message}`);
  if (err instanceof ConfigError) return cliText(`configuration error: ${err.message}`);
  if (err instanceof Error) return cliText(`error: ${err.message}`);
  return cliText(`error: ${String(err)}`);
}
