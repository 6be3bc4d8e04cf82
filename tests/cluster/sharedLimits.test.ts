// Rate limits and the sign-in back-off shared between hub nodes (issue 20): two hub cores, each with
// its own RedisSharedLimits on one real redis-server, stand for two nodes behind a load balancer. A
// person's sends spread over both get one burst in total; failed sign-ins for one account spread
// over both lock it after the same count as on one node. Redis stopped or frozen: each node limits
// on its own (never refusing everyone, never letting everything through), and says so once.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisSharedLimits } from '../../hub/cluster/RedisSharedLimits.ts';
import type { Hub } from '../../hub/ops/Hub.ts';
import { HubError } from '../../hub/ops/HubError.ts';
import type { SharedLimits } from '../../hub/ops/SharedLimits.ts';
import { cid, openTestHub, recordingLog, type TestHub } from '../hub-core/harness.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.ts';
import { clusterAvailable, clusterSkipReason, startCluster, type TestCluster } from '../helpers/startCluster.ts';
import { ReplyError, TestSocket } from '../helpers/TestSocket.ts';

const suite = redisAvailable ? describe : describe.skip;
const GENERAL = 1;
/** One token a minute after a burst of 5: the test never depends on how fast it runs. */
const slowRate = { perSecond: 1 / 60, burst: 5 };

let prefixes = 0;
const opened: SharedLimits[] = [];

/** One node's shared limits (a prefix per test keeps tests apart), ready once Redis has answered. */
async function sharedLimits(url: string, prefix: string, log = recordingLog()) {
  const limits = createRedisSharedLimits({ url, log, prefix });
  opened.push(limits);
  await until(() => limits.shared, 'Redis to answer');
  return { limits, log };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The error code of a call, or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof HubError) return err.code;
    throw err;
  }
}

async function errorOf(p: Promise<unknown>): Promise<HubError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HubError) return err;
    throw err;
  }
  throw new Error('expected a HubError');
}

let sent = 0;
function send(t: TestHub, actor: Awaited<ReturnType<TestHub['user']>>) {
  return t.hub.send(actor, { conversationId: GENERAL, clientId: cid(`s${++sent}`), text: 'x' });
}

/** A hub node; `anna` signs in on it (created in the same order on each, so the same user id). */
async function node(more: Parameters<typeof openTestHub>[0]) {
  const t = await openTestHub({ sendRate: slowRate, ...more });
  await t.hub.createUser({ login: 'gleb', name: 'Gleb', password: 'gleb-password' });
  const anna = await t.user('anna');
  return { t, anna };
}

/** A TCP proxy in front of Redis that can be frozen: what clients send is held (not lost) until thawed. */
async function freezableProxy(port: number) {
  let frozen = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    upstream.pipe(client);
    client.on('data', (chunk) => (frozen ? held.push(() => upstream.write(chunk)) : upstream.write(chunk)));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function wrongPassword(hub: Hub, source: string) {
  return outcome(hub.login('gleb', 'bad-password', source));
}

suite('limits shared between hub nodes through Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterEach(async () => {
    for (const limits of opened.splice(0)) await limits.close();
    if (!redis.running) await redis.start();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it("grants a person's sends spread over two nodes one burst in total", async () => {
    const prefix = `t${++prefixes}:`;
    const a = await node({ sharedLimits: (await sharedLimits(redis.url, prefix)).limits });
    const b = await node({ sharedLimits: (await sharedLimits(redis.url, prefix)).limits });
    expect(a.anna.userId).toBe(b.anna.userId);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await outcome(send(i % 2 === 0 ? a.t : b.t, i % 2 === 0 ? a.anna : b.anna)));
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    // Each node alone has given 3 and 2 of its own 5: only the shared bucket refuses now.
    for (const n of [a, b]) {
      const err = await errorOf(send(n.t, n.anna));
      expect(err.code).toBe('rate_limited');
      expect(err.retryAfterMs).toBeGreaterThan(50_000);
      expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    // Message changes have a bucket of their own, shared the same way (each node edits its own copy).
    const last = async (n: typeof a) =>
      (await n.t.hub.history(n.anna, { conversationId: GENERAL })).messages.at(-1)!.seq;
    const seqs = new Map([
      [a, await last(a)],
      [b, await last(b)],
    ]);
    const edits: string[] = [];
    for (let i = 0; i < 7; i++) {
      const n = i % 2 === 0 ? a : b;
      const p = { seq: seqs.get(n)!, clientId: cid(`e${i}`), text: `edit ${i}` };
      edits.push(await outcome(n.t.hub.editMessage(n.anna, p)));
    }
    expect(edits).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
  }, 60_000);

  it('locks an account after the same count of wrong passwords spread over two nodes as on one', async () => {
    const prefix = `t${++prefixes}:`;
    const a = await node({ sharedLimits: (await sharedLimits(redis.url, prefix)).limits });
    const b = await node({ sharedLimits: (await sharedLimits(redis.url, prefix)).limits });
    const alone = await node({});
    // A different address each time: only the account's counter (5 free failures) can say no.
    const spread: string[] = [];
    for (let i = 0; i < 6; i++) spread.push(await wrongPassword((i % 2 === 0 ? a : b).t.hub, `198.51.100.${i}`));
    const single: string[] = [];
    for (let i = 0; i < 6; i++) single.push(await wrongPassword(alone.t.hub, `198.51.100.${i}`));
    expect(single).toEqual([
      'bad_credentials',
      'bad_credentials',
      'bad_credentials',
      'bad_credentials',
      'bad_credentials',
      'rate_limited',
    ]);
    expect(spread).toEqual(single);
    // Locked on both nodes, even with the right password.
    const locked = await errorOf(b.t.hub.login('gleb', 'gleb-password', '198.51.100.9'));
    expect(locked.code).toBe('rate_limited');
    expect(locked.retryAfterMs).toBeGreaterThan(0);
    expect(locked.retryAfterMs).toBeLessThanOrEqual(1000);
    expect(await outcome(a.t.hub.login('gleb', 'gleb-password', '198.51.100.9'))).toBe('rate_limited');
    // After the wait, signing in on one node clears the account's failures on the other too.
    await new Promise((r) => setTimeout(r, locked.retryAfterMs! + 50));
    expect(await outcome(a.t.hub.login('gleb', 'gleb-password', '198.51.100.9'))).toBe('ok');
    for (let i = 0; i < 5; i++) expect(await wrongPassword(b.t.hub, `203.0.113.${i}`)).toBe('bad_credentials');
  }, 60_000);

  it('a burst of guesses at one account spread over two nodes gets only the free allowance checked', async () => {
    const prefix = `t${++prefixes}:`;
    const a = await node({ sharedLimits: (await sharedLimits(redis.url, prefix)).limits });
    const b = await node({ sharedLimits: (await sharedLimits(redis.url, prefix)).limits });
    // Attempts still being checked count on the shared counters too, so concurrency does not multiply them.
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => wrongPassword((i % 2 === 0 ? a : b).t.hub, `198.51.100.${i}`)),
    );
    expect(burst.filter((c) => c === 'bad_credentials')).toHaveLength(5);
    expect(burst.filter((c) => c === 'rate_limited')).toHaveLength(15);
  }, 60_000);

  it('Redis stopped: each node limits on its own, nobody is refused for the outage, one log line each', async () => {
    const prefix = `t${++prefixes}:`;
    const sharedA = await sharedLimits(redis.url, prefix);
    const sharedB = await sharedLimits(redis.url, prefix);
    const a = await node({ sharedLimits: sharedA.limits });
    const b = await node({ sharedLimits: sharedB.limits });
    await redis.stop();
    await until(() => !sharedA.limits.shared || !sharedB.limits.shared, 'the nodes to notice', 10_000);
    // Sends: each node's own bucket, 5 then a refusal, on both — not everything, not nothing.
    for (const n of [a, b]) {
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) codes.push(await outcome(send(n.t, n.anna)));
      expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited']);
    }
    // Sign-ins: each node's own back-off; the right password is not refused for the outage.
    expect(await outcome(b.t.hub.login('gleb', 'gleb-password', '192.0.2.1'))).toBe('ok');
    const wrong: string[] = [];
    for (let i = 0; i < 6; i++) wrong.push(await wrongPassword(a.t.hub, `192.0.2.${10 + i}`));
    expect(wrong).toEqual([
      'bad_credentials',
      'bad_credentials',
      'bad_credentials',
      'bad_credentials',
      'bad_credentials',
      'rate_limited',
    ]);
    for (const { log } of [sharedA, sharedB]) {
      const warnings = log.lines.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toMatch(/Redis does not answer/);
    }
    // Back: the next question finds it, shared again, and that is said once too.
    await redis.start();
    await until(async () => (await sharedA.limits.takeToken('send', 999, slowRate)) !== null, 'Redis to answer again');
    await send(a.t, await a.t.user('vera'));
    const recovered = sharedA.log.lines.filter((l) => l.level === 'info' && /answers again/.test(l.msg ?? ''));
    expect(recovered).toHaveLength(1);
    expect(sharedA.limits.shared).toBe(true);
  }, 90_000);

  it("Redis slower than 200 ms: answered from the node's own limits, logged once, shared again once it answers", async () => {
    const proxy = await freezableProxy(redis.port);
    try {
      const shared = await sharedLimits(proxy.url, `t${++prefixes}:`);
      const a = await node({ sharedLimits: shared.limits });
      expect(await outcome(send(a.t, a.anna))).toBe('ok');
      proxy.freeze();
      // The question times out: the node's own bucket answers; the next ones do not wait again.
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) codes.push(await outcome(send(a.t, a.anna)));
      expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited']);
      expect(shared.limits.shared).toBe(false);
      const warnings = shared.log.lines.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.obj).toMatchObject({ reason: expect.stringMatching(/timed out/i) });
      proxy.thaw();
      await until(async () => (await shared.limits.takeToken('send', 999, slowRate)) !== null, 'Redis to answer again');
      expect(shared.limits.shared).toBe(true);
      expect(shared.log.lines.filter((l) => l.level === 'info' && /answers again/.test(l.msg ?? ''))).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

describe.skipIf(!clusterAvailable)(
  `two real hub nodes share the limits${clusterSkipReason && ` (skipped: ${clusterSkipReason})`}`,
  () => {
    let cluster: TestCluster;
    const sockets: TestSocket[] = [];
    beforeAll(async () => {
      // One message per 10 s after a burst of 5: a refill never happens while the test runs.
      cluster = await startCluster({ nodes: 2, args: ['--send-per-second', '0.1', '--send-burst', '5'] });
      // Until a node's link to Redis is up, its own limits apply: wait for /healthz to say shared.
      for (const n of cluster.nodes) {
        await until(async () => {
          const health = (await (await fetch(`${n.url}/healthz`)).json()) as { redis?: { limits?: boolean } };
          return health.redis?.limits === true;
        }, 'the limits to be shared');
      }
    }, 180_000);
    afterAll(async () => {
      for (const s of sockets) s.ws.terminate();
      await cluster?.close();
    }, 120_000);

    it('sends over both nodes: one burst in total; wrong passwords over both: locked after 5', async () => {
      const anna = await cluster.nodes[0]!.addUser('anna', 'Anna');
      const { token } = await cluster.nodes[1]!.login(anna.login, anna.password);
      const [s0, s1] = await Promise.all(cluster.nodes.map((n) => TestSocket.open(n.wsUrl, token)));
      sockets.push(s0!, s1!);
      const { conversation } = await s0!.request<{ conversation: { id: number } }>('rooms.create', {
        name: 'Лимиты',
        kind: 'closed',
        members: [],
      });
      const codes: string[] = [];
      for (let i = 0; i < 7; i++) {
        const s = i % 2 === 0 ? s0! : s1!;
        const p = { conversationId: conversation.id, clientId: cid(`n${i}`), text: `сообщение ${i}` };
        codes.push(
          await s.request('send', p).then(
            () => 'ok',
            (err: unknown) => (err instanceof ReplyError ? err.code : String(err)),
          ),
        );
      }
      expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);

      const boris = await cluster.nodes[0]!.addUser('boris', 'Boris');
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${cluster.nodes[i % 2]!.url}/api/v1/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: boris.login, password: 'wrong-password' }),
        });
        answers.push(((await res.json()) as { error?: { code: string } }).error?.code ?? 'ok');
      }
      expect(answers).toEqual([
        'bad_credentials',
        'bad_credentials',
        'bad_credentials',
        'bad_credentials',
        'bad_credentials',
        'rate_limited',
      ]);
    }, 120_000);
  },
);
