// An upload refused while its client is still sending (413 file_too_large by Content-Length or
// while streaming, 413 quota_exceeded, 401) must reach a client that does not use
// `Expect: 100-continue` — curl -T or --data-binary, 1C's HTTPСоединение — as the JSON error,
// not as ECONNRESET. The hub used to close right after answering with the body unread, so the
// kernel reset the connection and the client, still writing, often lost the answer. Now it reads
// and drops the rest of the body for a bounded time and byte count (a lingering close) first.
// Raw sockets: the client writes the body as fast as the connection takes it and stops once an
// answer has arrived, as curl does; each case is tried several times because the reset is a race.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadPath } from '../../common/protocol/fileUrls.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';

const maxFile = 1_000_000;
const quota = 3_000_000;
const tries = 10;
let hub: TestHub;
let token: string;

/** What a raw client got: the whole answer (status line, headers, body) or the socket error first. */
interface RawAnswer {
  status: number | null;
  body: string;
  error: string | null;
}

/**
 * POSTs `bodyBytes` of body (chunked when asked) over a raw socket, writing as fast as the
 * connection takes it until the answer has begun, then reads the answer to its Content-Length.
 */
function rawPost(path: string, headers: Record<string, string | number>, bodyBytes: number): Promise<RawAnswer> {
  const chunked = headers['transfer-encoding'] === 'chunked';
  return new Promise((resolve) => {
    const socket = net.connect(hub.port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let error: string | null = null;
    let settled = false;
    const parse = (): RawAnswer | null => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const head = received.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? -1);
      const body = received.subarray(end + 4);
      if (length < 0 || body.length < length) return null;
      return { status, body: body.subarray(0, length).toString('utf8'), error: null };
    };
    const finish = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const answer = parse();
      if (answer) finish(answer);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    socket.on('close', () => finish(parse() ?? { status: null, body: received.toString('latin1'), error }));
    const lines = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${hub.port}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    void (async () => {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const framed = chunked
        ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
        : chunk;
      for (let sent = 0; sent < bodyBytes && received.length === 0 && !socket.destroyed; sent += chunk.length) {
        if (!socket.write(framed))
          await new Promise<void>((r) => {
            socket.once('drain', r);
            socket.once('close', r);
            socket.once('data', r);
          });
      }
    })();
  });
}

beforeAll(async () => {
  hub = await startHub({ args: ['--max-file-bytes', String(maxFile), '--file-quota-bytes', String(quota)] });
  const u = await hub.addUser('anna', 'anna');
  token = (await hub.login('anna', u.password)).token;
});
afterAll(async () => {
  await hub?.stop();
});

async function expectAnswered(make: () => Promise<RawAnswer>, status: number, code: string): Promise<void> {
  const failures: string[] = [];
  for (let i = 0; i < tries; i++) {
    const answer = await make();
    if (answer.status !== status) failures.push(`try ${i + 1}: ${answer.error ?? 'no error'}, got ${answer.status}`);
    else expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBe(code);
  }
  expect(failures).toEqual([]);
}

const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' });

describe('an upload refused while the client is still sending', () => {
  it('413 file_too_large by Content-Length reaches the client', async () => {
    const size = 6 * maxFile;
    await expectAnswered(
      () => rawPost(uploadPath('большой.iso'), { ...auth(), 'content-length': size }, size),
      413,
      'file_too_large',
    );
  });

  it('413 file_too_large while streaming a chunked body reaches the client', async () => {
    await expectAnswered(
      () => rawPost(uploadPath('поток.bin'), { ...auth(), 'transfer-encoding': 'chunked' }, 6 * maxFile),
      413,
      'file_too_large',
    );
  });

  it('413 quota_exceeded reaches the client', async () => {
    // 0.9 MB stored three times over fills most of the 3 MB quota; the next one passes it.
    for (let i = 0; i < 3; i++) {
      const res = await fetch(hub.url + uploadPath(`часть${i}.bin`), {
        method: 'POST',
        headers: auth(),
        body: Buffer.alloc(900_000, i),
      });
      expect(res.status).toBe(201);
    }
    const size = 900_000;
    await expectAnswered(
      () => rawPost(uploadPath('сверх.bin'), { ...auth(), 'content-length': size }, size),
      413,
      'quota_exceeded',
    );
  });

  it('401 for a wrong token reaches the client', async () => {
    const size = 6 * maxFile;
    await expectAnswered(
      () =>
        rawPost(uploadPath('чужой.bin'), { authorization: `Bearer ${'x'.repeat(40)}`, 'content-length': size }, size),
      401,
      'unauthorized',
    );
  });

  it('the lingering is bounded: a client that stops sending but stays connected is closed after the answer', async () => {
    const socket = net.connect(hub.port, '127.0.0.1');
    socket.on('error', () => {});
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (received += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST ${uploadPath('застрял.bin')} HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Length: ${6 * maxFile}\r\n\r\n`,
    );
    socket.write(Buffer.alloc(100_000));
    await closed; // the hub closes it (after lingerMs), the client never does
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/connection: close/i);
    expect(received).toContain('"file_too_large"');
  });

  it('the lingering is bounded: a client that ignores the answer and keeps sending is cut off', async () => {
    const socket = net.connect(hub.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (received += d));
    socket.on('error', () => {});
    const total = 256 * 1024 * 1024;
    socket.write(
      `POST ${uploadPath('упрямый.bin')} HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Length: ${total}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(256 * 1024);
    let sent = 0;
    while (sent < total && !socket.destroyed) {
      sent += chunk.length;
      if (!socket.write(chunk))
        await new Promise<void>((r) => {
          socket.once('drain', r);
          socket.once('close', r);
        });
    }
    // The answer was sent first, but a client that keeps sending past the bound is reset, and a
    // reset drops what its kernel still held unread: on a busy machine the answer can be lost with
    // it. That is the price of ignoring the answer; what must hold is that nothing else came.
    if (received !== '') expect(received).toMatch(/^HTTP\/1\.1 413 [^]*"file_too_large"/);
    // Far less than the body was taken: the hub stopped reading after a few MiB (plus what socket buffers held).
    expect(sent).toBeLessThan(total);
  });

  it('the hub still serves afterwards', async () => {
    const res = await fetch(hub.url + uploadPath('после.txt'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'жив',
    });
    expect(res.status).toBe(201);
  });
});
