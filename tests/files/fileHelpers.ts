// Shared by the file tests: signed-in people, upload and fetch through the real hub's HTTP endpoints.
import type { ClientRequest } from 'node:http';
import { rssOf } from '../../bench/procStats.ts';
import type { FileRef } from '../../common/protocol/model.ts';
import { filePath, type FileVariant, uploadPath } from '../../common/protocol/fileUrls.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

/** A signed-in user with an open socket and the session's download key (hello.fileKey). */
export interface Person {
  id: number;
  token: string;
  socket: TestSocket;
  key: string;
}

/** Adds a user named after the login, signs in and opens a socket. */
export async function person(hub: TestHub, login: string): Promise<Person> {
  const u = await hub.addUser(login, login);
  const { token } = await hub.login(login, u.password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  return { id: u.id, token, socket, key: socket.hello.fileKey };
}

/** What an upload answered. */
export interface UploadAnswer {
  status: number;
  file?: FileRef;
  error?: { code: string; message: string };
}

/** Uploads bytes as one file with a bearer token. */
export async function upload(
  hub: TestHub,
  token: string,
  name: string,
  bytes: Uint8Array | string,
  type = 'application/octet-stream',
): Promise<UploadAnswer> {
  const res = await fetch(hub.url + uploadPath(name), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
  });
  const body = (await res.json()) as { file?: FileRef; error?: { code: string; message: string } };
  return { status: res.status, ...body };
}

/** Fetches a file by bearer token or download key. */
export function download(
  hub: TestHub,
  fileId: string,
  auth: { token?: string; key?: string },
  variant: FileVariant = 'download',
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(hub.url + filePath(fileId, variant, auth.key), {
    headers: { ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}), ...headers },
  });
}

/** A client id for send frames. */
export function cid(tag: string): string {
  return `${tag}-${Math.random().toString(36).slice(2, 12)}`.padEnd(8, 'x');
}

/** A process's resident memory sampled every 100 ms from /proc: what it was at the start, and the peak until stopped. */
export interface RssSampler {
  /** The resident set (bytes) when sampling began. */
  readonly start: number;
  /** Stops sampling; the highest resident set seen (bytes), a last sample included. */
  stop(): number;
}

/** Samples a process's resident set (the hub's, while a big file streams) until stopped. */
export function sampleRss(pid: number): RssSampler {
  const start = rssOf(pid);
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 100);
  return {
    start,
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssOf(pid));
    },
  };
}

/** The status and text the hub answers a request streamed with node:http (the big-upload tests write the body themselves). */
export function answerOf(req: ClientRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
  });
}

/** Writes a chunk of a streamed request body, waiting for 'drain' when the socket's buffer is full. */
export async function writeChunk(req: ClientRequest, chunk: Buffer): Promise<void> {
  if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
}
