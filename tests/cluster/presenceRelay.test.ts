// Presence across hub nodes end to end in the hub core (issue 20: "a user with connections on two
// nodes is online until the last is gone"): two (or three) hub cores on one PostgreSQL database, each
// with its Presence on a RedisPresenceRelay and its events on a RedisEventBus in front of a recording
// sink (what the node's ConnectionRegistry would deliver to its sockets), on a real redis-server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceStatus } from '../../common/protocol/model.ts';
import { RedisEventBus } from '../../hub/cluster/RedisEventBus.ts';
import { createRedisPresenceRelay, type RedisPresenceRelay } from '../../hub/cluster/RedisPresenceRelay.ts';
import { setScript } from '../../hub/cluster/presenceScripts.ts';
import { createHub } from '../../hub/ops/createHub.ts';
import type { Actor, Hub } from '../../hub/ops/Hub.ts';
import type { HubContext } from '../../hub/ops/HubContext.ts';
import type { EventSink, HubEvent } from '../../hub/ops/HubEvent.ts';
import { Presence } from '../../hub/ops/Presence.ts';
import type { LocalPresence, PresenceChangeHandler, PresenceRelay } from '../../hub/ops/PresenceRelay.ts';
import { databaseOfThisFile, postgresAvailable } from '../helpers/postgres.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.ts';

const grace = 200;
const silent = pino({ level: 'silent' });

/** What a node's sockets would receive: its own events and, through the bus, the other nodes'. */
class RecordingSink implements EventSink {
  readonly events: HubEvent[] = [];
  publish(event: HubEvent): void {
    this.events.push(event);
  }
  disconnect(): void {}
  /** The statuses of a user this node's sockets were told, in order (single and batched frames). */
  statusesOf(userId: number): PresenceStatus[] {
    const out: PresenceStatus[] = [];
    for (const { frame, audience } of this.events) {
      if (audience.to !== 'watchers') continue;
      if (frame.type === 'presence' && frame.userId === userId) out.push(frame.status);
      if (frame.type === 'presence.batch') for (const u of frame.updates) if (u.userId === userId) out.push(u.status);
    }
    return out;
  }
}

interface Node {
  name: string;
  hub: Hub;
  sink: RecordingSink;
  bus: RedisEventBus;
  relay: RedisPresenceRelay;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const suite = redisAvailable && postgresAvailable ? describe : describe.skip;

suite('presence across hub nodes (RedisPresenceRelay + Presence + RedisEventBus)', () => {
  let redis: TestRedis;
  let direct: Redis;
  let testNo = 0;
  let prefix = '';
  let databaseUrl = '';
  const nodes: Node[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    direct = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  }, 60_000);
  afterAll(async () => {
    direct?.disconnect();
    await redis?.close();
  });
  afterEach(async () => {
    for (const n of nodes.splice(0)) {
      await n.hub.close().catch(() => {});
      await n.bus.close().catch(() => {});
    }
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A new prefix and database for the test. */
  async function freshCluster(): Promise<void> {
    prefix = `pr${++testNo}:`;
    databaseUrl = await databaseOfThisFile();
  }

  async function startNode(name: string): Promise<Node> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `beseda-presence-${name}-`));
    dirs.push(dir);
    const sink = new RecordingSink();
    const bus = new RedisEventBus({
      url: redis.url,
      nodeId: name,
      local: sink,
      log: silent,
      onGap: () => {},
      channel: `${prefix}events`,
      beatMs: 250,
    });
    await bus.ready(); // as a node starts: the bus first (hub/server/startClusterParts.ts)
    const relay = createRedisPresenceRelay({
      url: redis.url,
      nodeId: name,
      log: silent,
      prefix: `${prefix}presence:`,
      beatMs: 250,
      // Generous: a node of a loaded test machine must not be taken for dead.
      lifetimeMs: 5000,
    });
    const hub = await createHub({
      dbFile: path.join(dir, 'hub.db'),
      storeUrl: databaseUrl,
      events: bus,
      log: silent,
      scryptN: 2 ** 10,
      presenceGraceMs: grace,
      presenceRelay: relay,
    });
    const node = { name, hub, sink, bus, relay };
    nodes.push(node);
    await waitFor(`${name}'s relay`, () => relay.live);
    return node;
  }

  async function person(on: Node, login: string): Promise<Actor> {
    const password = `pw-${login}-secret`;
    await on.hub.createUser({ login, name: login.toUpperCase(), password });
    return (await on.hub.login(login, password, '127.0.0.1')).actor;
  }

  /** The status a node answers for a user in users.get (asked by `asker`). */
  async function shown(on: Node, asker: Actor, userId: number): Promise<PresenceStatus> {
    return (await on.hub.getUsers(asker, { ids: [userId] }))[0]!.presence;
  }

  /** Waits until every node answers `status` for the user. */
  async function everywhere(asker: Actor, userId: number, status: PresenceStatus, among = nodes): Promise<void> {
    await waitFor(`${userId} ${status} on every node`, async () => {
      for (const n of among) if ((await shown(n, asker, userId)) !== status) return false;
      return true;
    });
  }

  /** This node's count of the user's connections as Redis holds it (null: none). */
  const countIn = (node: string, userId: number) => direct.hget(`${prefix}presence:u:${userId}`, node);

  it('keeps a person online until their last connection on any node is gone', async () => {
    await freshCluster();
    const a = await startNode('a');
    const b = await startNode('b');
    const anna = await person(a, 'anna');
    const boris = await person(a, 'boris');

    const hello = await a.hub.connect(anna, 'a1');
    expect(hello.me.presence).toBe('online');
    await everywhere(boris, anna.userId, 'online');
    await b.hub.connect(anna, 'b1');

    // A's connection closes; once its grace period is over A no longer counts her…
    await a.hub.disconnect(anna, 'a1');
    await waitFor("A's count to go", async () => (await countIn('a', anna.userId)) === null);
    expect(await countIn('b', anna.userId)).toBe('1,0');
    // …and she is still online everywhere, never told offline.
    expect(await shown(a, boris, anna.userId)).toBe('online');
    expect(await shown(b, boris, anna.userId)).toBe('online');

    await b.hub.disconnect(anna, 'b1');
    await everywhere(boris, anna.userId, 'offline');
    // Each change was published once, by one node, and reached both nodes' sockets once.
    await waitFor('the offline frame on A', () => a.sink.statusesOf(anna.userId).length === 2);
    expect(a.sink.statusesOf(anna.userId)).toEqual(['online', 'offline']);
    expect(b.sink.statusesOf(anna.userId)).toEqual(['online', 'offline']);
    // Her last-seen time was written by the node that saw her go.
    const [annaOnA] = await a.hub.getUsers(boris, { ids: [anna.userId] });
    expect(annaOnA!.lastSeen).not.toBeNull();

    // A node started later learns everyone's status from Redis at once.
    await b.hub.connect(boris, 'b2');
    const c = await startNode('c');
    expect(await shown(c, anna, boris.userId)).toBe('online');
    expect(await shown(c, anna, anna.userId)).toBe('offline');
  }, 120_000);

  it('a change made on one node is what observers on the other see (dnd, idle across nodes)', async () => {
    await freshCluster();
    const a = await startNode('a');
    const b = await startNode('b');
    const anna = await person(a, 'anna');
    const boris = await person(a, 'boris');
    await a.hub.connect(anna, 'a1');
    await b.hub.connect(boris, 'b1');
    await everywhere(boris, anna.userId, 'online');

    expect(await a.hub.setPresence(anna, 'a1', { status: 'dnd' })).toEqual({ status: 'dnd' });
    await waitFor("B's sockets to hear dnd", () => b.sink.statusesOf(anna.userId).includes('dnd'));
    expect(await shown(b, boris, anna.userId)).toBe('dnd');

    // Back to online; then idle on A while active on B: online; idle on both: away.
    expect(await a.hub.setPresence(anna, 'a1', { status: 'online' })).toEqual({ status: 'online' });
    await b.hub.connect(anna, 'b2');
    expect(await a.hub.setPresence(anna, 'a1', { idle: true })).toEqual({ status: 'online' });
    expect(await b.hub.setPresence(anna, 'b2', { idle: true })).toEqual({ status: 'away' });
    await everywhere(boris, anna.userId, 'away');
    // The choice made on A holds on B: she chose dnd from B's connection…
    expect(await b.hub.setPresence(anna, 'b2', { status: 'dnd' })).toEqual({ status: 'dnd' });
    // …and A, whose own connection never chose anything since, answers dnd too.
    await everywhere(boris, anna.userId, 'dnd');
    // Every change reached both nodes' sockets once, in order (published by whichever node made it).
    const told = ['online', 'dnd', 'online', 'away', 'dnd'];
    await waitFor('every frame on both nodes', () => [a, b].every((n) => n.sink.statusesOf(anna.userId).length >= 5));
    for (const n of [a, b]) expect(n.sink.statusesOf(anna.userId)).toEqual(told);
  }, 120_000);

  it('a node that stops beating takes its connections with it: offline unless connected elsewhere', async () => {
    await freshCluster();
    const a = await startNode('a');
    const b = await startNode('b');
    const anna = await person(a, 'anna');
    const boris = await person(a, 'boris');
    const clara = await person(a, 'clara');
    // A third node, killed after reporting Anna and Clara (as a SIGKILLed node's last reports stay in
    // Redis): its reports, then silence. Clara is also connected on B.
    const ghost = new Redis(redis.url);
    try {
      const report = (userId: number) =>
        ghost.eval(
          setScript,
          4,
          `${prefix}presence:nodes`,
          `${prefix}presence:u:${userId}`,
          `${prefix}presence:n:ghost`,
          `${prefix}presence:status`,
          'ghost',
          userId,
          1,
          0,
          '',
          4000, // its lifetime: long enough for the checks below to see them online first
        );
      await report(anna.userId);
      await report(clara.userId);
      await b.hub.connect(clara, 'b1');
      await everywhere(boris, anna.userId, 'online');
      await everywhere(boris, clara.userId, 'online');

      // Once the ghost's lifetime is over, a beat of A or B sweeps it.
      const [before] = await a.hub.getUsers(boris, { ids: [anna.userId] });
      expect(before!.lastSeen).toBeNull(); // she never connected to A or B
      await everywhere(boris, anna.userId, 'offline');
      // The node that saw her go wrote when (the dead node could not).
      const lastSeenOn = async (n: Node) => (await n.hub.getUsers(boris, { ids: [anna.userId] }))[0]!.lastSeen;
      await waitFor('her last-seen time', async () => (await lastSeenOn(a)) !== null && (await lastSeenOn(b)) !== null);
      expect(await shown(a, boris, clara.userId)).toBe('online');
      expect(await shown(b, boris, clara.userId)).toBe('online');
      await waitFor('the offline frame on both', () =>
        [a, b].every((n) => n.sink.statusesOf(anna.userId).includes('offline')),
      );
      // Bringing them online was the ghost's change to publish (it has no bus here); their going
      // offline was published once, by A or B, and Clara was never told offline.
      for (const n of [a, b]) {
        expect(n.sink.statusesOf(anna.userId)).toEqual(['offline']);
        expect(n.sink.statusesOf(clara.userId)).toEqual([]);
      }
    } finally {
      ghost.disconnect();
    }
  }, 120_000);

  it('a node restarted under the same id soon after a crash does not keep its predecessor’s people online', async () => {
    await freshCluster();
    const b = await startNode('b');
    const anna = await person(b, 'anna');
    const boris = await person(b, 'boris');
    await b.hub.connect(boris, 'b1');
    // Node "a" had Anna connected and was killed; it comes back well within its lifetime (still
    // listed, so no sweep would ever take its old count out).
    const predecessor = new Redis(redis.url);
    try {
      const keys = ['nodes', `u:${anna.userId}`, 'n:a', 'status'].map((k) => `${prefix}presence:${k}`);
      expect(await predecessor.eval(setScript, 4, ...keys, 'a', anna.userId, 1, 0, '', 60_000)).toEqual(['online', 1]);
    } finally {
      predecessor.disconnect();
    }
    await everywhere(boris, anna.userId, 'online');
    const a = await startNode('a');
    await everywhere(boris, anna.userId, 'offline');
    expect(await countIn('a', anna.userId)).toBeNull();
    // Told by the restarted node, once, to both nodes' sockets.
    await waitFor("B's sockets to hear it", () => b.sink.statusesOf(anna.userId).includes('offline'));
    expect(b.sink.statusesOf(anna.userId)).toEqual(['offline']);
    expect(a.sink.statusesOf(anna.userId)).toEqual(['offline']);
    // And the restarted node counts what it has itself.
    await a.hub.connect(anna, 'a1');
    await everywhere(boris, anna.userId, 'online');
  }, 120_000);

  it('while Redis is away each node shows its own view and never fails; then they agree again', async () => {
    await freshCluster();
    const a = await startNode('a');
    const b = await startNode('b');
    const anna = await person(a, 'anna');
    const boris = await person(a, 'boris');
    await b.hub.connect(boris, 'b1');
    await everywhere(anna, boris.userId, 'online');

    await redis.stop();
    await waitFor('both relays to notice', () => !a.relay.live && !b.relay.live);
    // Anna arrives on A meanwhile: A shows her (its own view) and tells its own sockets; B cannot know.
    const hello = await a.hub.connect(anna, 'a1');
    expect(hello.me.presence).toBe('online');
    expect(await shown(a, boris, anna.userId)).toBe('online');
    expect(a.sink.statusesOf(anna.userId)).toEqual(['online']);
    expect(await a.hub.setPresence(anna, 'a1', { status: 'dnd' })).toEqual({ status: 'dnd' });
    // Boris, connected on B only, is unknown to A's own view now.
    expect(await shown(a, anna, boris.userId)).toBe('offline');
    expect(await shown(b, anna, boris.userId)).toBe('online');

    await redis.start(); // empty: nothing was saved
    await waitFor('both relays back', () => a.relay.live && b.relay.live);
    // Each node reports everything again: Anna's dnd and Boris reach every node.
    await everywhere(boris, anna.userId, 'dnd');
    await everywhere(anna, boris.userId, 'online');
  }, 120_000);

  it('a node closing leaves at once: its people go offline everywhere, the others stay', async () => {
    await freshCluster();
    const a = await startNode('a');
    const b = await startNode('b');
    const anna = await person(a, 'anna');
    const boris = await person(a, 'boris');
    await a.hub.connect(anna, 'a1');
    await a.hub.connect(boris, 'a2');
    await b.hub.connect(boris, 'b1');
    await everywhere(boris, anna.userId, 'online', [b]);
    await everywhere(anna, boris.userId, 'online', [b]);

    nodes.splice(nodes.indexOf(a), 1);
    await a.hub.close(); // before its bus, so its last frames still travel
    await waitFor("B's sockets to hear Anna leave", () => b.sink.statusesOf(anna.userId).includes('offline'));
    await a.bus.close();
    expect(await shown(b, boris, anna.userId)).toBe('offline');
    expect(await shown(b, anna, boris.userId)).toBe('online');
    expect(b.sink.statusesOf(boris.userId)).toEqual(['online']);
  }, 120_000);
});

/** A relay the test plays the cluster for: it records reports and hands back what the test says. */
class FakeRelay implements PresenceRelay {
  handler: PresenceChangeHandler | undefined;
  readonly reports: [number, LocalPresence][] = [];
  readonly statuses = new Map<number, PresenceStatus>();
  live = true;
  online = 0;
  attach(onChange: PresenceChangeHandler): void {
    this.handler = onChange;
  }
  report(userId: number, local: LocalPresence): Promise<PresenceStatus | null> {
    this.reports.push([userId, local]);
    return Promise.resolve(this.statusOf(userId));
  }
  statusOf(userId: number): PresenceStatus | null {
    return this.live ? (this.statuses.get(userId) ?? 'offline') : null;
  }
  onlineCount(): number | null {
    return this.live ? this.online : null;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('Presence with a relay (the cluster played by the test)', () => {
  function presenceOn(relay: FakeRelay, graceMs = 50, batchMs = 0, framesPerSecond = 1000) {
    const sink = new RecordingSink();
    const ctx = {
      events: sink,
      log: silent,
      clock: Date.now,
      store: { accounts: { setLastSeen: async () => {}, setLastSeenMany: async () => {} } },
    } as unknown as HubContext;
    return { sink, presence: new Presence(ctx, graceMs, batchMs, framesPerSecond, relay) };
  }

  it('reports its totals (a connection in its grace period still counts) and publishes only what the relay hands back', async () => {
    const relay = new FakeRelay();
    const { sink, presence } = presenceOn(relay);
    presence.connect(5, 'c1');
    presence.connect(5, 'c2');
    expect(relay.reports).toEqual([
      [5, { connections: 1, idle: 0 }],
      [5, { connections: 2, idle: 0 }],
    ]);
    // Not published by itself: the relay decides (it may be online elsewhere already)…
    expect(sink.statusesOf(5)).toEqual([]);
    // …but never shown offline while connected here (the report is on its way).
    expect(presence.statusOf(5)).toBe('online');
    relay.statuses.set(5, 'online');
    relay.handler!(5, 'online');
    expect(sink.statusesOf(5)).toEqual(['online']);

    relay.statuses.set(5, 'dnd'); // chosen on another node
    expect(presence.statusOf(5)).toBe('dnd');
    expect(await presence.set(5, 'c1', { idle: true })).toBe('dnd');
    expect(relay.reports.at(-1)).toEqual([5, { connections: 2, idle: 1 }]);
    expect(await presence.set(5, 'c2', { status: 'away' })).toBe('dnd'); // what the cluster answered
    expect(relay.reports.at(-1)).toEqual([5, { connections: 2, idle: 1, chosen: 'away' }]);

    presence.disconnect(5, 'c1');
    presence.disconnect(5, 'c2');
    expect(relay.reports.at(-1)).toEqual([5, { connections: 1, idle: 0 }]); // c1 gone; c2's grace pending
    await waitFor('the grace period to end', () => relay.reports.at(-1)![1].connections === 0);
    expect(relay.reports.at(-1)).toEqual([5, { connections: 0, idle: 0 }]);
    expect(sink.statusesOf(5)).toEqual(['online']); // the relay handed back nothing more
  });

  it('while the relay has no cluster view it shows and publishes its own', async () => {
    const relay = new FakeRelay();
    relay.live = false;
    const { sink, presence } = presenceOn(relay);
    presence.connect(6, 'c1');
    expect(sink.statusesOf(6)).toEqual(['online']);
    expect(presence.statusOf(6)).toBe('online');
    expect(await presence.set(6, 'c1', { idle: true })).toBe('away');
    expect(sink.statusesOf(6)).toEqual(['online', 'away']);
    expect(relay.reports).toHaveLength(2); // still reported, for when the cluster is back
  });

  it('sizes the batch window to every node’s audience, estimated from who is online across the cluster', () => {
    const relay = new FakeRelay();
    const { presence } = presenceOn(relay, 50, 1, 100);
    for (let i = 1; i <= 10; i++) presence.connect(i, `c${i}`);
    relay.online = 10;
    expect(presence.windowMs()).toBe(100); // 10 sockets at 100 frames/s
    relay.online = 30; // two more nodes as busy as this one
    expect(presence.windowMs()).toBe(300);
    relay.live = false;
    expect(presence.windowMs()).toBe(100);
  });
});
