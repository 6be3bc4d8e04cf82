import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubError } from '../ops/HubError.ts';
import { writeErrorHead } from './httpJson.ts';

/**
 * Longest the rest of a refused body is read after the answer: time for the client to read the
 * answer and stop sending (curl stops once it reads an error with `Connection: close`), even
 * over a slow branch-office link, without holding a connection for long.
 */
export const lingerMs = 5000;
/**
 * Most bytes of a refused body read (and dropped) after the answer: more than what normally sits
 * in the two sides' socket buffers when the client notices the answer (a few MiB with Linux's
 * and Windows' autotuning), little enough that a client ignoring the answer costs the hub next
 * to nothing (no disk, a few milliseconds of reads).
 */
export const lingerBytes = 8 * 1024 * 1024;

/**
 * Answers an error to a request whose body is still arriving (an upload refused by its
 * Content-Length, a quota, a bad token), then closes the connection as nginx's lingering close
 * does. Closing at once with unread bytes makes the kernel reset the connection, and a client
 * still writing — one that does not wait for `100 Continue`: curl -T or --data-binary, 1C's
 * HTTPСоединение — then often gets ECONNRESET/EPIPE instead of the JSON answer. So the answer is
 * sent whole, the rest of the body read and dropped until it ends, {@link lingerBytes} have been
 * read or {@link lingerMs} have passed, and only then the response ended (`Connection: close`:
 * Node closes the connection).
 */
export function sendErrorLingering(req: IncomingMessage, res: ServerResponse, err: HubError): void {
  res.write(writeErrorHead(req, res, err, { connection: 'close' }));
  let read = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    req.off('close', finish);
    res.off('close', finish);
    res.end();
  };
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > lingerBytes) finish();
  };
  const timer = setTimeout(finish, lingerMs);
  timer.unref();
  req.on('data', onData);
  req.once('end', finish);
  req.once('close', finish);
  res.once('close', finish);
  req.resume();
}
