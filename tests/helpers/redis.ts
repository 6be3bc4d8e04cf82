// A real Redis server for tests: Debian's redis-server in a temp folder, on 127.0.0.1 and an
// ephemeral port, nothing saved to disk (pub/sub and counters need no persistence, and a restart
// that forgets everything is the harder case for the hub).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/freePort.ts';
import { pongs } from '../../bench/benchRedis.ts';

const redisBinary = '/usr/bin/redis-server';

/** Whether this machine has Debian's redis-server. */
export const redisAvailable = existsSync(redisBinary);

/** A running test Redis. */
export interface TestRedis {
  port: number;
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /** Whether the server process is running now. */
  readonly running: boolean;
  /** Stops the server (SIGTERM, waits for the exit); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes the folder. */
  close(): Promise<void>;
}

/** Starts a new redis-server; close it in afterAll. */
export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';

  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    if (isRunning()) return;
    log = '';
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
    ];
    const proc = spawn(redisBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await pongs(port)) return;
      if (Date.now() > deadline || proc.exitCode !== null)
        throw new Error(`redis-server did not start on port ${port}:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc || !isRunning()) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return isRunning();
    },
    stop,
    start,
    async close() {
      await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
