// Every 429 and 503 answer of /api/v1 and /hooks carries `Retry-After: <seconds>` (an integer of at
// least 1), so 1C's queue and monitoring tools know how long to wait. Real hub for the rate limits;
// the answer builder itself for a 503 that has no wait of its own (busy database, shutting down).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubError } from '../../hub/ops/HubError.ts';
import { errorAnswer } from '../../hub/server/httpJson.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { addBot, type Answer, clientId, http, runCli } from './integrationHelpers.ts';

let hub: TestHub;
let onec: string;

beforeAll(async () => {
  // One message per 10 s after the first: the second post is refused with a wait of ~10 s.
  hub = await startHub({ args: ['--send-burst', '1', '--send-per-second', '0.1'] });
  onec = (await addBot(hub, 'onec', { rooms: ['all'] })).token;
});
afterAll(async () => {
  await hub.stop();
});

/** Posts until one is refused 429 (the limiter's bucket may refill a token meanwhile on a slow machine). */
async function until429(post: () => Promise<Answer>): Promise<Answer> {
  for (let i = 0; i < 10; i++) {
    const res = await post();
    if (res.status === 429) return res;
    expect(res.status, res.text).toBeLessThan(300);
  }
  throw new Error('never refused 429');
}

function expectRetryAfter(res: Answer, atLeast: number): void {
  const header = res.headers.get('retry-after');
  expect(header, `status ${res.status}`).toMatch(/^[1-9]\d*$/);
  expect(Number(header)).toBeGreaterThanOrEqual(atLeast);
}

describe('Retry-After', () => {
  it('POST /api/v1/messages refused 429 names the wait in whole seconds', async () => {
    const res = await until429(() =>
      http(hub, 'POST', '/api/v1/messages', {
        token: onec,
        json: { to: 'all', text: 'тест', clientId: clientId('ra') },
      }),
    );
    expect(res.body.error.code).toBe('rate_limited');
    expectRetryAfter(res, 1);
    // The bucket refills one message per 10 s: the header says so, rounded up.
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(Number(res.headers.get('retry-after')) * 1000).toBeGreaterThanOrEqual(res.body.error.retryAfterMs);
  });

  it('a webhook refused 429 carries it too', async () => {
    const r = await runCli(['hook', 'add', '--room', 'all', '--name', 'Grafana', '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    const path = /^\s+(\/hooks\/[A-Za-z0-9_-]+)$/m.exec(r.out)![1]!;
    const res = await until429(() => http(hub, 'POST', path, { json: { text: 'alert' } }));
    expectRetryAfter(res, 1);
  });

  it('a 429 or 503 without a wait of its own still gets one (1 s, 5 s); other errors none', () => {
    const header = (err: HubError) => errorAnswer(err).headers['retry-after'];
    expect(header(new HubError('unavailable', 'the hub is busy; try again'))).toBe('5');
    expect(header(new HubError('rate_limited', 'slow down'))).toBe('1');
    expect(header(new HubError('rate_limited', 'slow down', 0))).toBe('1');
    expect(header(new HubError('rate_limited', 'slow down', 1500))).toBe('2');
    expect(header(new HubError('not_found', 'no such thing'))).toBeUndefined();
    expect(errorAnswer(new HubError('unavailable', 'x')).status).toBe(503);
  });
});
