// The fan-out between hub nodes (hub/cluster/RedisEventBus.ts) on a real redis-server: two buses
// ("nodes") with recording local sinks. Each node's events reach the other exactly once and in
// order, never twice locally; disconnects cross; Redis stopped and started again: local delivery
// goes on, both buses find Redis again by themselves and signal the gap, and events flow again.
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import type { GapSignal } from '../../hub/cluster/GapSignal.ts';
import { RedisEventBus } from '../../hub/cluster/RedisEventBus.ts';
import type { EventSink, HubEvent } from '../../hub/ops/HubEvent.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.ts';

type Target = { userId: number } | { sessionId: number };

/** A local sink that records what reaches it. */
class RecordingSink implements EventSink {
  readonly events: HubEvent[] = [];
  readonly disconnects: { target: Target; code: number; reason: string }[] = [];
  publish(event: HubEvent): void {
    this.events.push(event);
  }
  disconnect(target: Target, code: number, reason: string): void {
    this.disconnects.push({ target, code, reason });
  }
}

interface Node {
  bus: RedisEventBus;
  sink: RecordingSink;
  gaps: GapSignal[];
  logs: { msg: string; level: number }[];
}

function messageFrame(seq: number, text: string): ServerFrame {
  return {
    type: 'message',
    message: {
      seq,
      conversationId: 1,
      senderId: 2,
      clientId: `c${seq}`,
      kind: 'text',
      text,
      ts: 1_700_000_000_000 + seq,
      mentions: [],
      mentionsAll: false,
    },
  };
}

function typing(userId: number): HubEvent {
  return { audience: { to: 'everyone' }, frame: { type: 'typing', conversationId: 1, userId }, ephemeral: true };
}

/** The `text` of each message frame among the events (typing frames: `typing:<userId>`). */
function labels(events: readonly HubEvent[]): string[] {
  return events.map((e) =>
    e.frame.type === 'message'
      ? e.frame.message.text
      : e.frame.type === 'typing'
        ? `typing:${e.frame.userId}`
        : e.frame.type,
  );
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const suite = redisAvailable ? describe : describe.skip;

suite('RedisEventBus between two nodes on a real redis-server', () => {
  let redis: TestRedis;
  const nodes: Node[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => unhandled.push(err);
  let channelNo = 0;
  let channel = '';

  beforeAll(async () => {
    redis = await startRedis();
    process.on('unhandledRejection', onUnhandled);
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await redis?.close();
  });

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.bus.close()));
    expect(unhandled).toEqual([]);
  });

  /** Each test gets its own channel, so nothing of an earlier test's nodes reaches it. */
  async function twoNodes(beatMs = 2000, floorLagMs = 0): Promise<[Node, Node]> {
    channel = `beseda:test:${++channelNo}`;
    const make = (nodeId: string): Node => {
      const logs: Node['logs'] = [];
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line));
          done();
        },
      });
      const sink = new RecordingSink();
      const gaps: GapSignal[] = [];
      const bus = new RedisEventBus({
        url: redis.url,
        nodeId,
        local: sink,
        log: pino({ level: 'info' }, stream),
        onGap: (gap) => gaps.push(gap),
        channel,
        beatMs,
        floorLagMs,
      });
      const node = { bus, sink, gaps, logs };
      nodes.push(node);
      return node;
    };
    const pair: [Node, Node] = [make('a'), make('b')];
    await Promise.all(pair.map((n) => n.bus.ready()));
    return pair;
  }

  it('delivers each node’s events to the other exactly once and in order, and locally once', async () => {
    const [a, b] = await twoNodes();
    const sentA: string[] = [];
    const sentB: string[] = [];
    // Interleaved, in bursts within one turn (as a group commit publishes) and across turns.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 25; i++) {
        const k = round * 25 + i;
        sentA.push(`a${k}`);
        a.bus.publish({ audience: { to: 'users', userIds: [1, 2] }, frame: messageFrame(2 * k + 1, `a${k}`) });
        sentB.push(`b${k}`);
        b.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(2 * k + 2, `b${k}`) });
      }
      a.bus.publish(typing(1000 + round));
      sentA.push(`typing:${1000 + round}`);
      await new Promise((r) => setImmediate(r));
    }
    const total = sentA.length + sentB.length;
    await waitFor(
      'both sinks to hear everything',
      () => a.sink.events.length >= total && b.sink.events.length >= total,
    );
    // Give any duplicate time to show up before counting.
    await new Promise((r) => setTimeout(r, 300));

    for (const [node, own, other] of [
      [a, sentA, sentB],
      [b, sentB, sentA],
    ] as const) {
      const got = labels(node.sink.events);
      expect(got).toHaveLength(total);
      // Own events: each once, in publish order (never a second time from Redis); the other's too.
      expect(got.filter((l) => own.includes(l))).toEqual(own);
      expect(got.filter((l) => other.includes(l))).toEqual(other);
    }
    // Audience, ephemerality and the frame travel as they are.
    const typingAtB = b.sink.events.find((e) => e.frame.type === 'typing')!;
    expect(typingAtB).toEqual(typing(1000));
    expect(b.sink.events.find((e) => e.frame.type === 'message' && e.frame.message.text === 'a0')!.audience).toEqual({
      to: 'users',
      userIds: [1, 2],
    });
    expect(a.bus.counts).toMatchObject({ published: sentA.length, dropped: 0, received: sentB.length, gaps: 0 });
    expect(b.bus.counts).toMatchObject({ published: sentB.length, dropped: 0, received: sentA.length, gaps: 0 });
    expect([...a.gaps, ...b.gaps]).toEqual([]);
  }, 60_000);

  it('carries disconnects (disabled account, revoked session) to every node, once', async () => {
    const [a, b] = await twoNodes();
    a.bus.disconnect({ userId: 7 }, 4103, 'account disabled');
    b.bus.disconnect({ sessionId: 42 }, 4101, 'session revoked');
    await waitFor('the disconnects to cross', () => a.sink.disconnects.length >= 2 && b.sink.disconnects.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    const user = { target: { userId: 7 }, code: 4103, reason: 'account disabled' };
    const session = { target: { sessionId: 42 }, code: 4101, reason: 'session revoked' };
    expect(a.sink.disconnects).toEqual([user, session]);
    expect(b.sink.disconnects).toEqual([session, user]);
  }, 60_000);

  it('keeps local delivery while Redis is down, reconnects by itself, signals the gap and flows again', async () => {
    const [a, b] = await twoNodes(200);
    a.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(10, 'before-a') });
    b.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(11, 'before-b') });
    await waitFor('the first events to cross', () => a.sink.events.length === 2 && b.sink.events.length === 2);

    await redis.stop();
    await waitFor('both buses to notice', () => !a.bus.connected && !b.bus.connected);
    // While Redis is down: each node's own clients are still served; the publishes are dropped.
    for (let i = 0; i < 5; i++) {
      a.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(20 + i, `down-a${i}`) });
      a.bus.disconnect({ userId: 9 }, 4103, 'account disabled');
    }
    expect(labels(a.sink.events).slice(2)).toEqual(['down-a0', 'down-a1', 'down-a2', 'down-a3', 'down-a4']);
    expect(a.sink.disconnects).toHaveLength(5);
    expect(a.bus.counts.dropped).toBe(10);
    // Several reconnect attempts fail meanwhile (at most a second apart): no crash, no unhandled error.
    await new Promise((r) => setTimeout(r, 1500));
    expect(a.gaps).toEqual([]);
    expect(b.gaps).toEqual([]);

    await redis.start();
    await waitFor('both buses to signal the gap', () => a.gaps.length > 0 && b.gaps.length > 0);
    await waitFor('both buses to be connected', () => a.bus.connected && b.bus.connected);
    // One gap each, with where each node's clients were when it began (the highest seq delivered).
    expect(a.gaps).toEqual([{ kind: 'reconnected', floorSeq: 11 }]);
    expect(b.gaps).toEqual([{ kind: 'reconnected', floorSeq: 11 }]);
    // Nothing of what A published while Redis was down reached B (the gap is what tells B's clients).
    expect(labels(b.sink.events).sort()).toEqual(['before-a', 'before-b']);

    a.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(30, 'after-a') });
    b.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(31, 'after-b') });
    await waitFor(
      'events to flow again',
      () => labels(b.sink.events).includes('after-a') && labels(a.sink.events).includes('after-b'),
    );
    // Beats after the restart must not be read as lost envelopes (the counters started afresh).
    await new Promise((r) => setTimeout(r, 600));
    expect(a.gaps).toHaveLength(1);
    expect(b.gaps).toHaveLength(1);
    // B's own event is delivered locally at once, A's through Redis after it.
    expect(labels(b.sink.events).slice(2)).toEqual(['after-b', 'after-a']);
    expect(b.sink.disconnects).toEqual([]);
    // The outage was logged, once per connection rather than once per retry.
    const warnings = a.logs.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings.filter((m) => m === 'event bus: Redis unreachable')).toHaveLength(1);
  }, 90_000);

  it('tells the others at once what a node could not publish while only its own link was cut', async () => {
    // Beats every 60 s: only the beat sent when the publisher is back can reveal the loss in time.
    const [a, b] = await twoNodes(60_000);
    const raw = new Redis(redis.url);
    try {
      a.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(1, 'first') });
      await waitFor('the first event', () => b.sink.events.length === 1);
      const clients = (await raw.client('LIST')) as string;
      const id = /id=(\d+) .*name=beseda-pub-a /.exec(clients)?.[1];
      expect(id).toBeDefined();
      await raw.client('KILL', 'ID', id!);
      await waitFor('A to notice', () => !a.bus.connected);
      a.bus.publish(typing(5));
      a.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(2, 'lost') });
      expect(a.bus.counts.dropped).toBe(2);
      await waitFor('B to hear of the loss', () => b.gaps.length > 0);
      expect(b.gaps).toEqual([{ kind: 'lost', node: 'a', missed: 2, onlyEphemeral: false, floorSeq: 1 }]);
      // B's own subscription never dropped: nothing else to signal on either side.
      expect(a.gaps).toEqual([]);
      a.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(3, 'after') });
      await waitFor('events to flow again', () => labels(b.sink.events).includes('after'));
      expect(labels(b.sink.events)).toEqual(['first', 'after']);
    } finally {
      raw.disconnect();
    }
  }, 60_000);

  it('puts the floor of a gap where the node stood a lag before it (publishes in flight may be older)', async () => {
    const [, b] = await twoNodes(50, 400);
    const raw = new Redis(redis.url);
    try {
      const send = (n: number, seq: number) =>
        raw.publish(
          channel,
          JSON.stringify({
            v: 1,
            node: 'x',
            inst: 'x-1',
            n,
            k: n,
            kind: 'event',
            event: { audience: { to: 'everyone' }, frame: messageFrame(seq, `x${n}`) },
          }),
        );
      await send(1, 5);
      await waitFor('the first event', () => b.sink.events.length === 1);
      await new Promise((r) => setTimeout(r, 800)); // seq 5 delivered well over the lag ago
      b.bus.publish({ audience: { to: 'everyone' }, frame: messageFrame(9, 'local') });
      await send(2, 10);
      await send(4, 12); // 3 never arrived: it may be older than 9, delivered just before
      await waitFor('the gap', () => b.gaps.length === 1);
      expect(b.gaps).toEqual([{ kind: 'lost', node: 'x', missed: 1, onlyEphemeral: false, floorSeq: 5 }]);
    } finally {
      raw.disconnect();
    }
  }, 60_000);

  it('signals another node’s lost envelopes by its counter, and refuses repeats and junk', async () => {
    const [, b] = await twoNodes();
    const raw = new Redis(redis.url);
    try {
      // `k` counts the non-ephemeral publishes: messages here, so it follows `n` until the end.
      const send = (n: number, kind: 'event' | 'beat', text = `x${n}`, k = n) =>
        raw.publish(
          channel,
          JSON.stringify({
            v: 1,
            node: 'x',
            inst: 'x-1',
            n,
            k,
            kind,
            ...(kind === 'event' && { event: { audience: { to: 'everyone' }, frame: messageFrame(100 + n, text) } }),
          }),
        );
      await send(1, 'event');
      await send(2, 'event');
      await send(2, 'event', 'x2-again'); // a repeat: refused
      await send(5, 'event'); // 3 and 4 never arrived
      await send(5, 'beat'); // up to date: nothing to say
      await send(7, 'beat'); // 6 and 7 never arrived, with nothing after them
      await raw.publish(channel, 'not json');
      await raw.publish(
        channel,
        JSON.stringify({ v: 1, node: 'x', inst: 'x-2', n: 1, k: 1, kind: 'event', event: {} }),
      );
      await send(8, 'event');
      await send(10, 'beat', '', 8); // 9 and 10 never arrived, but they were typing or presence
      await waitFor('the last gap', () => b.gaps.length === 3);
      expect(labels(b.sink.events)).toEqual(['x1', 'x2', 'x5', 'x8']);
      expect(b.gaps).toEqual([
        { kind: 'lost', node: 'x', missed: 2, onlyEphemeral: false, floorSeq: 102 },
        { kind: 'lost', node: 'x', missed: 2, onlyEphemeral: false, floorSeq: 105 },
        { kind: 'lost', node: 'x', missed: 2, onlyEphemeral: true, floorSeq: 108 },
      ]);
      expect(b.bus.counts.refused).toBe(3);
      const refusals = b.logs.filter((l) => l.msg === 'event bus: envelope refused');
      expect(refusals).toHaveLength(2);
    } finally {
      raw.disconnect();
    }
  }, 60_000);
});
