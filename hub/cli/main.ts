import { pino } from 'pino';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { callAdmin } from '../admin/callAdmin.ts';
import { runAdminCommand } from '../admin/adminCommands.ts';
import { ConfigError, loadConfig } from '../config/loadConfig.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { createLogger } from '../log/createLogger.ts';
import { createHub } from '../ops/createHub.ts';
import type { AccountInfo } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { acquireDataLock } from '../server/acquireDataLock.ts';
import { type RouteFactory, startHubServer } from '../server/startHubServer.ts';
import path from 'node:path';
import { parseArgs } from './parseArgs.ts';
import {
  integrationCommand,
  integrationSwitches,
  integrationUsage,
  userImport,
} from '../integrations/integrationCli.ts';
import { integrationRoutes } from '../integrations/integrationRoutes.ts';

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
${integrationUsage}Every command takes --data DIR / --config FILE (or BESEDA_DATA / BESEDA_CONFIG); see README.md.
`;

/** Runs the CLI; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['admin', 'help', ...integrationSwitches]);
  const [command, sub, target] = args.positionals;
  if (args.switches.has('help') || command === undefined || command === 'help') {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === 'serve') return serve(args.flags);
  if (command === 'user' && sub === 'import')
    return userImport(target, (cmd, a) => adminCall(dataConfig(args.flags), cmd, a));
  if (command === 'user') return user(sub, target, args.flags, args.switches);
  if (command === 'backup') return backup(sub, args.flags);
  if (command === 'bot' || command === 'hook' || command === 'announce') {
    const config = dataConfig(args.flags);
    return integrationCommand(args.positionals, args.flags, args.switches, config, (cmd, a) =>
      adminCall(config, cmd, a),
    );
  }
  process.stderr.write(`unknown command "${command}"\n\n${usage}`);
  return 2;
}

async function serve(flags: Record<string, string | string[]>): Promise<number> {
  const config = loadConfig(flags, process.env);
  const log = createLogger(config.logLevel);
  const running = await startHubServer(config, log, await loadExtraRoutes());
  const lines = [
    '',
    `Beseda hub is listening on ${running.url}  (WebSocket: ${running.url.replace(/^http/, 'ws')}/ws)`,
    `Data: ${path.resolve(config.dataDir)}`,
  ];
  if (config.webRoot) lines.push(`Web client: open ${running.url}/ in a browser.`);
  if (running.bootstrapAdmin)
    lines.push(
      `First start: created the administrator "${running.bootstrapAdmin.login}" with the password`,
      `    ${running.bootstrapAdmin.password}`,
      '  (shown only this once). Add staff with: npm run hub -- user add LOGIN --name "Full Name"',
    );
  else lines.push('Sign in with an account created by: npm run hub -- user add LOGIN --name "Full Name"');
  process.stderr.write(lines.join('\n') + '\n\n');

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

/** Routes added by optional hub modules (integrations), if present in this build. */
async function loadExtraRoutes(): Promise<RouteFactory[]> {
  return [integrationRoutes];
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
      process.stderr.write(`unknown user command "${sub ?? ''}"\n\n${usage}`);
      return 2;
  }
  const result = (await adminCall(config, cmd, cmdArgs)) as Record<string, unknown>;
  printAdminResult(cmd, cmdArgs, result);
  return 0;
}

async function backup(file: string | undefined, flags: Record<string, string | string[]>): Promise<number> {
  if (!file) throw new HubError(ErrorCode.BadRequest, 'backup needs a FILE to write');
  const target = path.resolve(file);
  const result = (await adminCall(dataConfig(flags), 'backup', { file: target })) as { pages: number };
  process.stdout.write(
    `Backup written to ${target} (${result.pages} pages). Restore: stop the hub, copy it to DATA/beseda.db.\n`,
  );
  return 0;
}

/** The configuration that locates the data folder (admin commands need nothing else). */
function dataConfig(flags: Record<string, string | string[]>): HubConfig {
  const configFlags: Record<string, string | string[]> = {};
  for (const key of ['data', 'config'] as const) if (flags[key] !== undefined) configFlags[key] = flags[key]!;
  return loadConfig(configFlags, process.env);
}

/** Runs an admin command through the running hub, or directly on the data folder if none runs. */
export async function adminCall(config: HubConfig, cmd: string, args: unknown): Promise<unknown> {
  const answer = await callAdmin(config.dataDir, cmd, args);
  if (answer) {
    if (answer.ok) return answer.result;
    throw new HubError(answer.error.code as ErrorCode, answer.error.message);
  }
  const release = acquireDataLock(config.dataDir);
  const hub = await createHub({
    dbFile: path.join(config.dataDir, 'beseda.db'),
    events: { publish() {}, disconnect() {} },
    log: pino({ level: 'silent' }),
    scryptN: config.scryptN,
  });
  try {
    return await runAdminCommand(hub, cmd, args);
  } finally {
    await hub.close();
    release();
  }
}

function printAdminResult(cmd: string, args: Record<string, unknown>, result: Record<string, unknown>): void {
  const out = (s: string) => process.stdout.write(s + '\n');
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
  if (err instanceof HubError) return `error (${err.code}): ${err.message}`;
  if (err instanceof ConfigError) return `configuration error: ${err.message}`;
  if (err instanceof Error) return `error: ${err.message}`;
  return `error: ${String(err)}`;
}
