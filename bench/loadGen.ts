// A load-generator process (forked by the orchestrator): holds many client sockets, speaks the
// real protocol (or the bare relay's subset of it) and measures what its clients see.
import WebSocket from 'ws';
import { subprotocolFor, tokenSubprotocolPrefix } from '../common/protocol/version.ts';
import type {
  BenchUser,
  ConnectResult,
  GenReply,
  GenRequest,
  RunResult,
  RunSpec,
  UserConversations,
} from './genProtocol.ts';
import { Histogram } from './Histogram.ts';
import { assignConversations, genSetupPhase, pool } from './genSetupPhase.ts';
import { sourceAddressOf } from './limitsPhase.ts';
import { initStorm, noteStormMessage, stormArm, stormExpect, stormGo, stormPause } from './reconnectPhase.ts';
import { benchClientId, messageLength, messageText, nowMs, rng, sendTimeOf } from './workload.ts';

interface Pending {
  resolve(frame: Reply): void;
}

type Reply =
  { type: 'result'; id: string; result: Record<string, unknown> } | { type: 'error'; id: string; code: string };

/** One simulated person with one socket. */
interface Client {
  user: BenchUser;
  /** The loopback source address its sockets bind to (undefined: the system's choice). */
  localAddress: string | undefined;
  ws: WebSocket | undefined;
  open: boolean;
  conversations: UserConversations | undefined;
  /** Every conversation the user is in, for the storm's visibility check. */
  member: Set<number>;
  lastSeq: number;
  nextReq: number;
  pending: Map<string, Pending>;
  idle: boolean;
  /** When the last socket's upgrade (HTTP 101) arrived: token checked, hello still to come. */
  upgradedAt: number | undefined;
  /** The hub's largest sync page (hello's limits). */
  syncPageMax: number | undefined;
  /** Storm: the missed seqs this client must get, and those it got. */
  expected: Set<number> | undefined;
  got: Set<number>;
  /** The people it looked up after its first hello (users.get); again after a storm's reconnect. */
  watching: number[];
}

const genIndex = Number(process.env.BENCH_GEN_INDEX ?? 0);
const clients: Client[] = [];
const byUser = new Map<number, Client>();
let counter = 0;

/** Live measurement state of the current phase (undefined between phases). */
let phase:
  | {
      spec: RunSpec;
      windowEnd: number;
      result: RunResult;
      latency: Histogram;
      ackLatency: Histogram;
      outstanding: number;
    }
  | undefined;
/** Close codes seen while no phase runs are not reported. */
const closesOutsidePhase: Record<string, number> = {};

const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

/** Frames received by type, over the generator's life (presence storms show here). */
const counters: Record<string, number> = {};

function onFrame(client: Client, raw: string): void {
  let frame: { type: string; id?: string; message?: { seq: number; conversationId: number; clientId: string } };
  try {
    frame = JSON.parse(raw) as typeof frame;
  } catch {
    return;
  }
  counters[frame.type] = (counters[frame.type] ?? 0) + 1;
  switch (frame.type) {
    case 'message': {
      const m = frame.message!;
      if (m.seq > client.lastSeq) client.lastSeq = m.seq;
      if (client.expected) noteStormMessage(client, m.seq, m.conversationId);
      if (phase) {
        const now = nowMs();
        if (now <= phase.windowEnd) phase.result.deliveries++;
        const t0 = sendTimeOf(m.clientId);
        if (t0 !== undefined && t0 >= phase.spec.startAt && t0 <= phase.windowEnd) phase.latency.record(now - t0);
      }
      return;
    }
    case 'typing':
    case 'presence':
      if (phase && nowMs() <= phase.windowEnd) phase.result.ephemeral++;
      return;
    case 'result':
    case 'error': {
      const p = client.pending.get(frame.id!);
      if (p) {
        client.pending.delete(frame.id!);
        p.resolve(frame as Reply);
      }
      return;
    }
    default:
      return;
  }
}

/** Sends one request and resolves with its reply (or an `error` frame with code `closed`). */
function request(client: Client, type: string, params: Record<string, unknown>): Promise<Reply> {
  const id = (client.nextReq++).toString(36);
  return new Promise<Reply>((resolve) => {
    if (!client.open || !client.ws) {
      resolve({ type: 'error', id, code: 'closed' });
      return;
    }
    client.pending.set(id, { resolve });
    client.ws.send(JSON.stringify({ type, id, ...params }));
  });
}

function failPending(client: Client): void {
  const pending = [...client.pending.entries()];
  client.pending.clear();
  for (const [id, p] of pending) p.resolve({ type: 'error', id, code: 'closed' });
}

/** Opens one client's socket and waits for hello. */
function openClient(client: Client, url: string, kind: 'hub' | 'bare', resume = false): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ws =
      kind === 'hub'
        ? new WebSocket(url, [subprotocolFor(1), tokenSubprotocolPrefix + client.user.token], {
            perMessageDeflate: false,
            localAddress: client.localAddress,
          })
        : new WebSocket(`${url}?user=${client.user.userId}`, {
            perMessageDeflate: false,
            localAddress: client.localAddress,
          });
    let helloSeen = false;
    client.upgradedAt = undefined;
    ws.once('upgrade', () => (client.upgradedAt = nowMs()));
    ws.on('message', (data) => {
      const text = data.toString();
      if (!helloSeen) {
        helloSeen = true;
        try {
          const hello = JSON.parse(text) as {
            type: string;
            lastSeq?: number;
            conversations?: { id: number; kind: string }[];
            limits?: { syncPageMax?: number };
          };
          if (hello.type !== 'hello') throw new Error(`expected hello, got ${hello.type}`);
          // A resuming client keeps its own last seq (that is what it must catch up from).
          if (!resume) client.lastSeq = hello.lastSeq ?? 0;
          for (const c of hello.conversations ?? []) client.member.add(c.id);
          client.syncPageMax = hello.limits?.syncPageMax;
        } catch (err) {
          ws.terminate();
          reject(err as Error);
          return;
        }
        client.ws = ws;
        client.open = true;
        resolve();
        return;
      }
      onFrame(client, text);
    });
    ws.on('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
    ws.on('close', (code) => {
      if (client.ws === ws) {
        client.open = false;
        client.ws = undefined;
        failPending(client);
        if (phase) bump(phase.result.closes, String(code));
        else bump(closesOutsidePhase, String(code));
        // Also with the frame counts (as `close CODE`), so a phase can tell who dropped its connections.
        bump(counters, `close ${code}`);
      }
      if (!helloSeen) reject(new Error(`closed ${code} before hello`));
    });
  });
}

async function connect(cmd: Extract<GenRequest, { cmd: 'connect' }>): Promise<ConnectResult> {
  const started = Date.now();
  const errors: Record<string, number> = {};
  let connected = 0;
  const fresh = cmd.users.map((user) => {
    let c = byUser.get(user.userId);
    if (!c) {
      c = {
        user,
        localAddress: sourceAddressOf(clients.length, cmd.sourceAddresses ?? 1),
        ws: undefined,
        open: false,
        conversations: undefined,
        member: new Set(),
        lastSeq: 0,
        nextReq: 1,
        pending: new Map(),
        idle: false,
        syncPageMax: undefined,
        upgradedAt: undefined,
        expected: undefined,
        got: new Set(),
        watching: [],
      };
      clients.push(c);
      byUser.set(user.userId, c);
    }
    return c;
  });
  await pool(fresh, cmd.concurrency, async (c) => {
    if (c.open) return;
    try {
      await openClient(c, cmd.url, cmd.kind);
      connected++;
    } catch (err) {
      bump(errors, (err as Error).message.slice(0, 60));
      return;
    }
    if (cmd.watch && cmd.watch.perClient > 0 && cmd.watch.ids.length > 0) {
      c.watching = watchedBy(c.user.userId, cmd.watch);
      const reply = await request(c, 'users.get', { ids: c.watching });
      if (reply.type === 'error') bump(errors, `users.get: ${reply.code}`);
    }
  });
  return { connected, failed: fresh.length - connected, ms: Date.now() - started, errors };
}

/** The users a client looks up: `perClient` of `ids` (itself excluded), the same on every run. */
function watchedBy(userId: number, watch: { ids: number[]; perClient: number }): number[] {
  const random = rng(userId);
  const out = new Set<number>();
  const want = Math.min(watch.perClient, 500, watch.ids.length - 1);
  while (out.size < want) {
    const id = watch.ids[Math.floor(random() * watch.ids.length)]!;
    if (id !== userId) out.add(id);
  }
  return [...out];
}

/** One load phase: sends by rate or window, counts deliveries, then drains. */
async function run(spec: RunSpec): Promise<RunResult> {
  const random = rng(spec.seed);
  const result: RunResult = {
    sent: 0,
    acked: 0,
    ackedInWindow: 0,
    errors: {},
    deliveries: 0,
    ephemeral: 0,
    typingSent: 0,
    presenceSent: 0,
    latency: new Histogram().toJSON(),
    ackLatency: new Histogram().toJSON(),
    closes: {},
    unacked: 0,
    cpuMs: 0,
    elapsedMs: 0,
  };
  const windowEnd = spec.startAt + spec.durationMs;
  const current = { spec, windowEnd, result, latency: new Histogram(), ackLatency: new Histogram(), outstanding: 0 };
  phase = current;
  const senders = clients.filter((c) => c.conversations);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

  const sendOne = (): Promise<void> | undefined => {
    const live = senders.length > 0 ? pickLive() : undefined;
    if (!live) return undefined;
    const convs = live.conversations!;
    const r = random();
    let conversationId = convs.general;
    if (r >= spec.mix.general) {
      const wantRoom = r < spec.mix.general + spec.mix.rooms;
      const list =
        wantRoom && convs.rooms.length > 0 ? convs.rooms : convs.directs.length > 0 ? convs.directs : convs.rooms;
      if (list.length > 0) conversationId = pick(list);
    }
    if (random() < spec.typingShare) {
      result.typingSent++;
      void request(live, 'typing', { conversationId });
    }
    const t0 = nowMs();
    const clientId = benchClientId(genIndex, counter++, t0);
    const text = messageText(random, messageLength(random));
    result.sent++;
    current.outstanding++;
    return request(live, 'send', { conversationId, clientId, text }).then((reply) => {
      current.outstanding--;
      const t1 = nowMs();
      if (reply.type === 'error') return void bump(result.errors, reply.code);
      result.acked++;
      if (t1 <= windowEnd) result.ackedInWindow++;
      current.ackLatency.record(t1 - t0);
    });
  };
  const pickLive = (): Client | undefined => {
    for (let tries = 0; tries < 20; tries++) {
      const c = pick(senders);
      if (c.open) return c;
    }
    return senders.find((c) => c.open);
  };
  const presenceOne = () => {
    const c = pickLive();
    if (!c) return;
    c.idle = !c.idle;
    result.presenceSent++;
    void request(c, 'presence.set', { idle: c.idle });
  };

  const cpu0 = process.cpuUsage();
  await sleepUntil(spec.startAt);
  const t0 = Date.now();
  let presenceDebt = 0;
  if (spec.mode === 'rate') {
    let debt = 0;
    let last = nowMs();
    while (nowMs() < windowEnd) {
      await sleep(5);
      const now = nowMs();
      const dt = (Math.min(now, windowEnd) - last) / 1000;
      last = now;
      debt += spec.rate * dt;
      presenceDebt += spec.presencePerSecond * dt;
      for (; debt >= 1; debt--) void sendOne();
      for (; presenceDebt >= 1; presenceDebt--) presenceOne();
    }
  } else {
    const loop = async (): Promise<void> => {
      while (nowMs() < windowEnd) {
        const p = sendOne();
        if (!p) return;
        await p;
      }
    };
    const ticker = setInterval(() => {
      presenceDebt += spec.presencePerSecond * 0.05;
      for (; presenceDebt >= 1; presenceDebt--) presenceOne();
    }, 50);
    await Promise.all(Array.from({ length: spec.window }, loop));
    clearInterval(ticker);
  }
  // Drain: wait for acks and late deliveries.
  const drainEnd = nowMs() + spec.drainMs;
  while (nowMs() < drainEnd && current.outstanding > 0) await sleep(20);
  await sleep(Math.min(500, Math.max(0, drainEnd - nowMs())));
  phase = undefined;
  const cpu = process.cpuUsage(cpu0);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  result.elapsedMs = Date.now() - t0;
  result.unacked = current.outstanding;
  result.latency = current.latency.toJSON();
  result.ackLatency = current.ackLatency.toJSON();
  return result;
}

function disconnect(userIds: number[] | undefined): Promise<number> {
  const only = userIds && new Set(userIds);
  const open = clients.filter((c) => c.ws && (!only || only.has(c.user.userId)));
  return Promise.all(
    open.map(
      (c) =>
        new Promise<void>((resolve) => {
          const ws = c.ws!;
          ws.once('close', () => resolve());
          ws.close(1000);
          setTimeout(() => {
            ws.terminate();
            resolve();
          }, 3000).unref();
        }),
    ),
  ).then(() => open.length);
}

initStorm({
  clients,
  byUser,
  // Only this generator's clients are handed to the storm: the casts are safe.
  open: (c, url) => openClient(c as Client, url, 'hub', true),
  request: (c, type, params) => request(c as Client, type, params),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sleepUntil = (t: number) => sleep(Math.max(0, t - nowMs()));

async function handle(req: GenRequest): Promise<unknown> {
  switch (req.cmd) {
    case 'connect':
      return connect(req);
    case 'setup':
      return genSetupPhase(req, (userId) => byUser.get(userId)!, request);
    case 'assign':
      return assignConversations(req, byUser);
    case 'run':
      return run(req);
    case 'disconnect':
      return disconnect(req.userIds);
    case 'storm-expect':
      return stormExpect(req);
    case 'storm-arm':
      return stormArm(req);
    case 'storm-pause':
      return stormPause();
    case 'storm-go':
      return stormGo(req);
    case 'counters':
      return { ...counters };
    case 'exit':
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (req: GenRequest) => {
  handle(req).then(
    (result) => process.send!({ reqId: req.reqId, ok: true, result } satisfies GenReply),
    (err: unknown) => process.send!({ reqId: req.reqId, ok: false, error: String((err as Error)?.stack ?? err) }),
  );
});
process.on('disconnect', () => process.exit(0));
