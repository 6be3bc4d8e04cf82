// The retry loop of БеседаСервер.ВыполнитьЗапрос, imitated for the replays (1C cannot run here),
// and a fault-injecting proxy in front of the hub: an answer lost after the hub acted, a 503 with
// Retry-After. `loopOfTheBsl` lists the lines of the BSL this imitation follows, so a change to
// the loop there fails the test until the imitation follows it.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OneCAnswer } from './onecReplay.ts';

/** Lines of ВыполнитьЗапрос that make the loop below; each must be in the BSL as written. */
export const loopOfTheBsl = [
  'МаксимумПопыток = ?(ВФоне, 5, 2);',
  'МаксимальнаяПауза = ?(ВФоне, 60, 5);',
  'ПаузаСекунд = Мин(Pow(2, НомерПопытки - 1), 60);',
  'Если КодСостояния <> 429 И КодСостояния <> 503 Тогда',
  'ПаузаСекунд = Макс(ПаузаСекунд, СекундыПовтора(ЗначениеЗаголовка(Ответ.Заголовки, "Retry-After")));',
  'Если НомерПопытки >= МаксимумПопыток Или ПаузаСекунд > МаксимальнаяПауза Тогда',
];

/** What the loop did: each attempt's status (0: no answer) and the pause before the next. */
export interface LoopRun {
  answer: OneCAnswer | null;
  attempts: { status: number; pauseSeconds: number; at: number }[];
  /** The exception ВыполнитьЗапрос raises when it gives up (Сведения.ПовторитьЧерез = pause). */
  gaveUp: { status: number; retryAfter: number } | null;
}

/** СекундыПовтора: Retry-After as whole seconds; a date or anything else is 0. */
function retrySeconds(value: string | string[] | undefined): number {
  const text = String(value ?? '').trim();
  return /^\d{1,6}$/.test(text) ? Number(text) : 0;
}

/**
 * ВыполнитьЗапрос's loop: 429, 503 and no answer are tried again after 2^(n-1) s, or Retry-After
 * when longer; a background job (the queue) tries 5 times and waits up to 60 s, a user's call
 * 2 times and 5 s. Any other answer ends the loop.
 */
export async function likeBsl(send: () => Promise<OneCAnswer>, background = true): Promise<LoopRun> {
  const maxAttempts = background ? 5 : 2;
  const maxPause = background ? 60 : 5;
  const attempts: LoopRun['attempts'] = [];
  for (let n = 1; ; n++) {
    let answer: OneCAnswer | null = null;
    try {
      answer = await send();
    } catch {
      answer = null; // no connection or no answer: Ответ = Неопределено
    }
    let pause = Math.min(2 ** (n - 1), 60);
    const status = answer?.status ?? 0;
    if (answer && status !== 429 && status !== 503) {
      attempts.push({ status, pauseSeconds: 0, at: Date.now() });
      return { answer, attempts, gaveUp: null };
    }
    if (answer) pause = Math.max(pause, retrySeconds(answer.headers['retry-after']));
    attempts.push({ status, pauseSeconds: pause, at: Date.now() });
    if (n >= maxAttempts || pause > maxPause) return { answer, attempts, gaveUp: { status, retryAfter: pause } };
    await sleep(pause * 1000);
  }
}

/** What the proxy does with the n-th request (from 1). */
export type Fault = 'forward' | 'lose-answer' | { status: number; retryAfter?: string };

/** A proxy in front of the hub that forwards requests or fails them as `plan` says. */
export async function faultyProxy(hubPort: number, plan: (n: number) => Fault) {
  let count = 0;
  const server = http.createServer((req, res) => {
    const fault = plan(++count);
    if (typeof fault === 'object') {
      req.resume();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end('{"error":{"code":"unavailable","message":"proxy"}}');
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: hubPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          // The hub has acted and answered; 1C never hears it (a timeout, a dropped line).
          if (fault === 'lose-answer') req.socket.destroy();
          else res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
        });
      },
    );
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get count() {
      return count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
