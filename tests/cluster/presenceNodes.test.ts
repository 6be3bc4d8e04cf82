// Presence across real hub processes (issue 20: "a user with connections on two nodes is online until
// the last is gone"): two `beseda-hub serve --redis` nodes on one PostgreSQL database and one Redis
// (tests/helpers/startCluster.ts), people connected over WebSockets to one node or both; a node
// killed with SIGKILL stops beating and its people go offline on the other unless connected there.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceStatus, User } from '../../common/protocol/model.ts';
import { clusterAvailable, clusterSkipReason, startCluster, type TestCluster } from '../helpers/startCluster.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

interface Person {
  id: number;
  token: string;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!clusterAvailable)(
  `presence on two hub nodes${clusterSkipReason && ` (skipped: ${clusterSkipReason})`}`,
  () => {
    let cluster: TestCluster;
    let redis: Redis;
    const sockets: TestSocket[] = [];

    beforeAll(async () => {
      cluster = await startCluster({ nodes: 2, args: ['--presence-grace-ms', '300'] });
      redis = new Redis(cluster.redis.url, { maxRetriesPerRequest: 1 });
    }, 180_000);
    afterAll(async () => {
      for (const s of sockets) s.ws.terminate();
      redis?.disconnect();
      await cluster?.close();
    }, 120_000);

    /** Node `n<i>`'s count of the user's connections as Redis holds it ("connections,idle"; null: none). */
    const countOn = (i: number, userId: number) => redis.hget(`beseda:presence:u:${userId}`, `n${i}`);

    const person = async (login: string): Promise<Person> => {
      const u = await cluster.nodes[0]!.addUser(login, login);
      const { token } = await cluster.nodes[0]!.login(u.login, u.password);
      return { id: u.id, token };
    };
    const open = async (p: Person, node: number) => {
      const s = await TestSocket.open(cluster.nodes[node]!.wsUrl, p.token);
      sockets.push(s);
      return s;
    };
    /** What a socket's node answers for a user in users.get. */
    const shown = async (asker: TestSocket, userId: number): Promise<PresenceStatus> =>
      (await asker.request<{ users: User[] }>('users.get', { ids: [userId] })).users[0]!.presence;
    /** The statuses of a user a socket was told, in order. */
    const told = (s: TestSocket, userId: number) =>
      s
        .all('presence')
        .filter((f) => f.userId === userId)
        .map((f) => f.status);
    /** Waits until a socket was told this status of the user (the frame may have come already). */
    const hear = (s: TestSocket, userId: number, status: PresenceStatus) =>
      waitFor(`${userId} ${status}`, () => told(s, userId).includes(status));

    it('keeps a person online until their last connection on either node is gone; observers on both nodes agree', async () => {
      const [anna, boris, vera] = await Promise.all([person('anna'), person('boris'), person('vera')]);
      const onB = await open(boris, 1); // observers: Boris on node 1, Vera on node 0
      const onV = await open(vera, 0);
      // Each observer looks Anna up, as a client does for the people it shows: the node it is on
      // tells it her presence, whichever node her change comes from.
      for (const s of [onB, onV]) await s.request('users.get', { ids: [anna.id] });
      const a0 = await open(anna, 0);
      await hear(onB, anna.id, 'online');
      const a1 = await open(anna, 1);

      expect(await countOn(0, anna.id)).toBe('1,0');
      expect(await countOn(1, anna.id)).toBe('1,0');

      // Anna's node-0 socket closes; once node 0 no longer counts her (after its grace period) she is
      // still online on both nodes, and nobody was told otherwise.
      a0.close();
      await waitFor('node 0 to count her out', async () => (await countOn(0, anna.id)) === null);
      expect(await shown(onB, anna.id)).toBe('online');
      expect(await shown(onV, anna.id)).toBe('online');
      expect(told(onB, anna.id)).not.toContain('offline');
      expect(told(onV, anna.id)).not.toContain('offline');

      // A choice made on node 1 reaches the observer on node 0.
      await a1.request('presence.set', { status: 'dnd' });
      await hear(onV, anna.id, 'dnd');
      expect(await shown(onV, anna.id)).toBe('dnd');

      // Her last socket closes: offline everywhere, told once to each observer.
      a1.close();
      await hear(onV, anna.id, 'offline');
      await hear(onB, anna.id, 'offline');
      expect(await shown(onV, anna.id)).toBe('offline');
      expect(await shown(onB, anna.id)).toBe('offline');
      for (const s of [onB, onV]) expect(told(s, anna.id).filter((x) => x === 'offline')).toHaveLength(1);
    }, 180_000);

    it('a node killed with SIGKILL: its people go offline on the other node unless connected there too', async () => {
      const [clara, dima, egor] = await Promise.all([person('clara'), person('dima'), person('egor')]);
      const observer = await open(egor, 1);
      await open(clara, 0); // only on node 0
      await open(dima, 0); // on both
      await open(dima, 1);
      await waitFor('both online on node 1', async () => (await shown(observer, clara.id)) === 'online');
      expect(await shown(observer, dima.id)).toBe('online');

      await cluster.kill(0);
      // Node 0 stops beating; node 1's sweep (default lifetime 3 beats of 2 s) takes its connections out.
      await hear(observer, clara.id, 'offline');
      expect(await shown(observer, clara.id)).toBe('offline');
      expect(await shown(observer, dima.id)).toBe('online');
      expect(told(observer, dima.id)).not.toContain('offline');
    }, 180_000);
  },
);
