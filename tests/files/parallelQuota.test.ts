// Parallel uploads cannot pass the daily quota together: the hub reserves an accepted upload's
// bytes until it is recorded. Four 900 kB uploads start at once against a 2.5 MB quota, each
// waiting for `100 Continue` before sending its body: two are accepted, two refused at once.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uploadPath } from '../../common/protocol/fileUrls.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';

let hub: TestHub;
let token: string;

beforeAll(async () => {
  hub = await startHub({ args: ['--max-file-bytes', '1000000', '--file-quota-bytes', '2500000'] });
  const u = await hub.addUser('anna', 'anna');
  token = (await hub.login('anna', u.password)).token;
});
afterAll(async () => {
  await hub?.stop();
});

/** Starts an upload that sends its body only when the hub says Continue. */
function careful(name: string, body: Buffer) {
  const req = http.request(`${hub.url}${uploadPath(name)}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      expect: '100-continue',
    },
  });
  req.on('error', () => {});
  let go: () => void = () => {};
  const continued = new Promise<void>((resolve) => (go = resolve));
  req.on('continue', () => go());
  const answer = new Promise<{ status: number; code?: string }>((resolve) =>
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, code: (JSON.parse(text) as { error?: { code: string } }).error?.code }),
      );
    }),
  );
  req.flushHeaders();
  // Either the hub accepted the upload (Continue) or it answered without wanting the body.
  const decided = Promise.race([continued.then(() => 'accepted' as const), answer.then(() => 'refused' as const)]);
  return { req, body, decided, answer };
}

it('reserves accepted uploads against the quota until they are recorded', async () => {
  const uploads = ['1', '2', '3', '4'].map((n) => careful(`${n}.bin`, randomBytes(900_000)));
  const decisions = await Promise.all(uploads.map((u) => u.decided));
  expect(decisions.filter((d) => d === 'accepted')).toHaveLength(2);
  for (const u of uploads) if ((await u.decided) === 'accepted') u.req.end(u.body);
  const answers = await Promise.all(uploads.map((u) => u.answer));
  expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
  expect(answers.filter((a) => a.status === 413 && a.code === 'quota_exceeded')).toHaveLength(2);
  for (const u of uploads) u.req.destroy();
});
