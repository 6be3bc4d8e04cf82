// Helpers of the proxy, TLS reload and nginx tests: HTTP(S) requests from a chosen local address
// (127.0.0.2 is "another machine" for a hub that trusts only 127.0.0.1), a protocol socket over
// ws or wss with the same options, test certificates from openssl, and the hub's JSON log lines.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import WebSocket from 'ws';
import { subprotocolFor, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';

/** How a test request is made: from which local address, trusting which certificate, with which headers. */
export interface Via {
  localAddress?: string;
  ca?: Buffer | Buffer[];
  headers?: Record<string, string>;
}

/** A whole answer. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The server certificate's SHA-256 fingerprint (https only). */
  fingerprint256?: string;
}

/** One request with a body read whole; https when the URL says so. */
export function request(url: string, options: Via & { method?: string; body?: string | Buffer } = {}): Promise<Answer> {
  const secure = url.startsWith('https:');
  const lib = secure ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        localAddress: options.localAddress,
        agent: false,
        ...(secure ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        const fingerprint256 = secure ? (res.socket as tls.TLSSocket).getPeerCertificate().fingerprint256 : undefined;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), fingerprint256 }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Signs in over HTTP(S) and returns the session token (throws with the answer otherwise). */
export async function signIn(base: string, login: string, password: string, via: Via = {}): Promise<string> {
  const answer = await request(`${base}/api/v1/login`, {
    ...via,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...via.headers },
    body: JSON.stringify({ login, password }),
  });
  if (answer.status !== 200) throw new Error(`login ${login}: ${answer.status} ${answer.body.toString()}`);
  return (JSON.parse(answer.body.toString()) as { token: string }).token;
}

/** The certificate fingerprint a fresh TLS connection to 127.0.0.1:port is shown. */
export function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

/** A protocol socket over ws or wss: hello, requests with replies, waiting for events. */
export class ProtocolSocket {
  readonly frames: ServerFrame[] = [];
  private nextId = 1;
  private waiters: { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  /** Settles when the socket closes, with its code. */
  readonly closed: Promise<number>;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      const matched = this.waiters.filter((w) => w.match(frame));
      this.waiters = this.waiters.filter((w) => !matched.includes(w));
      for (const w of matched) w.resolve(frame);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  /** Opens `wsUrl` with the token and waits for hello; rejects with the HTTP status of a refusal. */
  static async open(wsUrl: string, token: string, via: Via = {}): Promise<ProtocolSocket> {
    const ws = new WebSocket(wsUrl, [subprotocolFor(1), tokenSubprotocolPrefix + token], {
      headers: via.headers ?? {},
      localAddress: via.localAddress,
      ...(via.ca ? { ca: via.ca } : {}),
    });
    const socket = new ProtocolSocket(ws);
    const hello = socket.next('hello');
    hello.catch(() => {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
      );
    });
    await hello;
    return socket;
  }

  get hello(): Extract<ServerFrame, { type: 'hello' }> {
    return this.frames.find((f) => f.type === 'hello') as Extract<ServerFrame, { type: 'hello' }>;
  }

  /** Sends a request; resolves with its result, rejects on an error frame. */
  async request<T = Record<string, unknown>>(type: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = `r${this.nextId++}`;
    const reply = this.wait((f) => (f.type === 'result' || f.type === 'error') && f.id === id);
    this.ws.send(JSON.stringify({ type, id, ...params }));
    const frame = await reply;
    if (frame.type === 'error') throw new Error(`${frame.code}: ${frame.message}`);
    return (frame as Extract<ServerFrame, { type: 'result' }>).result as T;
  }

  /** The next frame of a type that matches (one already received counts too). */
  next<T extends ServerFrame['type']>(
    type: T,
    match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const test = (f: ServerFrame) => f.type === type && match(f as Extract<ServerFrame, { type: T }>);
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen as Extract<ServerFrame, { type: T }>);
    return this.wait(test) as Promise<Extract<ServerFrame, { type: T }>>;
  }

  /** Generous: a frame that never comes is what is caught, not a slow one. */
  private wait(match: (f: ServerFrame) => boolean, timeoutMs = 30_000): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error('timed out waiting for a frame'));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (f: ServerFrame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** A self-signed certificate for 127.0.0.1 (`days` < 0: already expired); returns the file paths. */
export function makeCertificate(dir: string, name: string, days = 2): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const quiet = { stdio: 'ignore' as const };
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], quiet);
  execFileSync('openssl', ['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', csr], quiet);
  const ext = path.join(dir, `${name}.ext`);
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > "${ext}"`], quiet);
  execFileSync(
    'openssl',
    ['x509', '-req', '-in', csr, '-signkey', key, '-days', String(days), '-extfile', ext, '-out', cert],
    quiet,
  );
  return { cert, key };
}

/** The SHA-256 fingerprint of a PEM certificate file, as Node prints it (AA:BB:…). */
export function fingerprintOf(certFile: string): string {
  return new X509Certificate(readFileSync(certFile)).fingerprint256;
}

/** The hub's JSON log lines among its output. */
export function logLines(output: readonly string[]): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of output) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a log line
    }
  }
  return lines;
}

/** A TCP port free right now on 127.0.0.1 (for programs that cannot be told to pick one themselves). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Waits until the hub has logged a line that matches (its output arrives through a pipe, possibly
 * after the answer that caused it); returns the line, or undefined after `timeoutMs`.
 */
export async function waitForLog(
  output: readonly string[],
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 15_000,
): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = logLines(output).find(match);
    if (line || Date.now() > deadline) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
}
