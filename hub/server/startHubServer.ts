import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { CloseCode, ErrorCode } from '../../common/protocol/errors.ts';
import { subprotocolFor } from '../../common/protocol/version.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { createHub } from '../ops/createHub.ts';
import type { Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { startAdminServer } from '../admin/startAdminServer.ts';
import { acquireDataLock } from './acquireDataLock.ts';
import { type BootstrapAdmin, ensureAdmin } from './bootstrapAdmin.ts';
import { accountRoutes } from './accountRoutes.ts';
import { Connection } from './Connection.ts';
import { ConnectionRegistry } from './ConnectionRegistry.ts';
import { handleSocket, type SocketContext } from './handleSocket.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { sendError } from './httpJson.ts';
import { answerHealthz } from './answerHealthz.ts';
import { findWebClient, isBuilt, type WebClientLocation } from './findWebClient.ts';
import { sendWebClientMissing, serveStatic } from './serveStatic.ts';
import { readUpgradeOffer } from './upgradeAuth.ts';

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
  /**
   * Graceful stop: refuse new work, finish writes, close sockets with 1001, flush the log.
   * Rejects if that has not finished within a deadline (so a caller can exit regardless).
   */
  close(): Promise<void>;
}

/** Extra routes (integrations) are added by whoever builds them. */
export type RouteFactory = (hub: Hub, config: HubConfig, log: Logger) => HttpRoute[];

/** Starts the hub: storage, operations, HTTP(S) API, WebSocket endpoint, admin socket. */
export async function startHubServer(
  config: HubConfig,
  log: Logger,
  extraRoutes: RouteFactory[] = [],
): Promise<RunningHub> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = acquireDataLock(config.dataDir);
  const registry = new ConnectionRegistry(log, config.softBufferBytes, config.hardBufferBytes);
  let hub: Hub;
  try {
    hub = await createHub({
      dbFile: path.join(config.dataDir, 'beseda.db'),
      events: registry,
      log,
      limits: { maxTextBytes: config.maxTextBytes },
      scryptN: config.scryptN,
      presenceGraceMs: config.presenceGraceMs,
      presenceBatchMs: config.presenceBatchMs,
      sendRate: { perSecond: config.sendPerSecond, burst: config.sendBurst },
      ...(config.maxDbPages !== null ? { maxDbPages: config.maxDbPages } : {}),
    });
  } catch (err) {
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
  const routes: HttpRoute[] = [...accountRoutes(hub), ...extraRoutes.flatMap((f) => f(hub, config, log))];
  const inflight = new Set<Promise<unknown>>();
  let stopping = false;
  // Event-loop delay is the hub's own latency floor: reported on /healthz for monitoring and benchmarks.
  const loopDelay = monitorEventLoopDelay({ resolution: loopResolutionMs });
  loopDelay.enable();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handleHttp(req, res).catch((err: unknown) => {
      // A body we stopped reading cannot be followed by another request on this connection.
      if (!req.complete && !res.headersSent) res.setHeader('connection', 'close');
      if (err instanceof HubError) sendError(res, err);
      else {
        log.error({ err, path: req.url?.split('?')[0] }, 'http handler failed');
        if (!res.headersSent) sendError(res, new HubError(ErrorCode.Internal, 'internal error'));
        else res.destroy();
      }
    });
  };

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (pathname === '/healthz' && req.method === 'GET')
      return answerHealthz(req, res, { hub, registry, loopDelay, loopResolutionMs, stopping: () => stopping });
    if (stopping) throw new HubError(ErrorCode.Unavailable, 'the hub is shutting down');
    for (const route of routes) {
      const match = route.path.exec(pathname);
      if (!match) continue;
      if (route.method !== req.method) continue;
      await route.handle(req, res, match);
      return;
    }
    if (pathname.startsWith('/api/') || pathname.startsWith('/hooks/'))
      throw new HubError(ErrorCode.NotFound, `no such endpoint: ${req.method} ${pathname}`);
    // Looked up per request: a web client built after the hub started is served at once.
    if (serveStatic(req, res, webClient.root, config.frameAncestors)) return;
    if (!isBuilt(webClient.root) && sendWebClientMissing(req, res)) return;
    throw new HubError(ErrorCode.NotFound, 'not found');
  }

  // Node enforces headersTimeout/requestTimeout only when it checks its connections: every second,
  // not the default 30 s, so a slowloris socket is dropped on time.
  const serverOptions = { connectionsCheckingInterval: 1000 };
  const server = secure
    ? https.createServer(
        { ...serverOptions, cert: readFileSync(config.tlsCert!), key: readFileSync(config.tlsKey!) },
        onRequest,
      )
    : http.createServer(serverOptions, onRequest);
  // Slowloris: a client gets this long to send its headers and whole request.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (protocols) => {
      const chosen = [...protocols].find((p) => p === subprotocolFor(1));
      return chosen ?? false;
    },
  });
  const ctx: SocketContext = { hub, registry, log, inflight, name: config.name };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, reason: string) => {
      log.info({ status, reason, remote: req.socket.remoteAddress }, 'websocket refused');
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (stopping) return refuse(503, 'shutting down');
    if ((req.url ?? '').split('?')[0] !== '/ws') return refuse(404, 'not the websocket path');
    const offer = readUpgradeOffer(req, config.allowedOrigins, secure);
    if (!offer.ok) return refuse(offer.status, offer.reason);
    hub.authenticate(offer.token).then(
      (actor) => {
        if (!actor) return refuse(401, 'invalid or revoked token');
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => {
          const conn = new Connection(
            randomUUID(),
            actor,
            ws,
            req.socket.remoteAddress ?? 'unknown',
            config.framesPerSecond,
            config.framesBurst,
          );
          log.debug({ conn: conn.id, userId: actor.userId }, 'connected');
          void handleSocket(ctx, conn);
        });
      },
      (err: unknown) => {
        log.error({ err }, 'authentication failed');
        refuse(503, 'authentication unavailable');
      },
    );
  });

  const heartbeat = setInterval(() => {
    for (const conn of registry.connections()) {
      if (conn.awaitingPong) {
        log.debug({ conn: conn.id }, 'no pong: dropping dead socket');
        conn.ws.terminate();
        continue;
      }
      conn.awaitingPong = true;
      conn.ws.ping();
    }
  }, config.heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `${secure ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  const admin = await startAdminServer(config.dataDir, hub, log);
  log.info({ port, host: config.host, tls: secure }, 'listening');

  return {
    port,
    url,
    hub,
    registry,
    bootstrapAdmin,
    webClient,
    async close() {
      if (stopping) return;
      stopping = true;
      const stopGracefully = async () => {
        clearInterval(heartbeat);
        loopDelay.disable();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.allSettled([...inflight]);
        registry.closeAll(CloseCode.GoingAway, 'hub is restarting');
        await hub.close();
        await admin.close();
        server.closeAllConnections();
        await closed;
        releaseLock();
        log.info('stopped');
        await flushLog(log, logFlushMs);
      };
      // A stop that hangs (a stuck socket, a write that never returns) must not keep the port and
      // the data lock forever: past the deadline close() rejects and the CLI exits.
      await withinDeadline(stopGracefully(), shutdownDeadlineMs).finally(releaseLock);
    },
  };
}

/** Longest a graceful stop may take; then close() rejects (the CLI exits with 1). */
const shutdownDeadlineMs = 15_000;
/** How long the stop waits for queued log lines to be written (a stalled reader costs only this). */
const logFlushMs = 2_000;

/**
 * Resolves or rejects as `work` does, or rejects after `ms`. The timer is left ref'd on purpose:
 * unref'd, it would not fire while nothing else keeps the event loop alive.
 */
async function withinDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`shutdown did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the logger's queued lines are written, at most `ms`. */
function flushLog(log: Logger, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    log.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The sampling timer's period; the histogram's samples include it, so it is taken off again. */
const loopResolutionMs = 10;
