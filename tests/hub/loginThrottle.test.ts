import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';

/** One sign-in's answer. */
interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { token?: string; error?: { code: string; message: string } };
}

/** A TCP connection to the hub from a chosen loopback address (Linux accepts any 127.x.y.z). */
function connectFrom(hub: TestHub, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: hub.port, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** POST /api/v1/login over an open connection. */
function signInOver(hub: TestHub, socket: net.Socket, login: string, password: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify({ login, password });
    const req = http.request(
      {
        host: '127.0.0.1',
        port: hub.port,
        method: 'POST',
        path: '/api/v1/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), connection: 'close' },
        createConnection: () => socket,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode!, retryAfter, body: JSON.parse(text) as Answer['body'] });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function signIn(hub: TestHub, from: string, login: string, password: string): Promise<Answer> {
  return signInOver(hub, await connectFrom(hub, from), login, password);
}

/** Signs in, waiting out `Retry-After` refusals (each at most the account cap of 60 s). */
async function signInWhenAllowed(hub: TestHub, from: string, login: string, password: string): Promise<Answer> {
  for (;;) {
    const answer = await signIn(hub, from, login, password);
    if (answer.status !== 429) return answer;
    expect(answer.body.error?.message).toMatch(/too many failed/);
    expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
    await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter) * 1000));
  }
}

/** The hub's JSON log entries. */
function logEntries(hub: TestHub): { msg?: string; userId?: number }[] {
  return hub.output.flatMap((line) => {
    try {
      return [JSON.parse(line) as { msg?: string; userId?: number }];
    } catch {
      return [];
    }
  });
}

describe('sign-in throttling over HTTP', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.stop();
  });

  it('60 concurrent attempts on one account get at most 5 passwords checked; the rest 429 before hashing', async () => {
    const zoya = await hub.addUser('zoya');
    // Connections first, then every request at once: a burst, as an attacker would send it.
    const sockets = await Promise.all(Array.from({ length: 60 }, () => connectFrom(hub, '127.0.0.4')));
    const passwords = [...Array.from({ length: 59 }, (_, i) => `wrong-${i}`), zoya.password];
    const answers = await Promise.all(sockets.map((s, i) => signInOver(hub, s, 'zoya', passwords[i]!)));
    // Every checked password is answered 401 (or 200) and logs its outcome (the log may lag).
    const checked = answers.filter((a) => a.status !== 429).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    await vi.waitFor(() => {
      const logged = logEntries(hub).filter(
        (e) => e.userId === zoya.id && (e.msg === 'sign-in failed' || e.msg === 'signed in'),
      );
      expect(logged).toHaveLength(checked);
    });
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(60 - checked);
    for (const a of refused) {
      expect(a.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/too many failed/) });
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // The right password came after the allowance: refused without being checked.
    expect(answers[59]!.status).toBe(429);
    expect(answers.some((a) => a.status === 200)).toBe(false);
  });

  it('a 34-request burst at one login locks out neither other logins at that address nor other addresses', async () => {
    const victim = await hub.addUser('victim');
    const colleague = await hub.addUser('colleague');
    const elsewhere = await hub.addUser('elsewhere');
    const burst = Array.from({ length: 34 }, (_, i) => signIn(hub, '127.0.0.2', 'victim', `wrong-${i}`));
    // A colleague behind the same address signs in in the middle of the burst…
    const during = signIn(hub, '127.0.0.2', 'colleague', colleague.password);
    const answers = await Promise.all(burst);
    expect((await during).status).toBe(200);
    for (const a of answers) {
      expect([401, 429]).toContain(a.status);
      if (a.status === 429) expect(a.retryAfter).toBeDefined();
    }
    // …and after it, as does anyone from another address.
    expect((await signIn(hub, '127.0.0.2', 'colleague', colleague.password)).status).toBe(200);
    expect((await signIn(hub, '127.0.0.3', 'elsewhere', elsewhere.password)).status).toBe(200);
    expect((await signIn(hub, '127.0.0.3', hub.admin!.login, hub.admin!.password)).status).toBe(200);
    // The attacked person from another address waits at most the account's short cap, never minutes.
    expect((await signInWhenAllowed(hub, '127.0.0.3', 'victim', victim.password)).status).toBe(200);
  });
});

describe('hashing fairness over HTTP', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // A real hashing cost, so a flood really fills the hashing queue.
    hub = await startHub({ args: ['--scrypt-n', '8192'] });
  });
  afterAll(async () => {
    await hub.stop();
  });

  it('while one address floods with unknown logins, other people still sign in', async () => {
    const dina = await hub.addUser('dina');
    const ilya = await hub.addUser('ilya');
    // Ilya has signed in from the flooding address before (he works in that office).
    expect((await signIn(hub, '127.0.0.5', 'ilya', ilya.password)).status).toBe(200);

    let flooding = true;
    let sent = 0;
    const floodAnswers: Answer[] = [];
    let sawRefusal!: () => void;
    const refusalSeen = new Promise<void>((resolve) => (sawRefusal = resolve));
    // 50 clients, each sending another unknown login as soon as the last one was answered.
    const worker = async () => {
      while (flooding) {
        const answer = await signIn(hub, '127.0.0.5', `ghost${sent++}`, 'bad-password');
        floodAnswers.push(answer);
        if (answer.status === 429) {
          sawRefusal();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const workers = Array.from({ length: 50 }, worker);
    // The flood has filled all it may of the hashing queue once its first refusal comes back.
    await refusalSeen;
    const [other, known] = await Promise.all([
      signIn(hub, '127.0.0.6', 'dina', dina.password),
      signIn(hub, '127.0.0.5', 'ilya', ilya.password),
    ]);
    flooding = false;
    await Promise.all(workers);
    expect(other.body.error).toBeUndefined();
    expect(other.status).toBe(200);
    expect(known.body.error).toBeUndefined();
    expect(known.status).toBe(200);
    expect(floodAnswers.filter((a) => a.status === 401).length).toBeGreaterThan(0);
  });
});
