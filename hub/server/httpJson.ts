import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { HubError } from '../ops/HubError.ts';
import { normalizeAddress, rememberedClientAddress } from './clientAddress.ts';
import { hookErrorText, isHookPath } from './hookErrorText.ts';
import { apiCookieToken } from './sessionCookie.ts';

/** Largest JSON body the HTTP API reads. */
const maxBodyBytes = 64 * 1024;

/** HTTP status for each protocol error code. */
const statusFor: Record<string, number> = {
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.TooLong]: 413,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.BadCredentials]: 401,
  [ErrorCode.WeakPassword]: 400,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.AccountDisabled]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.FileTooLarge]: 413,
  [ErrorCode.QuotaExceeded]: 413,
  [ErrorCode.StorageFull]: 507,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Internal]: 500,
};

/**
 * Headers every API response carries, answers and errors alike: never cached (they hold tokens
 * and people's data) and never sniffed into another type (a browser must not run JSON as HTML).
 */
export const apiHeaders: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** A refusal with an HTTP status of its own (415) under a protocol error code. */
export class HttpStatusError extends HubError {
  constructor(
    readonly status: number,
    code: HubError['code'],
    message: string,
  ) {
    super(code, message);
  }
}

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.end(writeJsonHead(res, status, body, headers));
}

/** Writes a JSON response's status and headers; returns the body for the caller to send. */
export function writeJsonHead(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): string {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...apiHeaders,
    'content-length': Buffer.byteLength(data),
    ...headers,
  });
  return data;
}

/** Writes `{error: {code, message, retryAfterMs?}}` with the status that fits the code. */
export function sendError(res: ServerResponse, err: HubError): void {
  const { status, body, headers } = errorAnswer(err);
  sendJson(res, status, body, headers);
}

/**
 * Writes an error's status and headers and returns its body for the caller to send: JSON, or for
 * a webhook post (`/hooks/…`) plain text as Slack answers ({@link hookErrorText}), with the same
 * status and headers (`Retry-After` included).
 */
export function writeErrorHead(
  req: IncomingMessage,
  res: ServerResponse,
  err: HubError,
  headers: Record<string, string> = {},
): string {
  const answer = errorAnswer(err);
  if (!isHookPath(req.url)) return writeJsonHead(res, answer.status, answer.body, { ...answer.headers, ...headers });
  const text = hookErrorText(err);
  res.writeHead(answer.status, {
    'content-type': 'text/plain; charset=utf-8',
    ...apiHeaders,
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
    ...headers,
  });
  return text;
}

/** The status, JSON body and extra headers {@link sendError} writes for an error. */
export function errorAnswer(err: HubError): { status: number; body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const status = err instanceof HttpStatusError ? err.status : (statusFor[err.code] ?? 500);
  const retryAfter = retryAfterSeconds(status, err);
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.retryAfterMs !== undefined) error.retryAfterMs = err.retryAfterMs;
  return { status, body: { error }, headers };
}

/**
 * The `Retry-After` seconds (an integer, at least 1) of an answer: every 429 and 503 carries one,
 * so 1C's and other integrations' retry loops know how long to wait (the error's own wait rounded
 * up; else 1 s for a rate limit, 5 s for a hub that is busy or restarting). Undefined for other
 * statuses unless the error names a wait.
 */
export function retryAfterSeconds(status: number, err: Pick<HubError, 'retryAfterMs'>): number | undefined {
  if (err.retryAfterMs !== undefined) return Math.max(1, Math.ceil(err.retryAfterMs / 1000));
  if (status === 429) return 1;
  if (status === 503) return 5;
  return undefined;
}

/** The media type of a request body, lower-cased, without parameters ("" when none is given). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Refuses (415) a body not sent as `Content-Type: application/json` (a charset may follow),
 * before reading it. A page on another site can post a form or plain text to the hub without
 * asking, but not JSON: so no other page can sign someone in or call the API in their name.
 */
export function requireJsonBody(req: IncomingMessage): void {
  if (mediaType(req) === 'application/json') return;
  const given = req.headers['content-type'];
  throw new HttpStatusError(
    415,
    ErrorCode.BadRequest,
    `send the body as JSON with "Content-Type: application/json" (got ${given ? `"${given.slice(0, 60)}"` : 'none'})`,
  );
}

/**
 * Reads a request body as JSON (or as a form's `payload=` field when `form` is allowed),
 * refusing anything too large or malformed with a HubError. Without `form`, the body must be
 * declared JSON ({@link requireJsonBody}).
 */
export async function readJson(req: IncomingMessage, options: { form?: boolean } = {}): Promise<unknown> {
  if (!options.form) requireJsonBody(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new HubError(ErrorCode.TooLong, `request body is larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = mediaType(req);
  if (options.form && type !== 'application/json') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload !== null) return parse(payload);
    if (type === 'application/x-www-form-urlencoded')
      throw new HubError(ErrorCode.BadRequest, 'form body needs a "payload" field holding JSON');
  }
  return parse(text);
}

function parse(text: string): unknown {
  if (text.trim() === '') throw new HubError(ErrorCode.BadRequest, 'request body is empty; JSON expected');
  try {
    return JSON.parse(text);
  } catch {
    throw new HubError(ErrorCode.BadRequest, 'request body is not valid JSON');
  }
}

/** The bearer token of a request, if any; else the web client's session cookie when the page asked for it (CSRF-safe). */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return apiCookieToken(req);
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,256})$/i.exec(header.trim());
  return match ? match[1]! : null;
}

/**
 * The client address, for throttling, logs and access checks: the one worked out as the request
 * arrived (the socket's peer, or from `X-Forwarded-For` when the peer is a trusted proxy: see
 * clientAddress.ts), else the socket's peer.
 */
export function remoteAddress(req: IncomingMessage): string {
  return rememberedClientAddress(req) ?? normalizeAddress(req.socket.remoteAddress ?? 'unknown');
}
