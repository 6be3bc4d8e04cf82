import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { subprotocolFor } from '../../common/protocol/version.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { forwardedSecure, proxyTrust, rememberClientAddress } from './clientAddress.ts';
import { Connection } from './Connection.ts';
import { fdRetryAfterSeconds, type FdGuard } from './fdGuard.ts';
import { handleSocket, type SocketContext } from './handleSocket.ts';
import { remoteAddress } from './httpJson.ts';
import { readUpgradeOffer } from './upgradeAuth.ts';

/** What accepting sockets needs: the socket handlers' context plus the settings checked at upgrade. */
export interface UpgradeContext extends SocketContext {
  config: Pick<HubConfig, 'allowedOrigins' | 'framesPerSecond' | 'framesBurst'> &
    Partial<Pick<HubConfig, 'trustProxy'>>;
  /**
   * Whether the hub is served over TLS (the Origin must then be https). Behind a trusted proxy
   * that terminates TLS (`--trust-proxy`, `X-Forwarded-Proto: https`) the Origin is https too.
   */
  secure: boolean;
  /** True once shutdown began: new sockets are refused with 503. */
  stopping(): boolean;
  /** The open-file reserve: a WebSocket past it is refused with 503 and Retry-After (none: no cap). */
  descriptors?: Pick<FdGuard, 'admitUpgrade'>;
}

/** An HTTP server's `upgrade` listener. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Builds the `upgrade` listener of the WebSocket endpoint `/ws`: the request is checked
 * (readUpgradeOffer: Origin, protocol version, token) and its token authenticated before the
 * socket is accepted; a refusal is a bare HTTP status, logged with its reason.
 */
export function upgradeHandler(ctx: UpgradeContext): UpgradeListener {
  const { hub, log, config } = ctx;
  const trust = proxyTrust(config.trustProxy ?? []);
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

  return (req, socket, head) => {
    // Not an arrow here: every closure made in this function shares one V8 context, so a listener
    // that lives as long as the socket would keep the request (headers, the token in the URL) and
    // the offer alive with it — about 0.7 MB per 1,000 connections (a heap snapshot at 18,400).
    socket.on('error', destroySocket);
    rememberClientAddress(req, trust);
    const refuse = (status: number, reason: string) => refuseUpgrade(log, req, socket, status, reason);
    if (ctx.stopping()) return refuse(503, 'shutting down');
    if ((req.url ?? '').split('?')[0] !== '/ws') return refuse(404, 'not the websocket path');
    // Checked before the token (a database read): the socket already holds a descriptor, and
    // refusing frees it. Logged once by the guard, not per refusal (thousands retry at once).
    if (ctx.descriptors && !ctx.descriptors.admitUpgrade()) return refuseForDescriptors(socket);
    const offer = readUpgradeOffer(req, config.allowedOrigins, forwardedSecure(req, trust, ctx.secure));
    if (!offer.ok) return refuse(offer.status, offer.reason);
    // A person's session token or a bot's token (`bot_…`): a bot hears only its own conversations.
    hub.authenticateIntegration(offer.token).then(
      (actor) => {
        if (!actor) return refuse(401, 'invalid or revoked token');
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => {
          const remote = remoteAddress(req);
          const conn = new Connection(connectionId(), actor, ws, remote, config.framesPerSecond, config.framesBurst);
          log.debug({ conn: conn.id, userId: actor.userId, remote }, 'connected');
          void handleSocket(ctx, conn, offer.token);
        });
      },
      (err: unknown) => {
        log.error({ err }, 'authentication failed');
        refuse(503, 'authentication unavailable');
      },
    );
  };
}

/** An `error` listener that closes the socket it is on. */
function destroySocket(this: Duplex): void {
  this.destroy();
}

/**
 * A connection's id: a UUID copied into one flat string. `randomUUID()` returns a rope of about 14
 * V8 string pieces (some 450 bytes), and the id lives as long as the connection: 8 MB at 18,400.
 */
function connectionId(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}

/** Answers an upgrade request with a bare status and closes it. */
function refuseUpgrade(log: Logger, req: IncomingMessage, socket: Duplex, status: number, reason: string): void {
  log.info({ status, reason, remote: remoteAddress(req) }, 'websocket refused');
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The plain-text reason a WebSocket refused for want of descriptors gets (clients retry later). */
const descriptorsBody =
  'The hub has reached its limit of open files and accepts no new connections for now; connected clients are still served. Try again later.\n';

/** 503 with Retry-After and a plain-text reason: the hub is at its open-file reserve. */
function refuseForDescriptors(socket: Duplex): void {
  socket.end(
    `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: ${fdRetryAfterSeconds}\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(descriptorsBody)}\r\n\r\n` +
      descriptorsBody,
  );
}
