// What an abusive client costs everyone else: an ordinary client's round trips, quiet and while
// another client floods the hub (production limits) or fires hostile frames at it (frame limits
// lifted). The tests (tests/harness/hostile.test.ts) prove that the others stay served; how fast
// they are served is this figure, measured here and not asserted there, because a test machine
// shares its cores with whatever else runs.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { subprotocolFor, tokenSubprotocolPrefix } from '../common/protocol/version.ts';
import { generateFrames, naughtyFrames } from '../tests/harness/hostileFrames.ts';
import { createUsers } from './createUsers.ts';
import { Histogram } from './Histogram.ts';
import { HubProcess } from './HubProcess.ts';
import { ProtoClient } from './ProtoClient.ts';

/** Round trips of the ordinary client, in ms. */
export interface RoundTrips {
  p50: number;
  p99: number;
  max: number;
  count: number;
  /** Requests not answered within 30 s, or lost with the connection. */
  failed: number;
}

/** One attack and what the ordinary client saw meanwhile. */
export interface AttackFigures {
  /** Hub flags besides the data folder and the scrypt cost. */
  hubFlags: string[];
  durationS: number;
  framesSent: number;
  /** Connections the hub cut (4008 flood, 4000 malformed frames, 1007/1009 bad frames). */
  cutOffs: number;
  quietMs: RoundTrips;
  underAttackMs: RoundTrips;
  loadAverage: number;
}

/** Both attacks. */
export interface AbuseFigures {
  flood: AttackFigures;
  hostile: AttackFigures;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number) => Math.round(n * 10) / 10;

/** Asks the hub a cheap question (`users.get` of itself) in a loop until stopped. */
function startProbe(client: ProtoClient, userId: number): { stop(): Promise<RoundTrips> } {
  const h = new Histogram();
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        await Promise.race([
          client.request('users.get', { ids: [userId] }),
          sleep(30_000).then(() => Promise.reject(new Error('no answer within 30 s'))),
        ]);
        h.record(performance.now() - t0);
      } catch {
        failed++;
      }
      await sleep(25);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const p = (q: number) => round(h.percentile(q));
      return { p50: p(50), p99: p(99), max: round(h.max), count: h.count, failed };
    },
  };
}

/** A raw socket for the attacker; resolves once open, with its close code once closed. */
function attackerSocket(wsUrl: string, token: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, [subprotocolFor(1), tokenSubprotocolPrefix + token], {
      perMessageDeflate: false,
    });
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('error', () => undefined);
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`attacker refused: HTTP ${res.statusCode}`)));
  });
}

/** 300 requests every 20 ms on one connection until the hub cuts it, then again, for `ms`. */
async function flood(wsUrl: string, token: string, userId: number, ms: number) {
  let framesSent = 0;
  let cutOffs = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const { ws, closed } = await attackerSocket(wsUrl, token);
    while (ws.readyState === WebSocket.OPEN && Date.now() < end) {
      for (let i = 0; i < 300; i++)
        ws.send(JSON.stringify({ type: 'users.get', id: `x${framesSent++}`, ids: [userId] }));
      await sleep(20);
    }
    if (ws.readyState === WebSocket.OPEN) ws.terminate();
    if ((await closed) === 4008) cutOffs++;
  }
  return { framesSent, cutOffs };
}

/**
 * Fires frames in windows of 200 on one connection, a valid request after every 8 (so the
 * malformed-frame counter does not close the socket every 20), and waits for the reply to a
 * marker at the end of each window before the next; a connection the hub closes is reopened.
 */
async function fire(wsUrl: string, token: string, userId: number, frames: string[]) {
  let framesSent = 0;
  let cutOffs = 0;
  let socket = await attackerSocket(wsUrl, token);
  for (let i = 0, w = 0; i < frames.length; i += 200, w++) {
    const marker = `window${w}`;
    const answered = new Promise<void>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        if (!data.toString().includes(`"${marker}"`)) return;
        socket.ws.off('message', onMessage);
        resolve();
      };
      socket.ws.on('message', onMessage);
      void socket.closed.then(() => resolve());
    });
    frames.slice(i, i + 200).forEach((data, j) => {
      socket.ws.send(data);
      framesSent++;
      if (j % 8 === 7) socket.ws.send(JSON.stringify({ type: 'users.get', id: `r${framesSent++}`, ids: [userId] }));
    });
    socket.ws.send(JSON.stringify({ type: 'users.get', id: marker, ids: [userId] }));
    framesSent++;
    await Promise.race([answered, sleep(60_000)]);
    if (socket.ws.readyState !== WebSocket.OPEN) {
      await socket.closed;
      cutOffs++;
      socket = await attackerSocket(wsUrl, token);
    }
  }
  socket.ws.close();
  return { framesSent, cutOffs };
}

/** Starts a hub with `flags`, measures the probe quiet and under `attack`, stops the hub. */
async function measure(
  hubBundle: string,
  flags: string[],
  attack: (
    hub: HubProcess,
    attacker: { userId: number; token: string },
    targets: number[],
  ) => Promise<{
    framesSent: number;
    cutOffs: number;
  }>,
): Promise<AttackFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-abuse-'));
  const hub = new HubProcess(hubBundle, dataDir, ['--log-level', 'info', ...flags]);
  try {
    await hub.start();
    const { users } = await createUsers(hub, 2, 'abuse');
    const [attacker, calm] = users as [(typeof users)[0], (typeof users)[0]];
    const probeClient = await ProtoClient.open(hub.wsUrl, calm.token);
    const general = probeClient.hello.conversations.find((c) => c.kind === 'general')!.id;
    let probe = startProbe(probeClient, calm.userId);
    await sleep(2000);
    const quietMs = await probe.stop();
    probe = startProbe(probeClient, calm.userId);
    const t0 = performance.now();
    const done = await attack(hub, attacker, [general, attacker.userId, calm.userId]);
    const durationS = round((performance.now() - t0) / 1000);
    const underAttackMs = await probe.stop();
    await probeClient.close();
    return { hubFlags: flags, durationS, ...done, quietMs, underAttackMs, loadAverage: round(os.loadavg()[0]!) };
  } finally {
    await hub.stop('SIGTERM').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs both attacks against fresh hubs; `frames` hostile frames, a flood of `floodS` seconds. */
export async function abuseBench(hubBundle: string, frames = 10_000, floodS = 10): Promise<AbuseFigures> {
  const floodFigures = await measure(hubBundle, [], (hub, a) => flood(hub.wsUrl, a.token, a.userId, floodS * 1000));
  // The frame limits lifted, as in the hostile-input test, so the frames reach the handlers.
  const lifted = ['--frames-per-second', '100000', '--frames-burst', '100000', '--send-per-second', '10000'];
  const hostile = await measure(hubBundle, [...lifted, '--send-burst', '10000'], (hub, a, [general, ...people]) => {
    const targets = { conversationIds: [general!], userIds: people };
    const all = [...naughtyFrames(targets, general!), ...generateFrames(frames, 1, targets)].map((f) => f.data);
    return fire(hub.wsUrl, a.token, a.userId, all);
  });
  return { flood: floodFigures, hostile };
}
