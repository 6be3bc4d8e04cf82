import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/protocol/errors.ts';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { heavy, report, rssMb, sleep } from './harnessEnv.ts';
import { generateFrames, invalidUtf8, naughtyFrames, type HostileFrame } from './hostileFrames.ts';
import { OutboxClient } from './OutboxClient.ts';
import { createProbeClient, startProbe, type ProbeFigures } from './probe.ts';
import { RawSocket } from './RawSocket.ts';

const hubs: TestHub[] = [];
const clients: OutboxClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const h of hubs) if (h.process.exitCode === null) await h.stop();
});

/**
 * No leak over repeated rounds: the first two rounds may grow the hub for good (measured on a
 * quiet machine: 153–205 MB after the first, a plateau near 200 MB after the second, wherever the
 * first landed), so the two rounds after them add at most 40 MB in all — a leak of 1 KB per
 * hostile frame would add 20 MB a round, and ten times that at the heavy size.
 */
function leakFree(rounds: number[]): boolean {
  return rounds[rounds.length - 1]! - rounds[1]! <= 40;
}

const documentedCodes = new Set<string>(Object.values(ErrorCode));
/** Close codes the hub may end a hostile socket with (docs/protocol.md, plus 1007 from ws for bad UTF-8). */
const documentedCloses = new Set([1003, 1007, 1009, 4000, 4008]);

/** The id the hub must echo: a string id (cut to 64 characters), otherwise null. */
function expectedId(text: string): string | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : null;
}

interface FuzzFigures {
  framesSent: number;
  replies: number;
  byCode: Record<string, number>;
  results: number;
  unanswered: number;
  duplicateReplies: number;
  missingNullReplies: number;
  internal: string[];
  undocumented: string[];
  invalidServerFrames: string[];
  closes: Record<string, number>;
  reconnects: number;
  mismatchedText: number;
  storedNaughty: number;
}

async function person(hub: TestHub, login: string): Promise<{ id: number; token: string }> {
  const u = await hub.addUser(login, login);
  const { token } = await hub.login(u.login, u.password);
  return { id: u.id, token };
}

/**
 * Fires frames at the hub in windows on one socket, with a valid request after every few (so the
 * malformed-frame counter does not close the socket every 20 frames), and checks that every frame
 * got exactly one reply with its id, a documented code, and a schema-valid shape.
 */
async function fire(hub: TestHub, token: string, self: number, frames: HostileFrame[]): Promise<FuzzFigures> {
  const f: FuzzFigures = {
    framesSent: 0,
    replies: 0,
    byCode: {},
    results: 0,
    unanswered: 0,
    duplicateReplies: 0,
    missingNullReplies: 0,
    internal: [],
    undocumented: [],
    invalidServerFrames: [],
    closes: {},
    reconnects: 0,
    mismatchedText: 0,
    storedNaughty: 0,
  };
  let socket = await RawSocket.open(hub.wsUrl, token);
  const window = 200;
  let resets = 0;
  for (let i = 0; i < frames.length; i += window) {
    const batch = frames.slice(i, i + window);
    const expected = new Map<string, { count: number; frame: HostileFrame }>();
    let nullExpected = 0;
    const nullBefore = socket.nullIdErrors;
    const seenBefore = new Map<string, number>();
    const expect = (id: string | null, frame: HostileFrame) => {
      if (id === null) return void nullExpected++;
      const e = expected.get(id);
      if (e) e.count++;
      else {
        expected.set(id, { count: 1, frame });
        seenBefore.set(id, socket.replies.get(id)?.length ?? 0);
      }
    };
    batch.forEach((frame, j) => {
      socket.send(frame.data);
      f.framesSent++;
      expect(expectedId(frame.data), frame);
      if (j % 8 === 7) {
        const reset = {
          category: 'reset',
          data: JSON.stringify({ type: 'users.get', id: `reset${resets++}`, ids: [self] }),
        };
        socket.send(reset.data);
        f.framesSent++;
        expect(expectedId(reset.data), reset);
      }
    });
    const answered = (id: string, e: { count: number }) =>
      (socket.replies.get(id)?.length ?? 0) - (seenBefore.get(id) ?? 0) >= e.count;
    // Waits for the replies, not for a time: a loaded machine answers late, never not at all.
    await socket.waitUntil(() => [...expected].every(([id, e]) => answered(id, e)), 60_000);
    for (const [id, e] of expected) {
      const got = (socket.replies.get(id) ?? []).slice(seenBefore.get(id) ?? 0);
      if (got.length < e.count) f.unanswered += e.count - got.length;
      if (got.length > e.count) f.duplicateReplies += got.length - e.count;
      for (const reply of got) check(reply, e.frame);
    }
    const nullGot = socket.nullIdErrors - nullBefore;
    if (socket.open && nullGot < nullExpected) f.missingNullReplies += nullExpected - nullGot;
    f.replies += nullGot;
    f.byCode.bad_request = (f.byCode.bad_request ?? 0) + nullGot;
    f.invalidServerFrames.push(...socket.invalid.splice(0));
    if (!socket.open) {
      const code = await socket.closed;
      f.closes[code] = (f.closes[code] ?? 0) + 1;
      f.reconnects++;
      socket = await RawSocket.open(hub.wsUrl, token);
    }
  }
  socket.close();
  return f;

  function check(reply: ServerFrame, frame: HostileFrame): void {
    f.replies++;
    if (reply.type === 'result') {
      f.results++;
      const sent = JSON.parse(frame.data) as { type?: unknown; text?: unknown };
      if (frame.category === 'blns' && sent.type === 'send') {
        const m = (reply.result as { message?: { text?: string } }).message;
        if (m?.text === sent.text) f.storedNaughty++;
        else f.mismatchedText++;
      }
      return;
    }
    if (reply.type !== 'error') return;
    f.byCode[reply.code] = (f.byCode[reply.code] ?? 0) + 1;
    if (!documentedCodes.has(reply.code)) f.undocumented.push(`${reply.code}: ${frame.data.slice(0, 120)}`);
    if (reply.code === ErrorCode.Internal) f.internal.push(`${reply.message} ← ${frame.data.slice(0, 160)}`);
  }
}

/** Opens a socket, sends one thing, and returns how the hub closed it (or 0 if it replied instead). */
async function closeCodeFor(hub: TestHub, token: string, data: string | Buffer, binary: boolean): Promise<number> {
  const s = await RawSocket.open(hub.wsUrl, token);
  s.send(data, binary);
  const replied = await s.waitUntil(() => s.replies.size > 0 || s.nullIdErrors > 0, 60_000);
  if (replied && s.open) {
    s.close();
    return 0;
  }
  return s.closed;
}

describe('hostile input', () => {
  it(
    'answers ≥ 10,000 generated hostile frames with documented errors, stays up, and keeps other clients served',
    async () => {
      const hub = await startHub({
        args: [
          '--frames-per-second',
          '100000',
          '--frames-burst',
          '100000',
          '--send-per-second',
          '10000',
          '--send-burst',
          '10000',
        ],
      });
      hubs.push(hub);
      const attacker = await person(hub, 'fuzzer');
      const peer = await person(hub, 'fuzzpeer');
      const probeUser = await person(hub, 'probe');
      const probeClient = createProbeClient(() => hub.wsUrl, probeUser.token, probeUser.id);
      clients.push(probeClient);
      await probeClient.start();

      // Real targets, so valid frames reach storage.
      const setup = new OutboxClient({ url: () => hub.wsUrl, token: attacker.token, userId: attacker.id });
      clients.push(setup);
      await setup.start();
      const general = (
        await setup.request<{ conversations: { id: number; kind: string }[] }>('conversations.list')
      ).conversations.find((c) => c.kind === 'general')!.id;
      const { conversation: room } = await setup.request<{ conversation: { id: number } }>('rooms.create', {
        name: 'Полигон',
        kind: 'closed',
        members: [peer.id],
      });
      const { conversation: direct } = await setup.request<{ conversation: { id: number } }>('direct.open', {
        userId: peer.id,
      });
      await setup.stop();
      const targets = { conversationIds: [room.id, direct.id, general], userIds: [attacker.id, peer.id, probeUser.id] };

      const seed = Number(process.env.BESEDA_FUZZ_SEED ?? Date.now() % 1_000_000);
      const generated = generateFrames(heavy ? 100_000 : 10_000, seed, targets);
      const naughty = naughtyFrames(targets, room.id);

      let probe = startProbe(probeClient);
      await sleep(1500);
      const quiet: ProbeFigures = await probe.stop();
      const rssBefore = rssMb(hub.process.pid!);
      probe = startProbe(probeClient);
      const t0 = Date.now();
      // The naughty strings first: the generated frames may well make the attacker leave the room.
      const blns = await fire(hub, attacker.token, attacker.id, naughty);
      const fuzz = await fire(hub, attacker.token, attacker.id, generated);

      // Frames that end the connection, each on its own socket.
      const closes: Record<string, number[]> = { utf8: [], binary: [], oversized: [], exact64k: [], strikes: [] };
      for (const bytes of invalidUtf8) closes.utf8!.push(await closeCodeFor(hub, attacker.token, bytes, false));
      for (const size of [1, 100, 70_000])
        closes.binary!.push(await closeCodeFor(hub, attacker.token, Buffer.alloc(size, 7), true));
      for (const size of [65_537, 1_000_000]) {
        const text = JSON.stringify({
          type: 'send',
          id: 'big',
          conversationId: room.id,
          clientId: 'bigbigbig',
          text: '',
        });
        closes.oversized!.push(
          await closeCodeFor(hub, attacker.token, text.slice(0, -2) + 'я'.repeat(size) + '"}', false),
        );
      }
      // Exactly at the limit is still a frame: it gets a reply, not a close.
      const at = JSON.stringify({ type: 'send', id: 'edge', conversationId: room.id, clientId: 'edgeedge', text: '' });
      closes.exact64k!.push(
        await closeCodeFor(hub, attacker.token, at.slice(0, -2) + 'x'.repeat(65_536 - at.length) + '"}', false),
      );
      const striker = await RawSocket.open(hub.wsUrl, attacker.token);
      for (let i = 0; i < 40; i++) striker.send('{"not json');
      closes.strikes!.push(await striker.closed);

      const answeredDuringAttack = probe.answered;
      const attack = await probe.stop();
      const seconds = (Date.now() - t0) / 1000;
      await sleep(1500);
      const rssAfter = rssMb(hub.process.pid!);
      // Memory the first rounds made the hub grow (V8's heap, SQLite's page cache, the stored
      // naughty strings) is kept; what a leak holds grows with every round. So three more rounds
      // of generated frames, and the growth over the last two is the figure that must stay small
      // — one sample against the quiet start mixed the two (CI once failed at 99 → 199 MB).
      const rounds = [rssAfter];
      for (const more of [1, 2, 3]) {
        const again = await fire(
          hub,
          attacker.token,
          attacker.id,
          generateFrames(heavy ? 100_000 : 10_000, seed + more, targets),
        );
        expect(again.internal).toEqual([]);
        expect(again.unanswered).toBe(0);
        await sleep(1500);
        rounds.push(rssMb(hub.process.pid!));
      }
      const health = await fetch(`${hub.url}/healthz`);
      const framesTried =
        fuzz.framesSent + blns.framesSent + Object.values(closes).reduce((s, list) => s + list.length, 0) + 40;
      report('hostile frames', {
        seed,
        framesTried,
        seconds: Math.round(seconds),
        framesPerSecond: Math.round(framesTried / seconds),
        generated: { ...fuzz, internal: fuzz.internal.length, undocumented: fuzz.undocumented.length },
        blns: { ...blns, internal: blns.internal.length, undocumented: blns.undocumented.length },
        closes,
        probeQuietMs: quiet,
        probeUnderAttackMs: attack,
        answeredDuringAttack,
        rssBeforeMb: rssBefore,
        rssAfterMb: rssAfter,
        rssAfterRoundsMb: rounds,
      });
      if (fuzz.internal.length + blns.internal.length > 0)
        console.log('[harness] internal errors:', [...fuzz.internal, ...blns.internal].slice(0, 10));

      expect(framesTried).toBeGreaterThanOrEqual(10_000);
      expect(hub.process.exitCode).toBe(null);
      expect(health.status).toBe(200);
      for (const f of [fuzz, blns]) {
        expect(f.internal).toEqual([]);
        expect(f.undocumented).toEqual([]);
        expect(f.invalidServerFrames).toEqual([]);
        expect(f.unanswered).toBe(0);
        expect(f.duplicateReplies).toBe(0);
        expect(f.missingNullReplies).toBe(0);
        expect(f.mismatchedText).toBe(0);
        for (const code of Object.keys(f.closes)) expect(documentedCloses.has(Number(code))).toBe(true);
      }
      expect(blns.storedNaughty).toBeGreaterThan(400);
      expect(closes.utf8!.every((c) => c === 1007)).toBe(true);
      // A binary frame over 64 KiB may be refused for its size first.
      expect(closes.binary).toEqual([1003, 1003, expect.toBeOneOf([1003, 1009])]);
      expect(closes.oversized!.every((c) => c === 1009)).toBe(true);
      expect(closes.exact64k).toEqual([0]);
      expect(closes.strikes).toEqual([4000]);
      // Everyone else stays served: every probe request answered, on a connection the hub never
      // cut, and answered while the attack was still going on. How fast is a figure of the
      // benchmark (`npm run bench`, the hostile-frames row), not a bound here: fuzzer, hub and
      // probe share two cores with whatever else the machine runs (measured p99: 2 s at load
      // average 8 in the benchmark's step, where the old bound here was 2 s).
      expect(attack.failed).toBe(0);
      expect(attack.dropped).toBe(0);
      expect(answeredDuringAttack).toBeGreaterThan(0);
      expect(leakFree(rounds)).toBe(true);
      expect(rssAfter).toBeLessThan(rssBefore * 3 + 100);
    },
    heavy ? 900_000 : 600_000,
  );

  it('rate-limits a flood from one client, then cuts it (4008), while another client stays served', async () => {
    // Production limits: 50 frames/s with bursts of 200 per connection, 10 messages/s per user.
    const hub = await startHub();
    hubs.push(hub);
    const attacker = await person(hub, 'flooder');
    const probeUser = await person(hub, 'calm');
    const probeClient = createProbeClient(() => hub.wsUrl, probeUser.token, probeUser.id);
    clients.push(probeClient);
    await probeClient.start();
    let probe = startProbe(probeClient);
    await sleep(1000);
    const quiet = await probe.stop();

    probe = startProbe(probeClient);
    // The attacker floods, gets cut off, reconnects at once and floods again, for a while.
    let sent = 0;
    const cutCodes: number[] = [];
    const cutAfterMs: number[] = [];
    let closeWaitMsMax = 0;
    const replies: ServerFrame[] = [];
    const end = Date.now() + (heavy ? 20_000 : 4000);
    while (Date.now() < end) {
      const s = await RawSocket.open(hub.wsUrl, attacker.token);
      const t0 = Date.now();
      while (s.open && Date.now() - t0 < 15_000) {
        for (let i = 0; i < 300; i++)
          s.send(JSON.stringify({ type: 'users.get', id: `x${sent++}`, ids: [attacker.id] }));
        await sleep(20);
      }
      // The close event can follow the hub's close frame (the socket stops being open) by seconds
      // on a loaded machine: 2.9 s seen at load 21, and a 3 s wait timed out at load 29. ws itself
      // gives up on the closing handshake after 30 s.
      const t1 = Date.now();
      cutCodes.push(await Promise.race([s.closed, sleep(45_000).then(() => 0)]));
      closeWaitMsMax = Math.max(closeWaitMsMax, Date.now() - t1);
      cutAfterMs.push(Date.now() - t0);
      replies.push(...[...s.replies.values()].flat());
    }
    const limited = replies.filter((r) => r.type === 'error' && r.code === 'rate_limited');
    const retryHints = limited.filter((r) => r.type === 'error' && (r.retryAfterMs ?? 0) > 0).length;

    // Messages: a burst of sends from one user is cut down to the per-user allowance (burst 30).
    const sender = await RawSocket.open(hub.wsUrl, attacker.token);
    const { conversations } = await new Promise<{ conversations: { id: number; kind: string }[] }>((resolve) => {
      sender.send(JSON.stringify({ type: 'conversations.list', id: 'cl' }));
      void sender
        .waitUntil(() => sender.replies.has('cl'), 60_000)
        .then(() => resolve((sender.replies.get('cl')![0] as unknown as { result: never }).result));
    });
    const general = conversations.find((c) => c.kind === 'general')!.id;
    for (let i = 0; i < 60; i++)
      sender.send(
        JSON.stringify({
          type: 'send',
          id: `m${i}`,
          conversationId: general,
          clientId: `flood-${i}-xx`,
          text: `поток ${i}`,
        }),
      );
    await sender.waitUntil(() => [...Array(60).keys()].every((i) => sender.replies.has(`m${i}`)), 60_000);
    const sendReplies = [...Array(60).keys()].map((i) => sender.replies.get(`m${i}`)?.[0]);
    const accepted = sendReplies.filter((r) => r?.type === 'result').length;
    const sendLimited = sendReplies.filter((r) => r?.type === 'error' && r.code === 'rate_limited').length;
    sender.close();
    const answeredDuringAttack = probe.answered;
    const attack = await probe.stop();
    const health = await fetch(`${hub.url}/healthz`);
    report('flood', {
      framesSent: sent,
      replies: replies.length,
      rateLimited: limited.length,
      retryHints,
      cutOffs: cutCodes.length,
      closeCodes: [...new Set(cutCodes)],
      cutAfterMsMax: Math.max(...cutAfterMs),
      closeWaitMsMax,
      burstOfSends: { sent: 60, accepted, rateLimited: sendLimited },
      probeQuietMs: quiet,
      probeUnderAttackMs: attack,
      answeredDuringAttack,
    });
    expect(new Set(cutCodes)).toEqual(new Set([4008]));
    expect(limited.length).toBeGreaterThan(100);
    expect(retryHints).toBe(limited.length);
    expect(accepted + sendLimited).toBe(60);
    expect(sendLimited).toBeGreaterThan(0);
    expect(health.status).toBe(200);
    // Served throughout; the round trips are the benchmark's flood row, not a bound here.
    expect(attack.failed).toBe(0);
    expect(attack.dropped).toBe(0);
    expect(answeredDuringAttack).toBeGreaterThan(0);
  }, 240_000);
});
