import os from 'node:os';
import type { Logger } from 'pino';
import type { BackupStatus } from '../backup/BackupStatus.ts';
import { hubVersion } from '../version.ts';

/** What opening the database did to its schema (the fields of hub/db/MigrationReport.ts this log uses). */
interface MigrationFacts {
  created: boolean;
  fromVersion: number;
  toVersion: number;
  applied: { version: number; name: string }[];
  backupFile: string | null;
}

/** What the running hub tells about itself for the start-up lines (RunningHub has these). */
export interface StartedHub {
  port: number;
  url: string;
  /** What opening the database did (H4's report); absent: not reported by this hub. */
  migration?: MigrationFacts;
  /** The backup scheduler; absent: not reported by this hub. */
  backups?: { status(): BackupStatus };
}

/** One info line before the hub starts: its version, Node's, the process id and the platform. */
export function logVersion(log: Logger): void {
  log.info(
    { version: hubVersion, node: process.version, pid: process.pid, platform: `${process.platform}-${process.arch}` },
    `Beseda hub ${hubVersion} starting (Node ${process.version}, pid ${process.pid})`,
  );
}

/** One info line: the data folder, its database and the uploaded files' folder. */
export function logFolders(log: Logger, folders: { dataDir: string; database: string; filesDir: string }): void {
  log.info(folders, `data folder ${folders.dataDir}, files in ${folders.filesDir}`);
}

/**
 * The lines once the hub listens: every address it answers on (HTTP and WebSocket; for a wildcard
 * host, each of the machine's interface addresses), the schema version and the migrations this
 * start applied, and the backup folder and schedule.
 */
export function logStarted(log: Logger, running: StartedHub, host: string, secure: boolean): void {
  const urls = listeningUrls(host, running.port, secure);
  log.info(
    { http: urls, ws: urls.map((u) => `${u.replace(/^http/, 'ws')}/ws`), host, port: running.port },
    `listening on ${urls.join(', ')} (WebSocket: /ws)`,
  );
  const m = running.migration;
  if (m) {
    const applied = m.applied.map((a) => `${a.version} ${a.name}`);
    log.info(
      {
        schemaVersion: m.toVersion,
        fromVersion: m.fromVersion,
        created: m.created,
        migrations: m.applied,
        backupFile: m.backupFile,
      },
      m.created
        ? `database created at schema version ${m.toVersion}`
        : applied.length > 0
          ? `database migrated from schema version ${m.fromVersion} to ${m.toVersion}: ${applied.join('; ')}` +
            (m.backupFile ? ` (copy taken before: ${m.backupFile})` : '')
          : `database schema version ${m.toVersion} (no migration needed)`,
    );
  }
  const b = running.backups?.status();
  if (b)
    log.info(
      { backupDir: b.dir, everyMs: b.everyMs, keep: b.keep, nextAt: b.nextAt && new Date(b.nextAt).toISOString() },
      b.everyMs > 0
        ? `backups in ${b.dir} every ${duration(b.everyMs)}, keeping ${b.keep}` +
            (b.nextAt ? `, next at ${new Date(b.nextAt).toISOString()}` : '')
        : `scheduled backups are off (--backup-every 0); folder ${b.dir}`,
    );
}

/** Each address people can reach: the host itself, or every interface address for a wildcard host. */
export function listeningUrls(host: string, port: number, secure: boolean): string[] {
  const scheme = secure ? 'https' : 'http';
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const hosts = wildcard ? interfaceAddresses(host === '0.0.0.0') : [host];
  return hosts.map((h) => `${scheme}://${h.includes(':') ? `[${h}]` : h}:${port}`);
}

function interfaceAddresses(ipv4Only: boolean): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && (ipv4Only || a.scopeid)) continue; // link-local needs a zone: not an address to give people
      out.push(a.address);
    }
  return out.length > 0 ? out : ['localhost'];
}

function duration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
