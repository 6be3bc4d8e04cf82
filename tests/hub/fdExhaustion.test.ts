// Issue 19, target 5: a hub that runs out of file descriptors keeps serving the connections it
// has, logs it once, and /healthz and the admin socket still answer. The real built hub runs under
// `ulimit -n 200`; real WebSocket clients signed in with real tokens connect until the hub refuses
// them. Before the open-file reserve the hub took sockets until accept() failed with EMFILE, an
// unhandled 'error' event that ended the process.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { subprotocolFor, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';
import { sendAdminCommand } from '../../hub/admin/callAdmin.ts';
import { hubBundle } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid } from './connect.ts';
import { spawnServe, waitFor, type ServeProcess } from './serveProcess.ts';

const fdLimit = 200;
let serve: ServeProcess | null = null;
const started: ServeProcess[] = [];
const sockets: TestSocket[] = [];

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  for (const hub of started) {
    if (hub.child.exitCode !== null || hub.child.signalCode !== null) continue;
    hub.child.kill('SIGKILL');
    await hub.exited;
  }
});

/** The hub's JSON log lines so far. */
function logLines(): { level: number; msg: string; [key: string]: unknown }[] {
  return serve!
    .stdout()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { level: number; msg: string }];
      } catch {
        return [];
      }
    });
}

/** What a refused upgrade got: its status, headers and body (null when the socket was accepted). */
function tryUpgrade(
  wsUrl: string,
  token: string,
): Promise<{ status: number; retryAfter?: string; contentType?: string; body: string } | null> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, [subprotocolFor(1), tokenSubprotocolPrefix + token]);
    ws.once('open', () => {
      ws.close(); // accepted: the caller sees null
      resolve(null);
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          retryAfter: res.headers['retry-after'],
          contentType: res.headers['content-type'],
          body,
        }),
      );
    });
    ws.once('error', reject);
  });
}

/** /healthz as the hub's own machine sees it (the descriptor figures are shown there). */
interface Healthz {
  connections: number;
  descriptors: { limit: number; open: number; reserve: number; refusing: boolean; refusedUpgrades: number };
}

async function healthz(port: number): Promise<{ status: number; body: Healthz }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as Healthz };
}

const exhaustedLine = (l: { msg: string }) => l.msg.startsWith('file descriptors exhausted');

/** The built hub under `ulimit -n 200` on a fresh data folder; its port once it listens. */
async function startLimitedHub(dataDir: string): Promise<number> {
  // `ulimit -n` in sh sets the soft and the hard limit; Node raises soft to hard, so 200 holds.
  serve = spawnServe('sh', [
    '-c',
    `ulimit -n ${fdLimit} && exec "$@"`,
    'sh',
    process.execPath,
    hubBundle,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data',
    dataDir,
    '--scrypt-n',
    '1024',
    '--log-level',
    'info',
    // Every socket here is one person's: the default per-person rates are not what is tested.
    '--frames-per-second',
    '1000',
    '--frames-burst',
    '1000',
  ]);
  started.push(serve);
  return serve.listening;
}

describe('file descriptors run out', () => {
  it('refuses new WebSockets with 503, logs once, keeps serving, answers /healthz and the admin socket', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-fd-'));
    const port = await startLimitedHub(dataDir);
    const url = `http://127.0.0.1:${port}`;
    const wsUrl = `ws://127.0.0.1:${port}/ws`;
    const signIn = async (login: string) => {
      const password = randomBytes(12).toString('base64url');
      const added = await sendAdminCommand(dataDir, 'user.add', {
        login,
        name: login,
        password,
        admin: false,
        branch: null,
      });
      expect(added?.ok).toBe(true);
      const res = await fetch(`${url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    const reader = await signIn('reader');
    const writer = await signIn('writer');

    const before = await healthz(port);
    expect(before.body.descriptors).toMatchObject({ limit: fdLimit, reserve: 64, refusing: false });

    const sender = await TestSocket.open(wsUrl, writer);
    sockets.push(sender);
    const general = sender.hello.conversations.find((c) => c.kind === 'general')!.id;

    // Connect until the hub refuses: about limit − reserve − its own files (~27) ≈ 100 sockets.
    let refusal: Awaited<ReturnType<typeof tryUpgrade>> = null;
    for (let i = 0; i < fdLimit && refusal === null; i++) {
      try {
        sockets.push(await TestSocket.open(wsUrl, reader));
      } catch (err) {
        expect((err as { status?: number }).status, String(err)).toBe(503);
        refusal = await tryUpgrade(wsUrl, reader);
      }
    }
    expect(refusal, 'the hub refused a WebSocket before the limit').not.toBeNull();
    expect(refusal!.status).toBe(503);
    expect(refusal!.retryAfter).toMatch(/^\d+$/);
    expect(refusal!.contentType).toMatch(/^text\/plain/);
    expect(refusal!.body).toMatch(/limit of open files/);
    const held = sockets.length - 1; // the reader's sockets
    expect(held).toBeGreaterThan(50);
    // More refusals: answered at once each time, and still one log line.
    for (let i = 0; i < 5; i++) expect((await tryUpgrade(wsUrl, reader))?.status).toBe(503);
    const warnings = logLines().filter(exhaustedLine);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, limit: fdLimit, reserve: 64 });
    expect(warnings[0]!.open).toBeGreaterThan(fdLimit - 64 - 10);

    // Every connection held still receives what is sent to it.
    const text = `still here ${cid()}`;
    const arrivals = sockets.slice(1).map((s) => s.next('message', (f) => f.message.text === text, 30_000));
    await sender.request('send', { conversationId: general, clientId: cid(), text });
    expect((await Promise.all(arrivals)).length).toBe(held);

    // /healthz answers 200 with the figures.
    const during = await healthz(port);
    expect(during.status).toBe(200);
    expect(during.body.connections).toBe(held + 1);
    expect(during.body.descriptors).toMatchObject({ limit: fdLimit, reserve: 64, refusing: true });
    expect(during.body.descriptors.open).toBeGreaterThan(fdLimit - 64 - 10);
    expect(during.body.descriptors.refusedUpgrades).toBeGreaterThanOrEqual(6);

    // The admin socket answers a command from the real CLI.
    const list = spawnSync(process.execPath, [hubBundle, 'user', 'list', '--data', dataDir], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/reader/);

    // Closing some connections lets new ones in again.
    const closing = sockets.splice(1, 30);
    for (const s of closing) s.close();
    await Promise.all(closing.map((s) => s.closed));
    let again: TestSocket | null = null;
    await waitFor(async () => {
      again = await TestSocket.open(wsUrl, reader).catch(() => null);
      return again !== null;
    }, 60_000);
    expect(again, 'a new WebSocket accepted after some closed').not.toBeNull();
    sockets.push(again!);
    await waitFor(async () => (await healthz(port)).body.descriptors.refusing === false, 30_000);
    expect((await healthz(port)).body.descriptors.refusing).toBe(false);
    expect(logLines().filter(exhaustedLine)).toHaveLength(1);

    // Alive throughout, and it stops cleanly.
    expect(serve!.child.exitCode).toBeNull();
    serve!.child.kill('SIGTERM');
    expect((await serve!.exited).code).toBe(0);
  }, 240_000);

  it('survives a flood of plain connections: drops them, logs once, the admin socket answers', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-fd-'));
    const port = await startLimitedHub(dataDir);
    // Idle TCP connections that never send a request (the hub drops them after 10 s without headers).
    const flood: net.Socket[] = [];
    let closedEarly = 0;
    await Promise.all(
      Array.from({ length: fdLimit + 50 }, async () => {
        const s = net.connect(port, '127.0.0.1');
        flood.push(s);
        s.on('error', () => {});
        s.once('close', () => closedEarly++);
        await new Promise((resolve) => {
          s.once('connect', resolve);
          s.once('close', resolve);
        });
      }),
    );
    expect(await waitFor(() => closedEarly > 0, 30_000), 'the hub closed connections past its cap').toBe(true);
    // Short of its limit: the admin socket still answers (before, libuv closed it like any other).
    const users = await sendAdminCommand(dataDir, 'user.list', {}).catch((err: Error) => err.message);
    expect(users, 'the admin socket answers during the flood').toMatchObject({ ok: true });
    expect(await waitFor(() => logLines().some(exhaustedLine), 30_000)).toBe(true);
    expect(serve!.child.exitCode).toBeNull();
    for (const s of flood) s.destroy();
    expect(await waitFor(async () => (await healthz(port).catch(() => null))?.status === 200, 60_000)).toBe(true);
    const warnings = logLines().filter(exhaustedLine);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 40,
      limit: fdLimit,
      cause: expect.stringMatching(/maxConnections|EMFILE/),
    });
    serve!.child.kill('SIGTERM');
    expect((await serve!.exited).code).toBe(0);
  }, 240_000);
});
