// What an upload's answer means to the outbox, against a real HTTP server that answers as a hub, a
// proxy or a stuck upstream would; and how often upload progress reaches the state.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileUploader, UploadRequest } from '../../common/client/FileUploader.ts';
import { MemoryFileStash } from '../../common/client/MemoryFileStash.ts';
import type { OutboxEntry } from '../../common/client/OutboxEntry.ts';
import { recoveryFor } from '../../common/client/outboxErrors.ts';
import { OutboxUploads } from '../../common/client/OutboxUploads.ts';
import { RequestError } from '../../common/client/RequestError.ts';
import { globalTimers, type Timers } from '../../common/client/Timers.ts';
import { uploadFile } from '../../common/client/uploadFile.ts';
import { NodeFileUploader } from '../../main/files/NodeFileUploader.ts';

const fileRef = { id: `f${'b'.repeat(22)}`, name: 'a.bin', size: 3, type: 'application/octet-stream', kind: 'file' };

/** Answers by the `name` query parameter, like the different things that may sit where the hub should be. */
let server: http.Server;
let base = '';
const received: { name: string; bytes: number; auth: string | undefined; type: string | undefined }[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').searchParams.get('name') ?? '';
    if (name === 'stuck') return; // never answers, never reads
    if (name === 'early413') {
      // A proxy that refuses from the headers, before the body.
      res.writeHead(413, { 'content-type': 'text/html' });
      res.end('<html>Request Entity Too Large</html>');
      return;
    }
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push({ name, bytes, auth: req.headers.authorization, type: req.headers['content-type'] });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (name === 'ok') json(201, { file: { ...fileRef, size: bytes } });
      else if (name === 'odd') json(201, { file: { id: 'nope' } });
      else if (name === 'quota') json(413, { error: { code: 'quota_exceeded', message: 'daily quota used up' } });
      else if (name === 'full') json(507, { error: { code: 'storage_full', message: 'disk full' } });
      else if (name === 'busy')
        json(429, { error: { code: 'rate_limited', message: 'slow down', retryAfterMs: 1234 } });
      else if (name === 'gateway') {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad Gateway</html>');
      } else json(400, { error: { code: 'bad_request', message: 'no name' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const bytes = new Uint8Array(700_000).map((_, i) => i % 256);
const upload = (name: string, stallMs = 30_000, onProgress: (n: number) => void = () => undefined) =>
  uploadFile(
    new NodeFileUploader(),
    { base, token: 'tok' },
    { name, type: '', bytes },
    onProgress,
    globalTimers,
    stallMs,
  ).done;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as RequestError,
  );

describe('uploadFile', () => {
  it('posts the raw bytes with the token and reads the stored file', async () => {
    const seen: number[] = [];
    const ref = await upload('ok', 30_000, (n) => seen.push(n));
    expect(ref).toMatchObject({ id: fileRef.id, size: bytes.length });
    expect(received.at(-1)).toEqual({
      name: 'ok',
      bytes: bytes.length,
      auth: 'Bearer tok',
      type: 'application/octet-stream',
    });
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it('turns each refusal into the error the outbox acts on', async () => {
    const cases: [string, string, 'fail' | 'wait'][] = [
      ['early413', 'file_too_large', 'fail'], // a proxy's page: the status says it
      ['quota', 'quota_exceeded', 'fail'],
      ['full', 'storage_full', 'fail'],
      ['other', 'bad_request', 'fail'],
      ['odd', 'internal', 'fail'], // not a file reference
      ['busy', 'rate_limited', 'wait'],
      ['gateway', 'unavailable', 'wait'], // any 5xx but 507: the hub is away
    ];
    for (const [name, code, action] of cases) {
      const err = await failure(upload(name));
      expect(err, name).toBeInstanceOf(RequestError);
      expect(err.code, name).toBe(code);
      expect(recoveryFor(err, 'upload', 1).fail ? 'fail' : 'wait', name).toBe(action);
    }
    expect((await failure(upload('busy'))).retryAfterMs).toBe(1234);
  });

  it('gives up an upload nobody answers, and one that cannot connect, as worth trying again', async () => {
    const stuck = await failure(upload('stuck', 300));
    expect(stuck.code).toBe('timeout');
    expect(recoveryFor(stuck, 'upload', 1)).toMatchObject({ fail: false, endsOnHello: true });
    const refused = await failure(
      uploadFile(
        new NodeFileUploader(),
        { base: 'http://127.0.0.1:1', token: 't' },
        { name: 'x', type: '', bytes },
        () => undefined,
        globalTimers,
        30_000,
      ).done,
    );
    expect(refused.code).toBe('disconnected');
    expect(recoveryFor(refused, 'upload', 3)).toEqual({ fail: false, pauseMs: 4000, endsOnHello: true });
  });
});

describe('upload progress', () => {
  it('reaches the state at most once per interval per message, with the latest value last', async () => {
    let now = 0;
    const pending: { handler: () => void; at: number }[] = [];
    const timers: Timers = {
      setTimeout: (handler, ms) => {
        const t = { handler, at: now + ms };
        pending.push(t);
        return t;
      },
      clearTimeout: (t) => {
        const i = pending.indexOf(t as never);
        if (i >= 0) pending.splice(i, 1);
      },
    };
    const advance = (ms: number) => {
      now += ms;
      for (const t of pending.filter((p) => p.at <= now)) {
        pending.splice(pending.indexOf(t), 1);
        t.handler();
      }
    };
    let request!: UploadRequest;
    let answer!: (status: number) => void;
    const uploader: FileUploader = {
      start: (r) => {
        request = r;
        return {
          done: new Promise((resolve) => (answer = (status) => resolve({ status, body: { file: fileRef } }))),
          abort: () => undefined,
        };
      },
    };
    const stash = new MemoryFileStash();
    const published: number[] = [];
    const uploads = new OutboxUploads({
      stash,
      uploader,
      target: () => ({ base, token: 't' }),
      timers,
      now: () => now,
      stallMs: 60_000,
      progressEveryMs: 100,
      onProgress: () => published.push(uploads.loaded(entry.files![0]!)),
    });
    const files = await uploads.keep([{ name: 'a.bin', type: '', bytes: new Uint8Array(1000) }]);
    let entry: OutboxEntry = { clientId: 'c1', conversationId: 1, text: '', createdAt: 0, status: 'pending', files };
    const running = uploads.run(
      'c1',
      () => entry,
      async (next) => {
        entry = { ...entry, files: next };
      },
    );
    await new Promise((r) => setTimeout(r, 10));
    for (let n = 1; n <= 50; n++) request.onProgress(n * 10); // a burst within one instant
    expect(published).toEqual([10]);
    advance(99);
    expect(published).toEqual([10]);
    advance(1);
    expect(published).toEqual([10, 500]); // the trailing report carries the latest value
    request.onProgress(600);
    request.onProgress(1000);
    advance(100);
    expect(published).toEqual([10, 500, 1000]);
    answer(201);
    expect(await running).toBe(true);
    expect(entry.files![0]!.fileId).toBe(fileRef.id);
    expect(pending).toEqual([]); // no timer left behind
  });
});
