// Two real hub nodes on one PostgreSQL database and one Redis (issue 20): events cross between them
// live, and when a node may have missed some (Redis was away) it closes its sockets with 4002 and
// serves each of those sessions' next sync from the gap's floor — so a client whose cursor moved past
// a missed message (it got a later one live) still gets it back. A disable or sign-out on one node
// closes the person's sockets on the other.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { signedIn, type TestClient } from '../client/clientHarness.ts';

const available = postgresAvailable && redisAvailable;

/** Polls `check` until it returns a value (not undefined), or fails after `ms` naming `what`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The node's /healthz `redis` (its link and the gaps it has reacted to). */
async function redisOf(hub: TestHub): Promise<{ ok: boolean; gaps: number }> {
  const body = (await (await fetch(`${hub.url}/healthz`)).json()) as { redis: { ok: boolean; gaps: number } };
  return body.redis;
}

/** The node's /healthz `redis.ok` once it equals `ok`. */
function redisOk(hub: TestHub, ok: boolean): Promise<true> {
  return until(`${hub.url} redis.ok=${ok}`, async () => ((await redisOf(hub)).ok === ok ? true : undefined));
}

/**
 * Redis back: waits until the node has reacted to the gap (a socket opened before that would be
 * closed by it), i.e. counts more gaps than `before`.
 */
function gapAnswered(hub: TestHub, before: number): Promise<true> {
  return until(`${hub.url} gap answered`, async () => ((await redisOf(hub)).gaps > before ? true : undefined));
}

describe.skipIf(!available)('two hub nodes: gap reaction and disconnects over the bus', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let a: TestHub;
  let b: TestHub;
  const sockets: TestSocket[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    redis = await startRedis();
    const db = await pg.createDatabase();
    const args = (node: string) => ['--store', db, '--redis', redis.url, '--node-id', node];
    a = await startHub({ args: args('a') }); // migrates the database and creates the administrator
    b = await startHub({ args: args('b') });
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.ws.terminate();
    for (const c of clients) c.dispose();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    await pg?.close();
  }, 60_000);

  const open = async (hub: TestHub, token: string) => {
    const s = await TestSocket.open(hub.wsUrl, token);
    sockets.push(s);
    return s;
  };
  const person = async (login: string, on: TestHub) => {
    const u = await a.addUser(login, login);
    const { token } = await on.login(u.login, u.password);
    return { id: u.id, token };
  };

  it('names Redis (without its password) and the node in the listening line; its own tmp folder', () => {
    const parse = (l: string) => {
      try {
        return JSON.parse(l) as { msg?: string };
      } catch {
        return {};
      }
    };
    const line = b.output.map(parse).find((e) => e.msg === 'listening');
    expect(line).toMatchObject({ nodeId: 'b', redis: redis.url, store: expect.stringMatching(/^postgres/) });
    // Uploads in progress go to the node's own temporary folder (the files folder may be shared).
    expect(readdirSync(path.join(b.dataDir, 'files', 'tmp'))).toEqual([expect.stringMatching(/^b-[0-9a-f]{8}$/)]);
  });

  it('a message missed during a Redis outage comes back in the next sync after 4002, though a later one came live', async () => {
    const anna = await person('anna', a);
    const boris = await person('boris', b);
    const eva = await person('eva', b);
    const annaOnA = await open(a, anna.token);
    const annaOnB = await open(b, anna.token);
    const borisOnB = await open(b, boris.token);
    const evaOnB = await open(b, eva.token);
    const { conversation: room } = await annaOnA.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Два узла',
      kind: 'closed',
      members: [boris.id, eva.id],
    });
    const arrives = (s: TestSocket, text: string) =>
      s.next('message', (f) => f.message.conversationId === room.id && f.message.text === text, 30_000);
    const send = (s: TestSocket, text: string) =>
      s.request<{ message: Message }>('send', { conversationId: room.id, clientId: crypto.randomUUID(), text });

    // Live across nodes: sent on A, heard on B.
    const live = arrives(borisOnB, 'с узла A');
    await send(annaOnA, 'с узла A');
    await live;

    // Redis goes away: A's publish of the next message is dropped; B's own later one is delivered live.
    const gapsBefore = await Promise.all([redisOf(a), redisOf(b)]);
    await redis.stop();
    await Promise.all([redisOk(a, false), redisOk(b, false)]);
    const { message: missed } = await send(annaOnA, 'пропущено');
    const later = arrives(borisOnB, 'позже, на узле B');
    const { message: after } = await send(annaOnB, 'позже, на узле B');
    await later;
    expect(after.seq).toBeGreaterThan(missed.seq);
    expect(borisOnB.frames.some((f) => f.type === 'message' && f.message.seq === missed.seq)).toBe(false);

    // Redis is back: B signals the gap and closes Boris's socket with 4002 ("reconnect and catch up").
    await redis.start();
    expect((await borisOnB.closed).code).toBe(4002);
    await Promise.all([gapAnswered(a, gapsBefore[0]!.gaps), gapAnswered(b, gapsBefore[1]!.gaps)]);
    expect((await evaOnB.closed).code).toBe(4002);

    // His cursor is at `after` (received live); the next sync is served from the gap's floor.
    const again = await open(b, boris.token);
    const page = await again.request<{ messages: Message[]; more: boolean }>('sync', { since: after.seq });
    expect(page.messages.map((m) => m.text)).toContain('пропущено');
    // Only that once: the floor is gone after the last page, a sync from `after` is empty again.
    const next = await again.request<{ messages: Message[] }>('sync', { since: after.seq });
    expect(next.messages.map((m) => m.text)).not.toContain('пропущено');

    // Eva's reconnect lands on the other node, A: B shared her floor through Redis, so A serves it.
    const evaOnA = await open(a, eva.token);
    const evaPage = await evaOnA.request<{ messages: Message[] }>('sync', { since: after.seq });
    expect(evaPage.messages.map((m) => m.text)).toContain('пропущено');

    // Live again both ways.
    const back = arrives(again, 'снова вживую');
    await send(await open(a, anna.token), 'снова вживую');
    await back;
  }, 120_000);

  it('a real client (ChatClient) closed with 4002 catches up and gets the missed message, though nothing is newer than its cursor', async () => {
    const carl = await signedIn({ url: b.url, addUser: (login, name) => a.addUser(login, name) }, 'carl');
    clients.push(carl);
    const dina = await person('dina', a);
    const dinaOnA = await open(a, dina.token);
    const dinaOnB = await open(b, dina.token);
    const { conversation: room } = await dinaOnA.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Клиент',
      kind: 'closed',
      members: [carl.id],
    });
    const got = (text: string, source?: 'live' | 'catchup') =>
      until(`carl got "${text}"${source ? ` (${source})` : ''}`, async () =>
        carl.incoming.some((e) => (!source || e.source === source) && e.messages.some((m) => m.text === text))
          ? true
          : undefined,
      );
    const send = (s: TestSocket, text: string) =>
      s.request<{ message: Message }>('send', { conversationId: room.id, clientId: crypto.randomUUID(), text });

    await send(dinaOnA, 'вживую');
    await got('вживую', 'live');
    const gapsBefore = await Promise.all([redisOf(a), redisOf(b)]);
    await redis.stop();
    await Promise.all([redisOk(a, false), redisOk(b, false)]);
    await send(dinaOnA, 'пропущено клиентом');
    await send(dinaOnB, 'последнее, вживую');
    await got('последнее, вживую', 'live');
    await redis.start();
    // Closed with 4002, reconnected to B, and its catch-up (asked for by the 4002) brings it back.
    await got('пропущено клиентом', 'catchup');
    await Promise.all([gapAnswered(a, gapsBefore[0]!.gaps), gapAnswered(b, gapsBefore[1]!.gaps)]);
    expect(carl.state().connection).toBe('connected');
  }, 120_000);

  it('disabling a person on A closes their socket on B; signing out on A closes that session on B', async () => {
    const vera = await person('vera', b);
    const veraOnB = await open(b, vera.token);
    await a.admin_('user.disable', { login: 'vera' });
    expect((await veraOnB.closed).code).toBe(4103);

    const gleb = await person('gleb', a);
    const glebOnB = await open(b, gleb.token);
    const out = await fetch(`${a.url}/api/v1/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gleb.token}` },
    });
    expect(out.ok).toBe(true);
    expect((await glebOnB.closed).code).toBe(4101);
  }, 60_000);
});
