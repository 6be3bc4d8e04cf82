// Redis for `npm run bench -- --nodes N`: Debian's redis-server in a temp folder, on 127.0.0.1 and
// an ephemeral port, nothing saved to disk — like the tests' server (tests/helpers/redis.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort.ts';

const redisBinary = '/usr/bin/redis-server';

/** A running bench Redis. */
export interface BenchRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  pid: number;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

/** Why Redis cannot start here, or undefined when Debian's redis-server is installed. */
export function redisMissing(): string | undefined {
  return existsSync(redisBinary) ? undefined : `no ${redisBinary}: install Debian's redis-server for --nodes`;
}

/** Whether something on 127.0.0.1:port answers PING with PONG (a Redis ready to serve). */
export function pongs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

/** Starts redis-server and waits until it answers. */
export async function startBenchRedis(): Promise<BenchRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child: ChildProcess = spawn(redisBinary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (!(await pongs(port))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await close();
      throw new Error(`redis-server did not start on port ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, close };
}
