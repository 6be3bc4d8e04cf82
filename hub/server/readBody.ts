import type { IncomingMessage } from 'node:http';
import { HubError } from '../ops/HubError.ts';
import { mediaType, requireJsonBody } from './httpJson.ts';

/** Largest body the integration endpoints read (as the rest of the HTTP API). */
const maxBodyBytes = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON body as integrations send it: UTF-8 with or without a byte-order mark (1C's
 * `ЗаписьJSON` may write one), declared `Content-Type: application/json` (else 415, before the
 * body is read). With `form` (Slack-style webhooks), also a form body's `payload=` field, with a
 * form content type, a plain-text one or none; JSON itself still needs the JSON type there.
 */
export async function readBody(req: IncomingMessage, options: { form?: boolean } = {}): Promise<unknown> {
  if (!options.form) requireJsonBody(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new HubError('too_long', `request body is larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  let text: string;
  try {
    text = stripBom(utf8.decode(Buffer.concat(chunks)));
  } catch {
    throw new HubError('bad_request', 'request body is not UTF-8 text');
  }
  const type = mediaType(req);
  if (options.form && type === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload !== null) return parse(stripBom(payload));
    throw new HubError('bad_request', 'a form body needs a "payload" field holding JSON');
  }
  // Slack compatibility: `payload=<json>` with no (or a plain-text) content type, as written or URL-encoded.
  if (options.form && !type.includes('json') && text.startsWith('payload=')) {
    try {
      return JSON.parse(text.slice('payload='.length));
    } catch {
      const payload = new URLSearchParams(text).get('payload');
      if (payload !== null) return parse(payload);
    }
  }
  // An empty body is "bad request" whatever its type; anything else must say it is JSON.
  if (text.trim() !== '' && type !== 'application/json') requireJsonBody(req);
  return parse(text);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parse(text: string): unknown {
  if (text.trim() === '') throw new HubError('bad_request', 'request body is empty; JSON expected');
  try {
    return JSON.parse(text);
  } catch {
    throw new HubError('bad_request', 'request body is not valid JSON');
  }
}
