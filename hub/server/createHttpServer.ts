import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { HubConfig } from '../config/HubConfig.ts';

/**
 * The hub's HTTP server: HTTPS when a certificate is configured (`--tls-cert`/`--tls-key`), plain
 * HTTP otherwise, with timeouts that drop slow or idle clients.
 */
export function createHttpServer(
  config: Pick<HubConfig, 'tlsCert' | 'tlsKey'>,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): http.Server | https.Server {
  // Node enforces headersTimeout/requestTimeout only when it checks its connections: every second,
  // not the default 30 s, so a slowloris socket is dropped on time.
  const serverOptions = { connectionsCheckingInterval: 1000 };
  const server =
    config.tlsCert !== null
      ? https.createServer(
          { ...serverOptions, cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey!) },
          onRequest,
        )
      : http.createServer(serverOptions, onRequest);
  // Slowloris: a client gets this long to send its headers and whole request.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // An idle keep-alive connection is closed by the client first: Node's fetch drops it 2 s before
  // the `Keep-Alive: timeout=65` it is told, Node's http agent 1 s before, Go after 90 s idle, and
  // clients that check a pooled connection before reuse see the close. With Node's 5 s a client
  // that was busy a few seconds reused a connection the hub had just closed ("other side closed").
  server.keepAliveTimeout = 65_000;
  server.maxHeadersCount = 100;
  return server;
}
