import path from 'node:path';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { ConfigError, loadConfig } from '../config/loadConfig.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import type { AccountInfo } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { adminCall, adminCaller } from './adminCall.ts';
import { cliText, printLine } from './cliText.ts';
import { integrationCommand, integrationSwitches, integrationUsage, userImport } from './integrationCli.ts';
import { parseArgs } from './parseArgs.ts';
import { restoreCommand } from './restoreCommand.ts';
import { serve } from './serve.ts';

const usage = `beseda-hub — the Beseda messaging hub

Usage:
  beseda-hub serve [--port N] [--host ADDR] [--data DIR] [--config FILE]
                   [--tls-cert FILE --tls-key FILE] [--origin URL]... [--web-root DIR]
                   [--edit-window DURATION]  (how long after sending an author may edit:
                                    30m, 24h, 7d; 0 = no limit, the default)
                   [--max-reactions N]       (different emoji per message, default 20)
  beseda-hub user add LOGIN --name "Full Name" [--admin] [--branch NAME] [--email ADDR]
             (password from standard input if piped, otherwise generated and printed once)
  beseda-hub user passwd LOGIN      (new password from standard input, or generated)
  beseda-hub user disable LOGIN     (closes the user's connections at once)
  beseda-hub user enable LOGIN
  beseda-hub user list
  beseda-hub backup FILE            (consistent online copy of the database, taken while serving,
                                    and the uploaded files in FILE.files/)
  beseda-hub restore FILE           (with the hub stopped: checks the backup, moves the current
                                    database aside into DATA/before-restore-<time>/, installs it,
                                    adds the files from FILE.files/)
  beseda-hub files status           (file storage use)
  beseda-hub files collect [--unattached-hours N]
                                    (removes uploads never sent for N hours, default 24, and
                                    stored files nothing refers to; the hub also does it hourly)
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
    return userImport(target, (name, a) => adminCall(dataConfig(args.flags), name, a, create));
  if (command === 'user') return user(sub, target, args.flags, args.switches);
  if (command === 'backup') return backup(sub, args.flags);
  if (command === 'files') return files(sub, args.flags);
  if (command === 'restore') return restoreCommand(sub, dataConfig(args.flags));
  if (command === 'bot' || command === 'hook' || command === 'announce') {
    const config = dataConfig(args.flags);
    return integrationCommand(args.positionals, args.flags, args.switches, config, adminCaller(config, create));
  }
  process.stderr.write(`unknown command "${cliText(command)}"\n\n${usage}`);
  return 2;
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
  const call = adminCaller(dataConfig(flags), { create: switches.has('create') });
  const one = (name: string) => {
    const value = flags[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
  const needLogin = () => {
    if (!login) throw new HubError(ErrorCode.BadRequest, `user ${sub} needs a LOGIN`);
    return login;
  };
  switch (sub) {
    case 'add': {
      const name = one('name');
      if (!name) throw new HubError(ErrorCode.BadRequest, 'user add needs --name "Full Name"');
      const { user: u, generatedPassword } = await call('user.add', {
        login: needLogin(),
        name,
        password: await readStdinLine(),
        admin: switches.has('admin'),
        branch: one('branch') ?? null,
        email: one('email') ?? null,
      });
      printLine(`Created ${u.isAdmin ? 'administrator' : 'user'} ${u.login} (${u.name}), id ${u.id}.`);
      printGeneratedPassword(generatedPassword);
      return 0;
    }
    case 'passwd': {
      const target = needLogin();
      const { generatedPassword } = await call('user.passwd', { login: target, password: await readStdinLine() });
      printLine(`Password of ${target} changed; their sessions were ended.`);
      printGeneratedPassword(generatedPassword);
      return 0;
    }
    case 'disable':
      await call('user.disable', { login: needLogin() });
      printLine(`Disabled ${login}; their connections were closed.`);
      return 0;
    case 'enable':
      await call('user.enable', { login: needLogin() });
      printLine(`Enabled ${login}.`);
      return 0;
    case 'list':
      printAccounts((await call('user.list', {})).users);
      return 0;
    default:
      process.stderr.write(`unknown user command "${cliText(sub ?? '')}"\n\n${usage}`);
      return 2;
  }
}

async function backup(file: string | undefined, flags: Record<string, string | string[]>): Promise<number> {
  if (!file) throw new HubError(ErrorCode.BadRequest, 'backup needs a FILE to write');
  const target = path.resolve(file);
  const config = dataConfig(flags);
  const result = await adminCall(config, 'backup', { file: target });
  printLine(`Backup written to ${target} (${result.pages} pages, readable by the hub's account only).`);
  printLine(`Uploaded files: ${result.files.blobs} (${result.files.bytes} bytes) in ${result.files.dir}`);
  printLine(`To restore it: stop the hub, then: beseda-hub restore ${target} --data ${path.resolve(config.dataDir)}`);
  return 0;
}

/** `beseda-hub files status|collect`: file storage use, and collecting unused uploads now. */
async function files(sub: string | undefined, flags: Record<string, string | string[]>): Promise<number> {
  const call = adminCaller(dataConfig(flags));
  if (sub === 'status') {
    const h = await call('files.status', {});
    const limit = h.maxTotalBytes === null ? 'no total limit' : `limit ${h.maxTotalBytes} bytes`;
    printLine(`${h.files} uploads, ${h.blobs} stored files, ${h.bytes} bytes (${limit}).`);
    return 0;
  }
  if (sub === 'collect') {
    const raw = flags['unattached-hours'];
    const hours = raw === undefined ? 24 : Number(Array.isArray(raw) ? raw.at(-1) : raw);
    if (!Number.isFinite(hours) || hours < 0)
      throw new HubError(ErrorCode.BadRequest, '--unattached-hours takes a number of hours (0 or more)');
    const r = await call('files.collect', { unattachedForMs: Math.round(hours * 3_600_000) });
    printLine(`Removed ${r.files} uploads never sent, and ${r.blobs} stored files (${r.bytes} bytes).`);
    return 0;
  }
  process.stderr.write(`unknown files command "${cliText(sub ?? '')}"\n\n${usage}`);
  return 2;
}

/** The configuration that locates the data folder and the files folder (admin commands need nothing else). */
function dataConfig(flags: Record<string, string | string[]>): HubConfig {
  const configFlags: Record<string, string | string[]> = {};
  for (const key of ['data', 'config', 'files-dir'] as const)
    if (flags[key] !== undefined) configFlags[key] = flags[key]!;
  return loadConfig(configFlags, process.env);
}

function printAccounts(users: readonly AccountInfo[]): void {
  printLine(['LOGIN'.padEnd(20), 'NAME'.padEnd(30), 'ROLE'.padEnd(6), 'STATUS'].join(' '));
  for (const u of users)
    printLine(
      [
        u.login.padEnd(20),
        u.name.slice(0, 30).padEnd(30),
        (u.isAdmin ? 'admin' : u.isBot ? 'bot' : 'user').padEnd(6),
        u.disabled ? 'disabled' : 'active',
      ].join(' '),
    );
  printLine(`${users.length} accounts`);
}

function printGeneratedPassword(password: string | undefined): void {
  if (typeof password === 'string') printLine(`Password (shown only this once): ${password}`);
}

/** Turns any failure into one clear line for IT. */
export function describeFailure(err: unknown): string {
  if (err instanceof HubError) return cliText(`error (${err.code}): ${err.message}`);
  if (err instanceof ConfigError) return cliText(`configuration error: ${err.message}`);
  if (err instanceof Error) return cliText(`error: ${err.message}`);
  return cliText(`error: ${String(err)}`);
}
