import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CallbackRules } from './callbackRules.ts';

/** The largest answer read from a bot: 64 KiB (a bigger one is cut off and counts as a failure). */
export const maxAnswerBytes = 64 * 1024;

/** Why a call failed, short and without secrets (log lines and metric labels). */
export class CallbackFailure extends Error {
  override name = 'CallbackFailure';
  constructor(
    /** `refused` (address rules), `timeout`, `redirect`, `status`, `too_large`, `network`. */
    readonly reason: 'refused' | 'timeout' | 'redirect' | 'status' | 'too_large' | 'network',
    message: string,
  ) {
    super(message);
  }
}

/** One call: where, what, and the headers (signature included). */
export interface CallbackRequest {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the call (the hub is closing); it then fails as `network`. */
  signal?: AbortSignal;
}

/**
 * POSTs once and resolves to the 2xx answer's body; anything else throws CallbackFailure. The
 * address is checked where it is used: a custom `lookup` vets every address DNS returns, at
 * connect time, so a name that resolves to 127.0.0.1 (or re-resolves after the URL check, "DNS
 * rebinding") is refused. Redirects are never followed (3xx fails): a redirect to an internal
 * address would bypass the rules.
 */
export function postCallback(rules: CallbackRules, request: CallbackRequest): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const url = new URL(request.url);
    const problem = rules.checkUrl(request.url);
    if (problem) return reject(new CallbackFailure('refused', problem));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const lookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, '', 0);
        const bad = addresses.find((a) => !rules.addressAllowed(a.address, host));
        if (bad || addresses.length === 0) {
          const error = new CallbackFailure(
            'refused',
            `${hostname} resolves to an internal address ${bad?.address ?? ''}`,
          );
          return callback(error as NodeJS.ErrnoException, '', 0);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    };
    const client = url.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (err: Error | null, value?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err instanceof CallbackFailure ? err : new CallbackFailure('network', err.message));
      else resolve(value!);
    };
    const req = client.request(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(request.body.length) },
      lookup,
      agent: false,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    // One deadline for the whole call (connect, send, answer), not an idle timeout per read.
    const timer = setTimeout(() => {
      finish(new CallbackFailure('timeout', `no answer within ${request.timeoutMs} ms`));
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (err) => finish(err));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.destroy();
        return finish(new CallbackFailure('redirect', `answered ${status} (redirects are not followed)`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxAnswerBytes) {
          finish(new CallbackFailure('too_large', `answer larger than ${maxAnswerBytes} bytes`));
          res.destroy();
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => finish(err));
      res.on('end', () => {
        if (status < 200 || status >= 300) finish(new CallbackFailure('status', `answered ${status}`));
        else finish(null, Buffer.concat(chunks).toString('utf8'));
      });
    });
    req.end(request.body);
  });
}
