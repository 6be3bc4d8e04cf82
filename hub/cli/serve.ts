import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkNodeSettings, ConfigError, loadConfig } from '../config/loadConfig.ts';
import { databaseFileName, secureDataDir } from '../db/secureDataDir.ts';
import { createLogger } from '../log/createLogger.ts';
import { logFolders, logStarted, logVersion } from '../log/logStartup.ts';
import { hookRoutes } from '../server/hookRoutes.ts';
import { integrationRoutes } from '../server/integrationRoutes.ts';
import { filesDirOf, type RunningHub, startHubServer } from '../server/startHubServer.ts';
import { cliText, printNote } from './cliText.ts';

/**
 * `beseda-hub serve`: checks the data folder, starts the hub, says where it listens and how to
 * sign in, then runs until SIGTERM or SIGINT, which stop it gracefully (exit 0; 1 when the stop
 * failed or passed its deadline). The returned promise never settles: the process exits.
 */
export async function serve(flags: Record<string, string | string[]>): Promise<number> {
  let config;
  try {
    config = loadConfig(flags, process.env);
    checkNodeSettings(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Nothing was started: a misuse (exit 2), like an unknown flag, e.g. --redis without --store.
    process.stderr.write(cliText(`configuration error: ${err.message}`) + '\n');
    return 2;
  }
  const log = createLogger(config.logLevel, config.logFormat);
  logVersion(log);
  const dataDir = secureDataDir(config.dataDir);
  for (const warning of dataDir.warnings) {
    log.warn({ dataDir: dataDir.dir }, warning);
    printNote(`warning: ${warning}`);
  }
  if (dataDir.tightened.length > 0)
    log.info({ files: dataDir.tightened }, 'made the data files readable by the hub account only (0600)');
  const dbFile = path.join(dataDir.dir, databaseFileName);
  const isNew = !existsSync(dbFile);
  logFolders(log, { dataDir: dataDir.dir, database: dbFile, filesDir: filesDirOf(config) });
  // The integrations (send API, directory sync, embed links) and webhooks are part of every hub.
  const running = await startHubServer(config, log, [integrationRoutes, hookRoutes]);
  logStarted(log, running, config.host, config.tlsCert !== null);
  process.stderr.write(startupLines(running, dataDir.dir, dbFile, isNew).map(cliText).join('\n') + '\n\n');

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
  // `systemctl reload` (ExecReload=kill -HUP): renewed TLS certificate and key, no connection dropped.
  process.on('SIGHUP', () => {
    if (!stopping) running.reloadTls();
  });
  return new Promise<number>(() => {
    // Runs until a signal.
  });
}

/** What the terminal shows once the hub listens: addresses, the database, the first administrator. */
function startupLines(running: RunningHub, dataDir: string, dbFile: string, isNew: boolean): string[] {
  const addStaff = `beseda-hub user add LOGIN --name "Full Name" --data ${dataDir}`;
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
  return lines;
}
