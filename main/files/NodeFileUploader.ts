import http from 'node:http';
import https from 'node:https';
import type { FileUploader, UploadRequest, UploadTask } from '../../common/client/FileUploader.ts';

/** Bytes per write: progress is reported as each is handed to the socket. */
const chunkBytes = 256 * 1024;
/** The hub's answer to an upload is a small JSON object; anything longer is not read whole. */
const maxAnswerBytes = 1024 * 1024;

/**
 * Uploads with node:http/https (the desktop app's main process, and Node tests): the file as the
 * raw body with its Content-Length, written in chunks so progress follows what the socket took.
 * No redirects are followed (the token must not go to another address).
 */
export class NodeFileUploader implements FileUploader {
  start(request: UploadRequest): UploadTask {
    let abort: () => void = () => undefined;
    const done = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const url = new URL(request.url);
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${request.token}`,
          'content-type': request.type,
          'content-length': String(request.bytes.length),
        },
      });
      let settled = false;
      let answered = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      abort = () => {
        fail(new Error('the upload was aborted'));
        req.destroy();
      };
      // Once the hub answered, a write error (it closed the connection on a refused body) is no news.
      req.on('error', (err) => {
        if (!answered) fail(err);
      });
      req.on('response', (res) => {
        // The hub may answer (413, 401) before the body is sent: no more of it is written then.
        answered = true;
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length <= maxAnswerBytes) chunks.push(chunk);
        });
        const finish = () => {
          if (settled) return;
          settled = true;
          let body: unknown = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            // Not the hub's JSON (a proxy's page, or cut short): the status alone says what happened.
          }
          resolve({ status: res.statusCode ?? 0, body });
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', () => undefined);
      });
      writeBody(req, request.bytes, request.onProgress, () => settled || answered);
    });
    return { done, abort: () => abort() };
  }
}

/** Writes the body chunk by chunk, waiting for the socket to drain, reporting what was handed over. */
function writeBody(
  req: http.ClientRequest,
  bytes: Uint8Array,
  onProgress: (loaded: number) => void,
  stopped: () => boolean,
): void {
  let offset = 0;
  const next = (): void => {
    while (offset < bytes.length) {
      if (stopped() || req.destroyed) return;
      const end = Math.min(offset + chunkBytes, bytes.length);
      const chunk = bytes.subarray(offset, end);
      offset = end;
      const written = offset;
      const more = req.write(chunk, () => onProgress(written));
      if (!more) {
        req.once('drain', next);
        return;
      }
    }
    if (!stopped() && !req.destroyed) req.end();
  };
  next();
}
