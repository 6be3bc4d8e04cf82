// A 1 GiB file streamed up to the real hub (a child process) and back down, with the hub's
// resident memory sampled throughout: the hub never holds a file in memory, so its RSS stays far
// below the file's size. The bound is generous (300 MB) for a loaded machine; the measured peak
// is printed.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filePath, uploadPath } from '../../common/protocol/fileUrls.ts';
import type { FileRef } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { answerOf, sampleRss, writeChunk } from './fileHelpers.ts';

const size = 1024 * 1024 * 1024;
const chunkSize = 1024 * 1024;
let hub: TestHub;
let token: string;

beforeAll(async () => {
  hub = await startHub({
    args: ['--max-file-bytes', String(2 * size), '--file-quota-bytes', String(4 * size)],
  });
  const u = await hub.addUser('big', 'big');
  token = (await hub.login('big', u.password)).token;
});
afterAll(async () => {
  await hub?.stop();
  rmSync(hub.dataDir, { recursive: true, force: true });
});

it('streams a 1 GiB upload and download with the hub’s memory bounded', { timeout: 600_000 }, async () => {
  const pid = hub.process.pid!;
  const sampler = sampleRss(pid);
  const before = sampler.start;
  const hash = createHash('sha256');
  const chunk = randomBytes(chunkSize);
  const req = http.request(`${hub.url}${uploadPath('архив.bin')}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': size },
  });
  const answer = answerOf(req);
  for (let sent = 0; sent < size; sent += chunkSize) {
    chunk.writeUInt32BE(sent / chunkSize, 0); // every chunk differs
    hash.update(chunk);
    await writeChunk(req, chunk);
  }
  req.end();
  const { status, text } = await answer;
  const uploadPeak = sampler.stop();
  expect(status, text).toBe(201);
  const file = (JSON.parse(text) as { file: FileRef }).file;
  expect(file.size).toBe(size);
  const sha = hash.digest('hex');
  expect(statSync(path.join(hub.dataDir, 'files', sha.slice(0, 2), sha)).size).toBe(size);

  const downSampler = sampleRss(pid);
  const res = await fetch(hub.url + filePath(file.id, 'download'), { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('etag')).toBe(`"${sha}"`);
  const down = createHash('sha256');
  let received = 0;
  const reader = res.body!.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    down.update(part.value);
    received += part.value.length;
  }
  const downloadPeak = downSampler.stop();
  expect(received).toBe(size);
  expect(down.digest('hex')).toBe(sha);

  const mb = (n: number) => Math.round(n / 1024 / 1024);
  console.log(
    `hub RSS: ${mb(before)} MB before, peak ${mb(uploadPeak)} MB during the 1 GiB upload, ${mb(downloadPeak)} MB during the download`,
  );
  expect(uploadPeak).toBeLessThan(300 * 1024 * 1024);
  expect(downloadPeak).toBeLessThan(300 * 1024 * 1024);
});
