import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import type { Logger } from 'pino';
import { describeIssues } from '../../common/protocol/clientFrame.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { HttpRoute } from './HttpRoute.ts';
import { bearerToken } from './httpJson.ts';
import { FormAbortedError } from './readMultipart.ts';

/** Wraps a route's handler so an unexpected failure is logged by route name and answered as `internal`. */
export type RouteMaker = (
  method: HttpRoute['method'],
  path: RegExp,
  name: string,
  handle: (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) => Promise<void>,
) => HttpRoute;

/** Finds the authenticated integration (bot token or password session) behind a request. */
export type Caller = (req: IncomingMessage) => Promise<Actor>;

/** The integration routes' {@link RouteMaker}: failures logged by route name, never by path (it may hold a secret). */
export function routeMaker(log: Logger): RouteMaker {
  return (method, path, name, handle) => ({
    method,
    path,
    async handle(req, res, match) {
      try {
        await handle(req, res, match);
      } catch (err) {
        if (err instanceof HubError) throw err;
        if (err instanceof FormAbortedError) {
          // The client went away mid-form: what it sent is gone or an orphan, and nobody is left to answer.
          log.info({ route: name }, 'form aborted by the client');
          res.destroy();
          return;
        }
        // Logged by route name: the server's own log line would carry the path, and with it a secret.
        log.error({ err, route: name }, 'integration request failed');
        throw new HubError('internal', 'internal error');
      }
    },
  });
}

/** The {@link Caller} of the HTTP API: a bearer token (or a password session), never an embed link's session. */
export function callerOf(hub: Hub): Caller {
  return async (req) => {
    const token = bearerToken(req);
    const actor = token ? await hub.authenticateIntegration(token) : null;
    if (!actor)
      throw new HubError('unauthorized', 'missing, unknown or revoked token: send "Authorization: Bearer <token>"');
    if (actor.chatOnly)
      throw new HubError(
        'forbidden',
        'this session came from an embed link: it may chat (WebSocket), not use the HTTP API; sign in with a password or use a bot token',
      );
    return actor;
  };
}

/** A body checked against its schema; `bad_request` naming what is wrong. */
export function parse<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (!result.success) throw new HubError('bad_request', describeIssues(result.issues));
  return result.output;
}

/** A path segment, URL-decoded (`what` names it in the error). */
export function pathSegment(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HubError('bad_request', `the ${what} in the address is not valid URL encoding`);
  }
}

/** Reads and discards a body nobody needs, so the connection can carry the next request. */
export async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HubError('too_long', 'request body is too large');
  }
}
