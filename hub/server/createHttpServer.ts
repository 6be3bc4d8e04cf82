import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { HubConfig } from '../config/HubConfig.ts';
import { proxyTrust, rememberClientAddress } from './clientAddress.ts';

/** Headers and body of an ordinary request must have arrived this long after its headers. */
const requestTimeoutMs = 30_000;
/** A long upload may take as long as it keeps sending: it is dropped after this long without a byte. */
const uploadIdleMs = 60_000;

/**
 * The hub's HTTP server: HTTPS when a certificate is configured (`--tls-cert`/`--tls-key`), plain
 * HTTP otherwise, with timeouts that drop slow or idle clients. A request `longBody` picks (a file
 * upload: 100 MB over a branch office's link takes minutes) has no overall deadline, only an idle
 * one, and gets no automatic `100 Continue`: its route sends one once it accepts the upload, so a
 * refused file is answered before any of it is sent. Every request gets its client address worked
 * out as it arrives (`--trust-proxy`: clientAddress.ts), read by `remoteAddress(req)`; upgrades get
 * theirs in upgradeHandler.
 */
export function createHttpServer(
  config: Pick<HubConfig, 'tlsCert' | 'tlsKey'> & Partial<Pick<HubConfig, 'trustProxy'>>,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
  longBody: (req: IncomingMessage) => boolean = () => false,
): http.Server | https.Server {
  const trust = proxyTrust(config.trustProxy ?? []);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    rememberClientAddress(req, trust);
    if (longBody(req)) idleDeadline(req, res);
    else requestDeadline(req, res);
    onRequest(req, res);
  };
  // Node enforces headersTimeout/requestTimeout only when it checks its connections: every second,
  // not the default 30 s, so a slowloris socket is dropped on time.
  const serverOptions = { connectionsCheckingInterval: 1000 };
  const server =
    config.tlsCert !== null
      ? https.createServer(
          { ...serverOptions, cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey!) },
          handle,
        )
      : http.createServer(serverOptions, handle);
  // Slowloris: a client gets this long to send its headers; the whole request is timed per
  // request above (Node's own requestTimeout would cut every upload longer than it).
  server.headersTimeout = 10_000;
  server.requestTimeout = 0;
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (!longBody(req)) res.writeContinue();
    handle(req, res);
  });
  // An idle keep-alive connection is closed by the client first: Node's fetch drops it 2 s before
  // the `Keep-Alive: timeout=65` it is told, Node's http agent 1 s before, Go after 90 s idle, and
  // clients that check a pooled connection before reuse see the close. With Node's 5 s a client
  // that was busy a few seconds reused a connection the hub had just closed ("other side closed").
  server.keepAliveTimeout = 65_000;
  server.maxHeadersCount = 100;
  return server;
}

/** Drops a request whose body has not fully arrived {@link requestTimeoutMs} after its headers (408). */
function requestDeadline(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    res.writeHead(408, { connection: 'close', 'content-length': 0 });
    res.end(() => req.socket.destroy());
  }, requestTimeoutMs);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
}

/** Drops a long upload's connection after {@link uploadIdleMs} without a byte either way. */
function idleDeadline(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  const onIdle = () => socket.destroy();
  socket.setTimeout(uploadIdleMs, onIdle);
  // The connection may serve other requests afterwards: they get the usual deadlines.
  res.once('close', () => {
    socket.setTimeout(0);
    socket.off('timeout', onIdle);
  });
}
