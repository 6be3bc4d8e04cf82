import { redactedStoreUrl } from '../config/redactedStoreUrl.ts';
import { mkdirSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/HubConfig.ts';
import { checkNodeSettings } from '../config/loadConfig.ts';
import type { Hub } from '../ops/Hub.ts';
import { startAdminServer } from '../admin/startAdminServer.ts';
import { setBackupStatusSource } from '../admin/consoleBackups.ts';
import type { BackupScheduler } from '../backup/BackupScheduler.ts';
import { startBackups } from '../backup/hubBackups.ts';
import type { MigrationReport } from '../backup/MigrationReport.ts';
import { createHubMetrics } from '../metrics/HubMetrics.ts';
import { metricsAccess } from '../metrics/metricsAccess.ts';
import { metricsRoute } from '../metrics/metricsRoute.ts';
import { startDirectorySync } from '../identity/ldap/startDirectorySync.ts';
import { hubVersion } from '../version.ts';
import { acquireDataLock } from './acquireDataLock.ts';
import { type BootstrapAdmin, ensureAdmin } from './bootstrapAdmin.ts';
import { inviteRoutes } from './inviteRoutes.ts';
import { accountRoutes } from './accountRoutes.ts';
import { sessionCookieRoutes } from './sessionCookieRoutes.ts';
import { ConnectionRegistry } from './ConnectionRegistry.ts';
import { createHttpServer } from './createHttpServer.ts';
import { proxyTrust } from './clientAddress.ts';
import { reloadTls, type TlsReloadResult } from './reloadTls.ts';
import { fileRoutes, isFileUpload } from './fileRoutes.ts';
import { updateRoutes } from './updateRoutes.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { fdGuard } from './fdGuard.ts';
import { openHub } from './openHub.ts';
import { type ClusterParts, startClusterParts } from './startClusterParts.ts';
import { findWebClient, type WebClientLocation } from './findWebClient.ts';
import { routeRequest } from './routeRequest.ts';
import { startHeartbeat } from './startHeartbeat.ts';
import { stopHub } from './stopHub.ts';
import { upgradeHandler } from './upgradeHandler.ts';

/** A running hub. */
export interface RunningHub {
  port: number;
  url: string;
  hub: Hub;
  registry: ConnectionRegistry;
  /** Set when the first admin was created by this start: its password is shown once or in a 0600 file. */
  bootstrapAdmin: BootstrapAdmin | null;
  /** The web client's folder (`--web-root`, or dist/web beside the hub) and whether it was built at start. */
  webClient: WebClientLocation;
  /** What opening the database did: schema versions, the migrations applied, the verified backup taken first. */
  migration: MigrationReport;
  /** The backup schedule (`--backup-dir/--backup-every/--backup-keep`): status(), runNow(), list(). */
  backups: BackupScheduler;
  /** Re-reads `--tls-cert`/`--tls-key` for new connections (SIGHUP); a bad pair keeps the old one. */
  reloadTls(): TlsReloadResult;
  /**
   * Graceful stop: refuse new work, finish writes, close sockets with 1001, flush the log.
   * Rejects if that has not finished within a deadline (so a caller can exit regardless).
   */
  close(): Promise<void>;
}

/** Extra routes (integrations) are added by whoever builds them. */
export type RouteFactory = (hub: Hub, config: HubConfig, log: Logger) => HttpRoute[];

/**
 * Starts the hub: takes the data folder's lock, opens the hub's operations on its database,
 * creates the first administrator, then serves HTTP(S) (routeRequest), the WebSocket endpoint
 * (upgradeHandler), the heartbeat and the admin socket. Each part lives in its own file; this
 * function only wires them and their shared `stopping` state.
 */
export async function startHubServer(
  config: HubConfig,
  log: Logger,
  extraRoutes: RouteFactory[] = [],
): Promise<RunningHub> {
  proxyTrust(config.trustProxy); // a wrong --trust-proxy entry is refused before anything starts
  metricsAccess(config); // a wrong --metrics-allow entry is refused before anything starts
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = acquireDataLock(config.dataDir);
  const registry = new ConnectionRegistry(log, config.softBufferBytes, config.hardBufferBytes);
  let hub: Hub;
  let cluster: ClusterParts | null = null;
  const opened: { migration?: MigrationReport } = {};
  try {
    checkNodeSettings(config);
    cluster = await startClusterParts({ config, registry, log });
    const parts = cluster?.hubParts ?? { events: registry };
    hub = await openHub(config, parts, filesDirOf(config), log, (report) => (opened.migration = report));
  } catch (err) {
    await cluster?.close();
    releaseLock();
    throw err;
  }

  const bootstrapAdmin = await ensureAdmin(hub, config.dataDir, log);
  const secure = config.tlsCert !== null;
  const webClient = findWebClient(config.webRoot);
  if (!webClient.built)
    log.warn(
      { webRoot: webClient.root },
      'the web client is not built (no index.html): / answers with a page saying so; run npm run build or pass --web-root',
    );
  // The backup metrics read the scheduler started below, only when scraped (after it exists).
  const redis = cluster ? () => cluster.redisHealth() : undefined;
  const metrics = createHubMetrics({ hub, registry, backups: () => backups.status(), version: hubVersion, log, redis });
  const routes: HttpRoute[] = [
    metricsRoute(metrics, config, log),
    ...inviteRoutes(hub),
    ...accountRoutes(hub),
    ...fileRoutes(hub, log),
    ...updateRoutes(hub),
    ...sessionCookieRoutes(hub, config),
    ...extraRoutes.flatMap((f) => f(hub, config, log)),
  ];
  const inflight = new Set<Promise<unknown>>();
  let stopping = false;
  const backups = startBackups(hub, config, log);
  const directorySync = startDirectorySync(hub, log); // every syncEvery of --directory FILE, if set
  hub.callbacks.start(); // queued deliveries to bots' callback URLs (left from before a restart too)
  setBackupStatusSource(hub, () => backups.status()); // the admin console's storage.status
  // Event-loop delay is the hub's own latency floor: reported on /healthz for monitoring and benchmarks.
  const loopDelay = monitorEventLoopDelay({ resolution: loopResolutionMs });
  loopDelay.enable();
  // The open-file limit's reserve (fdGuard.ts): counted now, with the database's files open.
  const descriptors = fdGuard(log);
  const healthz = {
    hub,
    registry,
    loopDelay,
    loopResolutionMs,
    stopping: () => stopping,
    backups: () => backups.status(),
    descriptors: () => descriptors.view(),
    redis,
  };

  const server = createHttpServer(
    config,
    (req, res) =>
      routeRequest({ routes, webRoot: webClient.root, frameAncestors: config.frameAncestors, healthz, log }, req, res),
    isFileUpload,
  );
  server.on(
    'upgrade',
    upgradeHandler({
      hub,
      registry,
      log,
      inflight,
      name: config.name,
      config,
      secure,
      stopping: () => stopping,
      sendAcked: metrics.sendAcked,
      descriptors,
      ...(cluster ? { syncFloors: cluster.floors } : {}),
    }),
  );
  const stopHeartbeat = startHeartbeat(registry, log, config.heartbeatMs);

  const port = await listen(server, config.port, config.host);
  descriptors.watch(server); // after listen: a listen error still rejects `listen` alone
  const admin = await startAdminServer(config.dataDir, hub, log);
  // Which store (and Redis, node) this node serves from, without any password, for IT reading the log.
  const store = config.store === null ? 'sqlite' : redactedStoreUrl(config.store);
  const node = cluster ? { redis: redactedStoreUrl(config.redis!), nodeId: cluster.nodeId } : {};
  log.info({ port, host: config.host, tls: secure, store, ...node }, 'listening');

  return {
    port,
    url: hubUrl(secure, config.host, port),
    hub,
    registry,
    bootstrapAdmin,
    webClient,
    migration: opened.migration!,
    backups,
    reloadTls: () => reloadTls(server, config, log),
    async close() {
      if (stopping) return;
      stopping = true;
      await backups.stop(); // a backup being written finishes first
      await directorySync.stop(); // so does a directory sync
      metrics.close();
      descriptors.close();
      await stopHub({ server, stopHeartbeat, loopDelay, inflight, registry, hub, cluster, admin, releaseLock, log });
    },
  };
}

/** The folder of the uploaded files' blobs: `--files-dir`, or `files` in the data folder. */
export function filesDirOf(config: Pick<HubConfig, 'dataDir' | 'filesDir'>): string {
  return path.resolve(config.filesDir ?? path.join(config.dataDir, 'files'));
}

/** Listens on host:port (port 0: any free one); resolves the port it got. */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A reconnect storm after a restart brings thousands of clients within a second; Node's default
    // backlog (511) overflowed 17,729 times at 5,000 clients, each overflow costing a client a
    // 1–7 s SYN retry. The kernel caps it at net.core.somaxconn.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** The address people open: `localhost` for a wildcard host, brackets around an IPv6 one. */
function hubUrl(secure: boolean, host: string, port: number): string {
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `${secure ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
}

/** The sampling timer's period; the histogram's samples include it, so it is taken off again. */
const loopResolutionMs = 10;
