// Three real hub nodes on one PostgreSQL database and one Redis (issue 20): people signed in on
// different nodes talk live — messages, read markers (the user's other devices and the direct
// conversation's ✓✓), typing — and outbox clients spread over the three nodes under load keep every
// invariant of the fault harness (nothing lost, duplicated, out of order, leaked or missing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, settle, startLoad, type World } from '../harness/buildWorld.ts';
import { problems } from '../harness/checkInvariants.ts';
import { checkInvariantsPostgres } from '../harness/checkInvariantsPostgres.ts';
import { report, sleep } from '../harness/harnessEnv.ts';
import { clusterAvailable, clusterSkipReason, startCluster, type TestCluster } from '../helpers/startCluster.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

/** Like Promise.all, but waits for every wait to end (none left to reject unhandled), then throws the first failure. */
async function settled<T>(waits: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(waits);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

interface Person {
  id: number;
  token: string;
}

describe.skipIf(!clusterAvailable)(`three hub nodes${clusterSkipReason && ` (skipped: ${clusterSkipReason})`}`, () => {
  let cluster: TestCluster;
  const sockets: TestSocket[] = [];
  let world: World | undefined;

  beforeAll(async () => {
    cluster = await startCluster({
      nodes: 3,
      args: [
        '--send-per-second',
        '100',
        '--send-burst',
        '200',
        '--frames-per-second',
        '1000',
        '--frames-burst',
        '2000',
      ],
    });
  }, 180_000);
  afterAll(async () => {
    for (const s of sockets) s.ws.terminate();
    await Promise.all(world?.clients.map((c) => c.stop()) ?? []);
    await cluster?.close();
  }, 120_000);

  /** A new person, signed in over HTTP on node `node` (a token is good on every node). */
  const person = async (login: string, node: number): Promise<Person> => {
    const u = await cluster.nodes[0]!.addUser(login, login);
    const { token } = await cluster.nodes[node]!.login(u.login, u.password);
    return { id: u.id, token };
  };
  const open = async (p: Person, node: number) => {
    const s = await TestSocket.open(cluster.nodes[node]!.wsUrl, p.token);
    sockets.push(s);
    return s;
  };

  it('delivers messages live between people on different nodes, each once', async () => {
    const [anna, boris, vera] = await Promise.all([person('anna', 0), person('boris', 1), person('vera', 2)]);
    const [a, b, v] = await Promise.all([open(anna, 0), open(boris, 1), open(vera, 2)]);
    const { conversation: room } = await a.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Три узла',
      kind: 'closed',
      members: [boris.id, vera.id],
    });
    const seen = (s: TestSocket, text: string) =>
      s.next('message', (f) => f.message.conversationId === room.id && f.message.text === text, 30_000);

    const said = [
      [a, 'с первого узла'],
      [b, 'со второго узла'],
      [v, 'с третьего узла'],
    ] as const;
    for (const [k, [from, text]] of said.entries()) {
      const arrivals = [a, b, v].filter((s) => s !== from).map((s) => seen(s, text));
      await from.request('send', { conversationId: room.id, clientId: `three-nodes-${k}`, text });
      const got = await settled(arrivals);
      expect(new Set(got.map((f) => f.message.seq)).size).toBe(1);
    }
    // A moment for a copy that came twice (once locally, once over Redis) to show.
    await sleep(1000);
    for (const s of [a, b, v]) {
      const texts = s
        .all('message')
        .filter((f) => f.message.conversationId === room.id)
        .map((f) => f.message.text);
      for (const [from, text] of said)
        if (from !== s)
          expect(
            texts.filter((t) => t === text),
            `${text} on another node`,
          ).toHaveLength(1);
    }
  });

  it('carries read markers to the reader’s other devices and ✓✓ to the peer on other nodes', async () => {
    const [gleb, dina] = await Promise.all([person('gleb', 0), person('dina', 1)]);
    const g = await open(gleb, 0);
    const d1 = await open(dina, 1);
    const d2 = await open(dina, 2); // Dina's second device, on the third node
    const { conversation: direct } = await g.request<{ conversation: { id: number } }>('direct.open', {
      userId: dina.id,
    });
    const arrived = d2.next('message', (f) => f.message.conversationId === direct.id, 30_000);
    const { message } = await g.request<{ message: { seq: number } }>('send', {
      conversationId: direct.id,
      clientId: 'read-marker-1',
      text: 'прочитай меня',
    });
    await arrived;
    const otherDevice = d2.next('unread', (f) => f.conversationId === direct.id && f.readSeq === message.seq, 30_000);
    const tick = g.next('receipt', (f) => f.conversationId === direct.id && f.peerReadSeq === message.seq, 30_000);
    await d1.request('read', { conversationId: direct.id, seq: message.seq });
    const [unread] = await settled<object>([otherDevice, tick]);
    expect(unread).toMatchObject({ unread: 0 });
  });

  it('shows typing to members on the other nodes', async () => {
    const [zoya, ilya, kira] = await Promise.all([person('zoya', 2), person('ilya', 0), person('kira', 1)]);
    const [z, i, k] = await Promise.all([open(zoya, 2), open(ilya, 0), open(kira, 1)]);
    const { conversation: room } = await z.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Печатают',
      kind: 'closed',
      members: [ilya.id, kira.id],
    });
    // Both have the room before anyone types (typing is ephemeral: never caught up later).
    const hello = [i, k].map((s) => s.next('message', (f) => f.message.conversationId === room.id, 30_000));
    await z.request('send', { conversationId: room.id, clientId: 'typing-room-hello', text: 'привет' });
    await settled(hello);
    const onIlya = i.next('typing', (f) => f.conversationId === room.id && f.userId === zoya.id, 30_000);
    const onKira = k.next('typing', (f) => f.conversationId === room.id && f.userId === zoya.id, 30_000);
    await z.request('typing', { conversationId: room.id });
    await settled([onIlya, onKira]);
  });

  it('keeps every invariant with outbox clients spread over the three nodes under load', async () => {
    world = await buildWorld(cluster.nodes[0]!, {
      users: 30,
      prefix: 'spread',
      urlOf: (i) => cluster.urlOf(i % 3),
    });
    const load = startLoad(world, 150);
    const t0 = Date.now();
    const ackedNow = () => world!.clients.reduce((s, c) => s + c.acked.size, 0);
    while (ackedNow() < 300 && Date.now() - t0 < 120_000) await sleep(100);
    load.stop();
    const { undrained } = await settle(world, 60_000);
    if (undrained > 0) console.log(`[cluster] not drained; sessions:\n${await cluster.activity()}`);
    const r = await checkInvariantsPostgres(cluster.databaseUrl, world.clients, { severalNodes: true });
    report('cluster spread', {
      nodes: 3,
      clients: world.clients.length,
      seconds: Math.round((Date.now() - t0) / 1000),
      acked: r.acked,
      messagesChecked: r.messagesChecked,
      deliveriesChecked: r.deliveriesChecked,
      undrained,
    });
    expect(problems(r)).toEqual([]);
    expect(r.acked).toBeGreaterThanOrEqual(300);
  }, 300_000);
});
