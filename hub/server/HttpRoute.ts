import type { IncomingMessage, ServerResponse } from 'node:http';

/** One HTTP API route. Handlers throw HubError for expected failures; the router answers JSON. */
export interface HttpRoute {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** Matched against the path (without query). */
  path: RegExp;
  handle(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray): Promise<void>;
}
