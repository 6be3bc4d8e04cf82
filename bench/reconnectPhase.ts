// The reconnect storm inside a load generator: once the hub stops, each storm client comes back
// as the real client does (common/client/Connection: back-off with full jitter from 0.5 s,
// doubling, after every refused attempt), then catches up with `sync` pages as the real client
// asks for them; what each stage took is measured here.
import { backoffDelay, defaultBackoff } from '../common/client/backoffDelay.ts';
import { restartCapMs } from '../common/client/Connection.ts';
import type { BenchUser, GenCommand, StormResult } from './genProtocol.ts';
import { Histogram } from './Histogram.ts';
import { nowMs } from './workload.ts';

/** What the storm needs of a generator's client. */
export interface StormClient {
  user: BenchUser;
  ws: { once(event: 'close', listener: () => void): unknown } | undefined;
  open: boolean;
  member: Set<number>;
  lastSeq: number;
  expected: Set<number> | undefined;
  got: Set<number>;
  syncPageMax: number | undefined;
  upgradedAt: number | undefined;
  /** The people it looked up when it first connected: looked up again after a reconnect. */
  watching: number[];
}

/** A request's reply as the generator hands it over. */
type SyncReply = { type: 'result'; result: Record<string, unknown> } | { type: 'error'; code: string };

/** The generator's parts the storm uses. */
export interface StormDeps {
  clients: readonly StormClient[];
  byUser: Map<number, StormClient>;
  /** Opens a client's socket again (keeping its last seq) and waits for hello. */
  open(c: StormClient, url: string): Promise<void>;
  request(c: StormClient, type: string, params: Record<string, unknown>): Promise<SyncReply>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

let deps: StormDeps;

/** Hands the storm the generator's clients and socket functions (once, at start). */
export function initStorm(d: StormDeps): void {
  deps = d;
}

export function noteStormMessage(client: StormClient, seq: number, conversationId: number): void {
  if (!client.member.has(conversationId)) storm.anomalies++;
  if (client.expected!.has(seq)) {
    if (client.got.has(seq)) storm.anomalies++;
    client.got.add(seq);
  }
}

/** The storm in this generator: the clients' reconnect loops and what each stage took. */
let storm = newStorm('', 0);

// The hub was stopped with SIGTERM, so every client heard 1001 "restarting": the real client
// (common/client/Connection.ts) then caps its retries at restartCapMs for a minute.
function newStorm(url: string, deadlineMs: number, backoffCapMs = restartCapMs) {
  return {
    url,
    backoff: { ...defaultBackoff, capMs: backoffCapMs },
    deadline: nowMs() + deadlineMs,
    /** When the hub counts as back (the missed messages are posted), in real time. */
    gateOpenAt: undefined as number | undefined,
    /**
     * The clients' clock: real time, but stopped while the missed messages are posted (a bench
     * step, not part of a restart) so the back-off they reach reflects only the hub's restart.
     * Attempts falling before `downUntil` on this clock fail as against a hub not yet listening.
     */
    pausedAt: undefined as number | undefined,
    offset: 0,
    downUntil: -Infinity,
    resume: undefined as (() => void) | undefined,
    resumed: Promise.resolve(),
    loops: [] as Promise<void>[],
    anomalies: 0,
    awayAttempts: 0,
    failedAttempts: 0,
    errors: {} as Record<string, number>,
    backoffWait: new Histogram(),
    connect: new Histogram(),
    upgrade: new Histogram(),
    sync: new Histogram(),
    catchUp: new Histogram(),
    caughtUp: 0,
    syncRounds: 0,
    syncRoundsMax: 0,
    pageSize: 0,
  };
}

export function stormExpect(cmd: Extract<GenCommand, { cmd: 'storm-expect' }>): number {
  let total = 0;
  for (const userId of cmd.userIds) {
    const c = deps.byUser.get(userId)!;
    c.expected = new Set(
      cmd.posts.filter((p) => p.seq > c.lastSeq && c.member.has(p.conversationId)).map((p) => p.seq),
    );
    c.got = new Set();
    total += c.expected.size;
  }
  return total;
}

/**
 * Before the hub stops: each storm client, once its socket closes, reconnects as the real client
 * does (common/client/Connection: back-off with full jitter from 0.5 s, doubling, after every
 * failed attempt). Until `storm-go` opens the gate its attempts count as failed (the hub is away).
 */
export function stormArm(cmd: Extract<GenCommand, { cmd: 'storm-arm' }>): number {
  storm = newStorm(cmd.url, cmd.deadlineMs, cmd.backoffCapMs);
  for (const userId of cmd.userIds) {
    const c = deps.byUser.get(userId);
    const ws = c?.ws;
    if (!c || !ws) continue;
    storm.loops.push(new Promise<void>((resolve) => ws.once('close', () => resolve())).then(() => reconnect(c)));
  }
  return storm.loops.length;
}

/** The clients' clock (see `storm.pausedAt`). */
const clientNow = () => (storm.pausedAt ?? nowMs()) - storm.offset;

/** Waits until the clients' clock reads `t` (not moving while paused). */
async function sleepUntilClient(t: number): Promise<void> {
  for (;;) {
    if (storm.pausedAt !== undefined) {
      await storm.resumed;
      continue;
    }
    const left = t - clientNow();
    if (left <= 0) return;
    await sleep(left);
  }
}

/** The hub process restarts: the clients' clock stops until `storm-go`. */
export function stormPause(): void {
  storm.pausedAt = nowMs();
  storm.resumed = new Promise<void>((resolve) => (storm.resume = resolve));
}

/** One client's way back: back-off, connect, then `sync` pages as the real client asks for them. */
async function reconnect(c: StormClient): Promise<void> {
  let attempt = 0;
  let waited = false;
  let at = clientNow();
  while (nowMs() < storm.deadline) {
    at += backoffDelay(attempt++, Math.random, storm.backoff);
    await sleepUntilClient(at);
    if (storm.gateOpenAt === undefined || at < storm.downUntil) {
      // The hub is not listening at that moment: refused at once, as a real attempt would be.
      storm.awayAttempts++;
      continue;
    }
    const t0 = nowMs();
    if (!waited) {
      waited = true;
      storm.backoffWait.record(Math.max(0, clientNow() - storm.downUntil));
    }
    try {
      await deps.open(c, storm.url);
    } catch (err) {
      storm.failedAttempts++;
      bump(storm.errors, (err as Error).message.slice(0, 60));
      at = clientNow();
      continue;
    }
    const t1 = nowMs();
    storm.connect.record(t1 - t0);
    if (c.upgradedAt !== undefined) storm.upgrade.record(c.upgradedAt - t0);
    // As the client core does after every hello: the people it shows looked up again (their
    // presence, and the new line watches them), beside the catch-up rather than before it.
    if (c.watching.length > 0)
      void deps.request(c, 'users.get', { ids: c.watching }).then((reply) => {
        if (reply.type === 'error' && reply.code !== 'closed') bump(storm.errors, `users.get ${reply.code}`);
      });
    if (!(await catchUp(c))) {
      at = clientNow();
      continue; // the socket dropped during the catch-up: reconnect
    }
    storm.sync.record(nowMs() - t1);
    if (c.expected && c.got.size === c.expected.size) {
      storm.caughtUp++;
      storm.catchUp.record(nowMs() - storm.gateOpenAt);
    }
    return;
  }
}

/** `sync` from the client's last seq, page by page (the real client's page: min(500, syncPageMax)). */
async function catchUp(c: StormClient): Promise<boolean> {
  const limit = Math.min(realClientSyncPage, c.syncPageMax ?? 1000);
  storm.pageSize = limit;
  let since = c.lastSeq;
  let rounds = 0;
  try {
    for (;;) {
      rounds++;
      const reply = await deps.request(c, 'sync', { since, limit });
      if (reply.type === 'error') {
        bump(storm.errors, `sync ${reply.code}`);
        if (reply.code === 'closed' || nowMs() > storm.deadline) return false;
        await sleep(200);
        continue;
      }
      const { messages, more } = reply.result as {
        messages: { seq: number; conversationId: number }[];
        more: boolean;
      };
      for (const m of messages) {
        noteStormMessage(c, m.seq, m.conversationId);
        if (m.seq > c.lastSeq) c.lastSeq = m.seq;
      }
      since = messages.at(-1)?.seq ?? since;
      if (!more) return true;
    }
  } finally {
    storm.syncRounds += rounds;
    storm.syncRoundsMax = Math.max(storm.syncRoundsMax, rounds);
  }
}

/** The hub is back: the clients' next attempts go through; resolves when all caught up (or the deadline). */
export async function stormGo(cmd: Extract<GenCommand, { cmd: 'storm-go' }>): Promise<StormResult> {
  const stormClients = deps.clients.filter((c) => c.expected);
  storm.gateOpenAt = nowMs();
  if (storm.pausedAt !== undefined) {
    // The clock moves on by the hub's start-up only: attempts in that span were refused.
    const paused = storm.gateOpenAt - storm.pausedAt;
    storm.downUntil = storm.pausedAt - storm.offset + cmd.startupMs;
    storm.offset += Math.max(0, paused - cmd.startupMs);
    storm.pausedAt = undefined;
    storm.resume?.();
  }
  const left = storm.deadline - nowMs();
  await Promise.race([Promise.all(storm.loops), sleep(Math.max(0, left))]);
  let expectedTotal = 0;
  let receivedTotal = 0;
  for (const c of stormClients) {
    expectedTotal += c.expected!.size;
    receivedTotal += c.got.size;
    c.expected = undefined;
  }
  return {
    clients: stormClients.length,
    caughtUp: storm.caughtUp,
    catchUp: storm.catchUp.toJSON(),
    expectedTotal,
    receivedTotal,
    anomalies: storm.anomalies,
    connectRetries: storm.failedAttempts,
    errors: storm.errors,
    awayAttempts: storm.awayAttempts,
    backoffWait: storm.backoffWait.toJSON(),
    connect: storm.connect.toJSON(),
    upgrade: storm.upgrade.toJSON(),
    sync: storm.sync.toJSON(),
    syncRounds: storm.syncRounds,
    syncRoundsMax: storm.syncRoundsMax,
    syncPageSize: storm.pageSize,
  };
}

/** The real client's sync page (common/client/ChatClient tuning.syncPage). */
const realClientSyncPage = 500;
