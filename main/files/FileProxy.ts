import { appOrigin } from '../security/appProtocol.ts';
import type { Log } from '../log/Log.ts';
import { hubFileRequest, type HubAccess } from './hubFileRequest.ts';
import { parseFileSchemeUrl } from './parseFileSchemeUrl.ts';

/** A request of the page for a `beseda-file://` address (Electron's `protocol.handle` request). */
export interface FileSchemeRequest {
  url: string;
  method: string;
  headers: { get(name: string): string | null };
  /** Aborted when the page no longer wants the answer. */
  signal?: AbortSignal;
  /** The origin of the web content that made the request; absent when the browser made it itself. */
  initiatorOrigin?: string | null;
}

/** What {@link FileProxy} needs. */
export interface FileProxyDeps {
  /** The signed-in hub and token now; null when signed out. */
  access(): HubAccess | null;
  /** Node's fetch (the same stack as the client core's requests). */
  fetch(url: string, init: RequestInit): Promise<Response>;
  log: Log;
  /** How long the hub may take to start answering (the body then streams for as long as it takes). */
  answerTimeoutMs?: number;
}

/** Request headers passed on to the hub: ranges and revalidation, nothing the page could abuse. */
const forwardedRequestHeaders = ['range', 'if-range', 'if-none-match'];
/** The hub's answer headers the page gets: the body's description and the hub's safety headers. */
const forwardedResponseHeaders = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'cache-control',
  'content-disposition',
  'content-security-policy',
  'referrer-policy',
];

const refused = (status = 404) => new Response(null, { status, headers: { 'x-content-type-options': 'nosniff' } });

/**
 * Serves the desktop page's `beseda-file://file/<id>/<variant>` requests from the hub: the address
 * is checked strictly ({@link parseFileSchemeUrl}), only GETs by our own page are served, the hub
 * is asked with the session's token (the page never sees it nor the hub's address), and its answer
 * is streamed back — status, body, and the hub's safety headers (`nosniff`, the sandboxing CSP,
 * `Content-Disposition`) — never held whole in memory. Everything else is a 404.
 */
export class FileProxy {
  constructor(private readonly deps: FileProxyDeps) {}

  /** The answer to one request (never throws). */
  async handle(request: FileSchemeRequest): Promise<Response> {
    const target = parseFileSchemeUrl(request.url);
    // Only our page loads files: not another origin, nor the browser on its own (downloads, prefetch).
    if (!target || request.method !== 'GET' || request.initiatorOrigin !== appOrigin) return refused();
    const access = this.deps.access();
    if (!access) return refused();
    const hub = hubFileRequest(access, target.fileId, target.variant);
    for (const name of forwardedRequestHeaders) {
      const value = request.headers.get(name);
      if (value !== null) hub.headers[name] = value;
    }
    // Node's fetch would undo a compression and leave the hub's Content-Length wrong.
    hub.headers['accept-encoding'] = 'identity';
    const answering = new AbortController();
    const timer = setTimeout(() => answering.abort(), this.deps.answerTimeoutMs ?? 30_000);
    const signal = request.signal ? AbortSignal.any([request.signal, answering.signal]) : answering.signal;
    let answer: Response;
    try {
      answer = await this.deps.fetch(hub.url, { method: 'GET', headers: hub.headers, redirect: 'manual', signal });
    } catch (err) {
      this.deps.log.warn('a file could not be fetched from the hub', {
        variant: target.variant,
        error: answering.signal.aborted ? 'no answer in time' : (err as Error).message,
      });
      return refused(answering.signal.aborted ? 504 : 502);
    } finally {
      clearTimeout(timer);
    }
    const headers = new Headers({ 'x-content-type-options': 'nosniff' });
    for (const name of forwardedResponseHeaders) {
      const value = answer.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    // A file's bytes pass through as they arrive; an error's JSON or a redirect is not the page's business.
    const ok = answer.status === 200 || answer.status === 206;
    if (!ok) await answer.body?.cancel().catch(() => undefined);
    const status = ok || (answer.status >= 300 && answer.status <= 599) ? answer.status : 502;
    return new Response(ok ? answer.body : null, { status, headers });
  }
}
