import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { HubError } from '../ops/HubError.ts';
import { answerHealthz, type HealthzSources } from './answerHealthz.ts';
import { isBuilt } from './findWebClient.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { writeErrorHead } from './httpJson.ts';
import { sendErrorLingering } from './lingeringClose.ts';
import { noteRejection, watchRejection } from './logRejection.ts';
import { sendWebClientMissing, serveStatic } from './serveStatic.ts';

/** What the HTTP router needs from the running hub. */
export interface RouteContext {
  /** The API routes (accounts, integrations), tried in order. */
  routes: readonly HttpRoute[];
  /** The web client's folder, served for every other path. */
  webRoot: string;
  /** `frame-ancestors` of the web client's CSP. */
  frameAncestors: readonly string[];
  /** What /healthz reports; its `stopping()` also refuses other requests during shutdown. */
  healthz: HealthzSources;
  log: Logger;
}

/**
 * Answers one HTTP request: /healthz, then the API routes, then the web client's files. Expected
 * failures (HubError) become their JSON error; anything else is logged and answered 500.
 */
export function routeRequest(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): void {
  // A refused API or webhook call gets a (bounded) warn line: why Grafana or 1C fails.
  watchRejection(ctx.log, ctx.healthz.hub, req, res);
  dispatchHttp(ctx, req, res).catch((err: unknown) => {
    if (!(err instanceof HubError)) {
      ctx.log.error({ err, path: req.url?.split('?')[0] }, 'http handler failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
    }
    const answer = err instanceof HubError ? err : new HubError(ErrorCode.Internal, 'internal error');
    noteRejection(res, answer);
    // A body we stopped reading cannot be followed by another request on this connection: it is
    // closed after the answer, once the rest of the body has been read and dropped for a while.
    if (req.complete || res.headersSent) res.end(writeErrorHead(req, res, answer));
    else if (!req.destroyed) sendErrorLingering(req, res, answer);
    else {
      // A body reader that gave up (`for await` over a too-long JSON body) destroyed the request:
      // nothing more of it can be read here, so the connection must not be kept for another request.
      res.setHeader('connection', 'close');
      res.end(writeErrorHead(req, res, answer));
    }
  });
}

async function dispatchHttp(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = (req.url ?? '/').split('?')[0]!;
  if (pathname === '/healthz' && req.method === 'GET') return answerHealthz(req, res, ctx.healthz);
  if (ctx.healthz.stopping()) throw new HubError(ErrorCode.Unavailable, 'the hub is shutting down');
  for (const route of ctx.routes) {
    const match = route.path.exec(pathname);
    if (!match) continue;
    if (route.method !== req.method) continue;
    await route.handle(req, res, match);
    return;
  }
  if (pathname.startsWith('/api/') || pathname.startsWith('/hooks/'))
    throw new HubError(ErrorCode.NotFound, `no such endpoint: ${req.method} ${pathname}`);
  // Looked up per request: a web client built after the hub started is served at once.
  if (serveStatic(req, res, ctx.webRoot, ctx.frameAncestors)) return;
  if (!isBuilt(ctx.webRoot) && sendWebClientMissing(req, res)) return;
  throw new HubError(ErrorCode.NotFound, 'not found');
}
