// Presence across hub nodes (hub/cluster/ClusterPresence.ts) on a real redis-server: a person with
// connections on two nodes is online until the last is gone, each change is seen by exactly one
// node, a node that stops beating takes its connections with it, and a Redis that restarts empty
// is told everything again.
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceStatus } from '../../common/protocol/model.ts';
import { ClusterPresence } from '../../hub/cluster/ClusterPresence.ts';
import { setScript } from '../../hub/cluster/presenceScripts.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.ts';

interface Node {
  presence: ClusterPresence;
  changes: [number, PresenceStatus][];
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const suite = redisAvailable ? describe : describe.skip;

suite('ClusterPresence on a real redis-server', () => {
  let redis: TestRedis;
  const nodes: Node[] = [];
  let prefixNo = 0;

  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    await redis?.close();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.presence.close()));
  });

  async function cluster(names: string[], beatMs = 2000): Promise<{ prefix: string; nodes: Node[] }> {
    const prefix = `t${++prefixNo}:`;
    const made = names.map((nodeId) => {
      const changes: Node['changes'] = [];
      const presence = new ClusterPresence({
        url: redis.url,
        nodeId,
        log: pino({ level: 'silent' }),
        onChange: (userId, status) => changes.push([userId, status]),
        prefix,
        beatMs,
      });
      return { presence, changes };
    });
    nodes.push(...made);
    // Ready once a report answers (the first connection may take a moment).
    await waitFor('Redis', async () => (await made[0]!.presence.statuses([1])) !== null);
    return { prefix, nodes: made };
  }

  it('keeps a person online until their last connection on any node is gone', async () => {
    const {
      nodes: [a, b],
    } = await cluster(['a', 'b']);
    expect(await a!.presence.connect(5)).toBe('online');
    expect(await b!.presence.connect(5)).toBe('online');
    expect(await a!.presence.connect(5)).toBe('online');
    expect(await a!.presence.disconnect(5)).toBe('online');
    expect(await a!.presence.disconnect(5)).toBe('online');
    // Each change was seen once, by the node that made it: A brought them online…
    expect(a!.changes).toEqual([[5, 'online']]);
    expect(b!.changes).toEqual([]);
    expect(await b!.presence.disconnect(5)).toBe('offline');
    // …and B, holding the last connection, took them offline.
    expect(b!.changes).toEqual([[5, 'offline']]);
    expect(a!.changes).toEqual([[5, 'online']]);
    expect(await a!.presence.statuses([5, 6])).toEqual(
      new Map([
        [5, 'offline'],
        [6, 'offline'],
      ]),
    );
  }, 60_000);

  it('derives away and do-not-disturb from every node', async () => {
    const {
      nodes: [a, b],
    } = await cluster(['a', 'b']);
    await a!.presence.connect(6);
    expect(await a!.presence.set(6, { idleDelta: 1 })).toBe('away');
    // An active connection elsewhere makes them online again.
    expect(await b!.presence.connect(6)).toBe('online');
    expect(await b!.presence.set(6, { status: 'dnd' })).toBe('dnd');
    expect(await a!.presence.disconnect(6, true)).toBe('dnd');
    expect(await b!.presence.set(6, { status: 'online' })).toBe('online');
    expect(await b!.presence.set(6, { idleDelta: 1 })).toBe('away');
    expect([...a!.changes, ...b!.changes].map(([, s]) => s)).toEqual([
      'online',
      'away',
      'online',
      'dnd',
      'online',
      'away',
    ]);
  }, 60_000);

  it('takes a dead node’s connections out: its people go offline unless connected elsewhere', async () => {
    const {
      prefix,
      nodes: [a],
    } = await cluster(['a'], 100);
    // A node that reports connections and then stops beating (as a SIGKILLed one does).
    const ghost = new Redis(redis.url);
    try {
      const report = (uid: number) =>
        ghost.eval(
          setScript,
          4,
          `${prefix}nodes`,
          `${prefix}u:${uid}`,
          `${prefix}n:ghost`,
          `${prefix}status`,
          'ghost',
          uid,
          1,
          0,
          '',
          300,
        );
      expect(await report(7)).toEqual(['online', 1]);
      expect(await report(8)).toEqual(['online', 1]);
      expect(await a!.presence.connect(8)).toBe('online');
      await waitFor('the sweep', () => a!.changes.some(([id]) => id === 7));
      expect(a!.changes).toEqual([[7, 'offline']]);
      expect(await a!.presence.statuses([7, 8])).toEqual(
        new Map([
          [7, 'offline'],
          [8, 'online'],
        ]),
      );
      expect(await ghost.zscore(`${prefix}nodes`, 'ghost')).toBeNull();
      expect(await ghost.exists(`${prefix}n:ghost`)).toBe(0);
    } finally {
      ghost.disconnect();
    }
  }, 60_000);

  it('never counts an expired node’s connections, even before it is swept', async () => {
    const {
      prefix,
      nodes: [a],
    } = await cluster(['a'], 60_000);
    const ghost = new Redis(redis.url);
    try {
      const keys = [`${prefix}nodes`, `${prefix}u:13`, `${prefix}n:ghost`, `${prefix}status`];
      expect(await ghost.eval(setScript, 4, ...keys, 'ghost', 13, 1, 0, '', 300)).toEqual(['online', 1]);
      await new Promise((r) => setTimeout(r, 500)); // past the ghost's lifetime; no beat sweeps meanwhile
      expect(await a!.presence.connect(13)).toBe('online');
      expect(await a!.presence.disconnect(13)).toBe('offline');
    } finally {
      ghost.disconnect();
    }
  }, 60_000);

  it('a clean close takes the node out at once', async () => {
    const {
      nodes: [a, b],
    } = await cluster(['a', 'b']);
    await a!.presence.connect(9);
    await b!.presence.connect(10);
    await b!.presence.close();
    expect(await a!.presence.statuses([9, 10])).toEqual(
      new Map([
        [9, 'online'],
        [10, 'offline'],
      ]),
    );
    expect(b!.changes).toEqual([
      [10, 'online'],
      [10, 'offline'],
    ]);
  }, 60_000);

  it('tells a Redis that restarted empty everything again', async () => {
    const {
      nodes: [a],
    } = await cluster(['a'], 100);
    await a!.presence.connect(11);
    await a!.presence.set(11, { status: 'dnd' });
    await redis.stop();
    // Reports while Redis is away fail softly (null), and are made again once it is back.
    expect(await a!.presence.connect(12)).toBeNull();
    await redis.start();
    await waitFor('the statuses to be back', async () => {
      const s = await a!.presence.statuses([11, 12]);
      return s?.get(11) === 'dnd' && s.get(12) === 'online';
    });
  }, 90_000);
});
