// Typing in the general room across hub nodes (issue 20): the general room's audience is everyone,
// so a person typing on one node is shown to people connected to the other nodes too, and never to
// a bot (bots are not in the general room).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAvailable, clusterSkipReason, startCluster, type TestCluster } from '../helpers/startCluster.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

describe.skipIf(!clusterAvailable)(
  `general-room typing on three hub nodes${clusterSkipReason && ` (skipped: ${clusterSkipReason})`}`,
  () => {
    let cluster: TestCluster;
    const sockets: TestSocket[] = [];

    beforeAll(async () => {
      cluster = await startCluster({ nodes: 3 });
    }, 180_000);
    afterAll(async () => {
      for (const s of sockets) s.ws.terminate();
      await cluster?.close();
    }, 120_000);

    const open = async (login: string, node: number) => {
      const u = await cluster.nodes[0]!.addUser(login, login);
      const { token } = await cluster.nodes[0]!.login(u.login, u.password);
      const s = await TestSocket.open(cluster.nodes[node]!.wsUrl, token);
      sockets.push(s);
      return { id: u.id, socket: s };
    };

    it('shows a person typing in the general room to people on every node', async () => {
      const typist = await open('gena', 0);
      const onOne = await open('dina', 1);
      const onTwo = await open('egor', 2);
      const sameNode = await open('faina', 0);
      const generalId = typist.socket.hello.conversations.find((c) => c.kind === 'general')!.id;
      const seen = (s: TestSocket) =>
        s.next('typing', (f) => f.conversationId === generalId && f.userId === typist.id, 30_000);
      const heard = [seen(onOne.socket), seen(onTwo.socket), seen(sameNode.socket)];
      await typist.socket.request('typing', { conversationId: generalId });
      const frames = await Promise.all(heard);
      expect(frames.map((f) => f.userId)).toEqual([typist.id, typist.id, typist.id]);
    }, 90_000);
  },
);
