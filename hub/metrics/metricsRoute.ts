import type { Logger } from 'pino';
import { ErrorCode } from '../../common/protocol/errors.ts';
import type { HubConfig } from '../config/HubConfig.ts';
import { HubError } from '../ops/HubError.ts';
import type { HttpRoute } from '../server/HttpRoute.ts';
import type { HubMetrics } from './HubMetrics.ts';
import { metricsAccess } from './metricsAccess.ts';

/** A refused address is logged again only after this long (a misconfigured scraper asks every 15 s). */
const refusalLogEveryMs = 10 * 60_000;
/** Refused addresses remembered for that; beyond, the oldest are forgotten (bounded memory). */
const maxRemembered = 1000;

/**
 * `GET /metrics`: the Prometheus text exposition of {@link HubMetrics}, for the callers
 * {@link metricsAccess} allows; anyone else gets 403 with the reason (and one warn line per
 * address every ten minutes, so IT can see why Prometheus shows the target down).
 */
export function metricsRoute(
  metrics: HubMetrics,
  config: Pick<HubConfig, 'metricsAllow' | 'metricsToken'>,
  log: Logger,
): HttpRoute {
  const access = metricsAccess(config);
  const loggedAt = new Map<string, number>();
  return {
    method: 'GET',
    path: /^\/metrics$/,
    async handle(req, res) {
      const decision = access(req);
      if (!decision.ok) {
        const now = Date.now();
        const last = loggedAt.get(decision.address);
        if (last === undefined || now - last > refusalLogEveryMs) {
          loggedAt.delete(decision.address);
          loggedAt.set(decision.address, now);
          if (loggedAt.size > maxRemembered) loggedAt.delete(loggedAt.keys().next().value!);
          log.warn({ remote: decision.address, reason: decision.reason }, 'metrics refused');
        }
        throw new HubError(ErrorCode.Forbidden, decision.reason);
      }
      const text = await metrics.scrape();
      res.writeHead(200, {
        'content-type': metrics.contentType,
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(text);
    },
  };
}
