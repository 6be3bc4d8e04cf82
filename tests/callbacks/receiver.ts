import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in for 1C received: its headers and the exact body bytes. */
export interface Received {
  headers: IncomingMessage['headers'];
  raw: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** What the receiver answered (status). */
  status: number;
}

/** How the stand-in answers one request: a status and a body, or it handles the response itself. */
export type Answerer = (req: Received, res: ServerResponse) => { status: number; body?: string } | 'manual';

/** A real HTTP server standing in for 1C's HTTP service; records what it got. */
export async function startReceiver(answer: Answerer = () => ({ status: 200, body: '{}' })) {
  const received: Received[] = [];
  let answerer = answer;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = null;
      }
      const r: Received = { headers: req.headers, raw, body, status: 0 };
      received.push(r);
      const a = answerer(r, res);
      if (a === 'manual') return;
      r.status = a.status;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/beseda`,
    received,
    setAnswer(a: Answerer) {
      answerer = a;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Verifies a call as a receiver must (docs/protocol.md, "Calls to bots"): the HMAC-SHA256 of
 * `<timestamp>.<raw body>` with the secret equals the signature, the timestamp is within 300 s,
 * the delivery id was not seen before (`seen`, when given).
 */
export function verifyCall(
  secret: string,
  headers: IncomingMessage['headers'],
  raw: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
  seen?: Set<string>,
): boolean {
  const timestamp = String(headers['x-beseda-timestamp'] ?? '');
  const signature = String(headers['x-beseda-signature'] ?? '');
  const delivery = String(headers['x-beseda-delivery'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  if (seen) {
    if (seen.has(delivery)) return false;
    seen.add(delivery);
  }
  return true;
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 60_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
