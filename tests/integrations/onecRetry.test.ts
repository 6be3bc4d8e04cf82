// 429 from a real hub with a tight send rate (one message per 10 s after the first): the queue's
// ВыполнитьЗапрос loop (a background job: 5 attempts, waits up to 60 s) waits as long as
// Retry-After says and then sends once; a user's call (2 attempts, waits up to 5 s) gives up at
// once and hands the wait to the caller (Сведения.ПовторитьЧерез), which the queue's Отложить
// keeps as the earliest next attempt.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { likeBsl } from './onecBackoff.ts';
import { addOneCBots, procedureText, replay, requestOf, type Tokens } from './onecReplay.ts';

let hub: TestHub;
let tokens: Tokens;

beforeAll(async () => {
  hub = await startHub({ args: ['--send-burst', '1', '--send-per-second', '0.1'] });
  tokens = await addOneCBots(hub, ['all']);
});
afterAll(async () => {
  await hub.stop();
});

const post = (clientId: string) => () =>
  replay(hub, tokens, requestOf('БеседаСервер.ОтправитьСообщение'), {
    body: { to: 'all', text: `Заказ ${clientId}`, clientId, replace: true },
  });

/** Sends until the hub refuses one with 429 (the bucket may refill meanwhile on a slow machine). */
async function exhaust(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const res = await post(`fill-${randomUUID()}`)();
    if (res.status === 429) return;
    expect(res.status, res.text).toBeLessThan(300);
  }
  throw new Error('never refused 429');
}

describe('429 and Retry-After, as ВыполнитьЗапрос handles them', () => {
  it('a user’s call gives up at once when the wait is longer than 5 s, and says how long', async () => {
    await exhaust();
    const key = `now-${randomUUID()}`;
    const run = await likeBsl(post(key), false);
    expect(run.attempts).toHaveLength(1);
    expect(run.gaveUp?.status).toBe(429);
    expect(run.gaveUp!.retryAfter).toBeGreaterThan(5);
    expect(run.gaveUp!.retryAfter).toBeLessThanOrEqual(10);
    // The queue defers the record by at least that: Отложить's pause.
    const defer = procedureText('БеседаОчередь', 'Отложить', (f) => readFileSync(f, 'utf8'));
    expect(defer).toContain('ПаузаСекунд = Макс(Мин(60 * Pow(2, Мин(Попыток - 1, 6)), 3600), ПовторитьЧерез);');
  });

  it(
    'the queue’s job waits as long as Retry-After says, then the message goes once',
    { timeout: 120_000 },
    async () => {
      await exhaust();
      const key = `job-${randomUUID()}`;
      const run = await likeBsl(post(key), true);
      expect(run.gaveUp).toBeNull();
      const statuses = run.attempts.map((a) => a.status);
      expect(statuses[0]).toBe(429);
      expect(statuses.at(-1)).toBe(201);
      const first = run.attempts[0]!;
      expect(first.pauseSeconds).toBeGreaterThanOrEqual(2);
      expect(run.attempts[1]!.at - first.at).toBeGreaterThanOrEqual(first.pauseSeconds * 1000);
      // Once more with the same key (the job's next run): the same message, not a second.
      const again = await post(key)();
      expect([200, 429]).toContain(again.status);
      if (again.status === 200) expect(again.json.message.seq).toBe(run.answer!.json.message.seq);
    },
  );
});
