import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RejectionLimiter } from '../log/RejectionLimiter.ts';
import type { Hub } from '../ops/Hub.ts';
import type { HubError } from '../ops/HubError.ts';
import { bearerToken, remoteAddress } from './httpJson.ts';

/** The error a request was answered with (its code and reason), noted by the router for the log line. */
const answeredWith = new WeakMap<ServerResponse, HubError>();
/** One limiter per hub's logger (several hubs may run in one process: tests). */
const limiters = new WeakMap<Logger, RejectionLimiter>();

/** Notes the error a request is being answered with, for {@link watchRejection}'s line. */
export function noteRejection(res: ServerResponse, err: HubError): void {
  answeredWith.set(res, err);
}

/**
 * Logs one warn line when a request to the integration API (`/api/…`) or a webhook (`/hooks/…`)
 * is answered 4xx or 5xx, so IT can see why Grafana or 1C fails: method, path (a webhook's
 * secret cut to its first 4 characters, no query string), status, error code, reason, the client's
 * address and, when known, the caller's login (`bot:<login>` for a bot). Bounded: per minute at
 * most 10 lines of one kind (method, path, status) and 100 in all, then one "suppressed N
 * similar" line per kind. Other requests (the web client's files) are not watched.
 */
export function watchRejection(log: Logger, hub: Hub, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  if (!url.startsWith('/api/') && !url.startsWith('/hooks/')) return;
  res.once('finish', () => {
    if (res.statusCode < 400) return;
    const path = maskPath(url);
    const method = (req.method ?? '?').slice(0, 10);
    const status = res.statusCode;
    if (!limiterOf(log).admit(`${method}\t${path}\t${status}`)) return;
    const err = answeredWith.get(res);
    const line = {
      method,
      path,
      status,
      code: err?.code ?? null,
      reason: (err?.message ?? STATUS_CODES[status] ?? 'error').slice(0, 300),
      client: remoteAddress(req),
    };
    callerLogin(hub, req, url, status).then(
      (caller) => log.warn({ ...line, caller }, `rejected ${method} ${path}: ${status} ${line.reason}`),
      () => log.warn({ ...line, caller: null }, `rejected ${method} ${path}: ${status} ${line.reason}`),
    );
  });
}

/** The path for the log: no query string, a webhook secret cut to 4 characters, at most 200 characters. */
export function maskPath(url: string): string {
  const path = url.split('?')[0]!.split('#')[0]!;
  const masked = path
    .replace(/^\/hooks\/([^/]{4})[^/]*/, '/hooks/$1…')
    .replace(/^\/hooks\/([^/]{0,3})(?=\/|$)/, '/hooks/…');
  const clean = masked.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/** Who called, when the request named a caller the hub knows: a token's owner, or a webhook's bot. */
async function callerLogin(hub: Hub, req: IncomingMessage, url: string, status: number): Promise<string | null> {
  // 401: the token was missing or unknown; 404 on a hook: no such hook. Nobody to name.
  if (status === 401) return null;
  let actor = null;
  const hook = /^\/hooks\/([A-Za-z0-9_-]{1,100})(?:[?#]|$)/.exec(url);
  if (hook) {
    if (status === 404) return null;
    actor = await hub.hookSender(hook[1]!);
  } else {
    const token = bearerToken(req);
    if (!token) return null;
    actor = await hub.authenticateIntegration(token);
  }
  if (!actor) return null;
  const [user] = await hub.getUsers(actor, { ids: [actor.userId] });
  if (!user) return null;
  return actor.isBot ? `bot:${user.login}` : user.login;
}

function limiterOf(log: Logger): RejectionLimiter {
  let limiter = limiters.get(log);
  if (!limiter) {
    limiter = new RejectionLimiter({
      onSuppressed(list, windowMs) {
        for (const { key, count } of list.slice(0, 20)) {
          const [method, path, status] = key === 'other' ? ['*', '*', '*'] : key.split('\t');
          log.warn(
            { method, path, status: Number(status) || null, suppressed: count, windowMs },
            `suppressed ${count} similar rejected requests (${method} ${path}: ${status}) in the last minute`,
          );
        }
        const rest = list.slice(20).reduce((n, s) => n + s.count, 0);
        if (rest > 0)
          log.warn({ suppressed: rest, windowMs }, `suppressed ${rest} more rejected requests of other kinds`);
      },
    });
    limiters.set(log, limiter);
  }
  return limiter;
}
