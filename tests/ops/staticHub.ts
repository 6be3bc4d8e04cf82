// A real hub serving a web-client folder of the test's own (--web-root), and a raw HTTP request
// that sends exactly the headers given and returns the body as it came over the wire: fetch()
// would add its own Accept-Encoding and decode the body, hiding what the hub sent.
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hubBundle } from '../helpers/startHub.ts';
import { spawnServe, type ServeProcess } from '../hub/serveProcess.ts';

/** A running hub and how to stop it. */
export interface StaticHub {
  port: number;
  stop(): Promise<void>;
}

/** Starts `beseda-hub serve` on an ephemeral port with `webRoot` as its web client. */
export async function startStaticHub(webRoot: string): Promise<StaticHub> {
  const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-static-'));
  const hub: ServeProcess = spawnServe(process.execPath, [
    hubBundle,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data',
    data,
    '--scrypt-n',
    '1024',
    '--web-root',
    webRoot,
  ]);
  const port = await hub.listening;
  return {
    port,
    async stop() {
      if (hub.child.exitCode !== null || hub.child.signalCode !== null) return;
      hub.child.kill('SIGTERM');
      await hub.exited;
    },
  };
}

/** One answer as it came over the wire. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes exactly as sent (still compressed when the hub compressed them). */
  body: Buffer;
}

/** Sends one request with only `headers` (plus Host) and the raw `rawPath` (no normalisation of `..`). */
export function rawRequest(
  port: number,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
