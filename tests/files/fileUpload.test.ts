// The upload path through the real hub: identical files stored once (0600 blobs, 0700 folders),
// each limit with its own error — too large by Content-Length answered before any body byte is
// sent, too large while streaming a chunked body, the daily quota, the total limit (storage_full)
// — and an upload the client cuts off mid-body leaving no temporary file, no blob and no record.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadPath } from '../../common/protocol/fileUrls.ts';
import { waitFor } from '../hub/serveProcess.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { upload } from './fileHelpers.ts';

const maxFile = 1_000_000;
const quota = 2_500_000;
const total = 4_000_000;
let hub: TestHub;
const tokens: Record<string, string> = {};

/** Every blob in the files folder (not counting tmp). */
function blobs(): string[] {
  const dir = path.join(hub.dataDir, 'files');
  return readdirSync(dir)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => readdirSync(path.join(dir, d)).map((f) => path.join(dir, d, f)));
}
const tempFiles = () => readdirSync(path.join(hub.dataDir, 'files', 'tmp'));

/** Upload records in the database (read-only, beside the running hub: WAL allows it). */
function fileRows(): number {
  const db = new Database(path.join(hub.dataDir, 'beseda.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A raw upload request whose headers go out at once; the body is up to the caller. */
function rawUpload(token: string, name: string, headers: Record<string, string | number>) {
  const req = http.request(`${hub.url}${uploadPath(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers },
  });
  req.on('error', () => {}); // the hub may close while we still write: what it answered counts
  const response = new Promise<{ status: number; body: { error?: { code: string } } }>((resolve) =>
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text || '{}') }));
    }),
  );
  return { req, response };
}

beforeAll(async () => {
  hub = await startHub({
    args: [
      '--max-file-bytes',
      String(maxFile),
      '--file-quota-bytes',
      String(quota),
      '--files-max-total-bytes',
      String(total),
    ],
  });
  for (const login of ['anna', 'boris', 'vera', 'gleb']) {
    const u = await hub.addUser(login, login);
    tokens[login] = (await hub.login(login, u.password)).token;
  }
});
afterAll(async () => {
  await hub?.stop();
});

describe('hello', () => {
  it('announces the configured file limits', async () => {
    const socket = await TestSocket.open(hub.wsUrl, tokens.anna!);
    expect(socket.hello.limits).toMatchObject({ maxFileBytes: maxFile, maxFilesPerMessage: 10 });
    expect(socket.hello.fileKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    socket.close();
  });
});

describe('storage', () => {
  it('stores identical content once, readable by the hub account only', async () => {
    const bytes = randomBytes(50_000);
    const a = await upload(hub, tokens.anna!, 'отчёт.bin', bytes);
    const b = await upload(hub, tokens.boris!, 'копия.bin', bytes);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.file!.id).not.toBe(b.file!.id);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const found = blobs();
    expect(found.filter((f) => path.basename(f) === sha)).toHaveLength(1);
    expect(found).toHaveLength(1);
    expect(statSync(found[0]!).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(found[0]!)).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(hub.dataDir, 'files')).mode & 0o777).toBe(0o700);
  });
});

describe('an upload the client abandons', () => {
  it('leaves no temporary file, no blob and no record', async () => {
    const before = { blobs: blobs().length, rows: fileRows() };
    const { req } = rawUpload(tokens.anna!, 'оборван.bin', { 'content-length': 800_000 });
    req.write(randomBytes(300_000));
    // The hub is writing the body into its temporary file when the client goes away.
    expect(await waitFor(() => tempFiles().length === 1, 20_000)).toBe(true);
    req.destroy();
    expect(await waitFor(() => hub.output.some((l) => l.includes('upload aborted by the client')), 20_000)).toBe(true);
    expect(await waitFor(() => tempFiles().length === 0, 10_000)).toBe(true);
    expect(blobs().length).toBe(before.blobs);
    expect(fileRows()).toBe(before.rows);
    // The hub goes on serving.
    expect((await upload(hub, tokens.anna!, 'после.txt', 'жив', 'text/plain')).status).toBe(201);
  });
});

describe('a hub killed mid-upload', () => {
  it('removes the half-written temporary file when it starts again', async () => {
    const before = { blobs: blobs().length, rows: fileRows() };
    const { req } = rawUpload(tokens.anna!, 'при сбое.bin', { 'content-length': 800_000 });
    req.write(randomBytes(300_000));
    expect(await waitFor(() => tempFiles().length === 1, 20_000)).toBe(true);
    await hub.kill();
    req.destroy();
    expect(tempFiles()).toHaveLength(1);
    await hub.restart();
    expect(tempFiles()).toEqual([]);
    expect(blobs().length).toBe(before.blobs);
    expect(fileRows()).toBe(before.rows);
  });
});

describe('limits', () => {
  it('a file too large by its Content-Length is refused before any of the body is sent', async () => {
    const { req, response } = rawUpload(tokens.anna!, 'огромный.iso', { 'content-length': 5_000_000_000 });
    req.flushHeaders();
    const answer = await response; // not one body byte was written
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('file_too_large');
    req.destroy();
  });

  it('a chunked body is cut off once it passes the limit, leaving nothing behind', async () => {
    const before = { blobs: blobs().length, rows: fileRows() };
    const { req, response } = rawUpload(tokens.anna!, 'поток.bin', { 'transfer-encoding': 'chunked' });
    let answered = false;
    void response.then(() => (answered = true));
    for (let sent = 0; sent < 3 * maxFile && !answered && !req.destroyed; sent += 64 * 1024) {
      if (!req.write(randomBytes(64 * 1024))) await new Promise((r) => setTimeout(r, 20));
    }
    const answer = await response;
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('file_too_large');
    req.destroy();
    expect(await waitFor(() => tempFiles().length === 0, 10_000)).toBe(true);
    expect(blobs().length).toBe(before.blobs);
    expect(fileRows()).toBe(before.rows);
  });

  it('the daily quota answers quota_exceeded (before the body when its size is known)', async () => {
    for (let i = 0; i < 2; i++)
      expect((await upload(hub, tokens.vera!, `${i}.bin`, randomBytes(900_000))).status).toBe(201);
    const { req, response } = rawUpload(tokens.vera!, 'третий.bin', { 'content-length': 900_000 });
    req.flushHeaders();
    const answer = await response;
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('quota_exceeded');
    req.destroy();
  });

  it('the total limit answers storage_full (507)', async () => {
    // anna 50 kB, vera 1.8 MB so far; boris adds 1.8 MB: 3.65 MB of 4 MB.
    for (let i = 0; i < 2; i++)
      expect((await upload(hub, tokens.boris!, `${i}.bin`, randomBytes(900_000))).status).toBe(201);
    const full = await upload(hub, tokens.gleb!, 'лишний.bin', randomBytes(900_000));
    expect(full.status).toBe(507);
    expect(full.error?.code).toBe('storage_full');
    expect(full.error?.message).toMatch(/filesMaxTotalBytes/);
    // Small files still fit.
    expect((await upload(hub, tokens.gleb!, 'мелкий.txt', 'ok', 'text/plain')).status).toBe(201);
  });

  it('refuses an upload without a name or credentials', async () => {
    const res = await fetch(`${hub.url}/api/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.anna}` },
      body: 'x',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    const anonymous = await fetch(`${hub.url}${uploadPath('a.txt')}`, { method: 'POST', body: 'x' });
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
  });
});

describe('slow and careful clients', () => {
  it('Expect: 100-continue — a refused file gets no Continue, an accepted one does', async () => {
    const refused = rawUpload(tokens.anna!, 'большой.bin', { 'content-length': 5 * maxFile, expect: '100-continue' });
    let continued = false;
    refused.req.on('continue', () => (continued = true));
    refused.req.flushHeaders();
    const answer = await refused.response;
    expect(answer.status).toBe(413);
    expect(continued).toBe(false);
    refused.req.destroy();

    const body = randomBytes(10_000);
    const accepted = rawUpload(tokens.gleb!, 'маленький.bin', {
      'content-length': body.length,
      expect: '100-continue',
    });
    accepted.req.on('continue', () => accepted.req.end(body));
    accepted.req.flushHeaders();
    expect((await accepted.response).status).toBe(201);
  });

  it(
    'an upload may take longer than the 30 s an ordinary request gets, while a stalled JSON body is dropped',
    {
      timeout: 180_000,
    },
    async () => {
      // A sign-in whose body never completes: cut after the request deadline.
      const stalled = http.request(`${hub.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 100 },
      });
      const stalledOutcome = new Promise<string>((resolve) => {
        stalled.on('response', (res) => resolve(`status ${res.statusCode}`));
        stalled.on('error', (err) => resolve(`error ${err.message}`));
      });
      stalled.write('{"login":');
      // The upload trickles 40 chunks, one a second: about 40 s in all.
      const { req, response } = rawUpload(tokens.gleb!, 'медленный.bin', { 'content-length': 40 * 1000 });
      const started = Date.now();
      for (let i = 0; i < 40; i++) {
        req.write(randomBytes(1000));
        await new Promise((r) => setTimeout(r, 1000));
      }
      req.end();
      const answer = await response;
      expect(Date.now() - started).toBeGreaterThan(35_000);
      expect(answer.status).toBe(201);
      expect(await stalledOutcome).toMatch(/^status 408|^error/);
    },
  );
});

describe('a flood of uploads', () => {
  it('is rate limited per person with retryAfterMs, others unaffected', async () => {
    const u = await hub.addUser('flood', 'flood');
    const { token } = await hub.login('flood', u.password);
    // Far past the burst of 50: unless they took a minute, the bucket (5 a second) cannot keep up.
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => upload(hub, token, `${i}.txt`, '')));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(50);
    expect(answers.every((a) => a.status === 201 || a.status === 429)).toBe(true);
    expect((await upload(hub, tokens.anna!, 'спокойно.txt', 'ok', 'text/plain')).status).toBe(201);
  });
});
