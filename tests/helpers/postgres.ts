// A real PostgreSQL server for tests: Debian's postgresql 15, a new cluster in a temp folder, on
// 127.0.0.1 and an ephemeral port, trust authentication for the test user. initdb refuses to run
// as root, so as root the cluster belongs to the `postgres` user (the folder is handed to it).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { freePort } from '../../bench/freePort.ts';

const binDir = '/usr/lib/postgresql/15/bin';

/**
 * `BESEDA_TEST_STORE=postgres` (the second test pass of .ci/run): hubs keep their data in
 * PostgreSQL. Tests of what only the SQLite file has (its bytes, its pragmas, its permissions) are
 * skipped then, each saying why.
 */
export const onPostgresStore = process.env.BESEDA_TEST_STORE === 'postgres';

/** Whether this machine has Debian's PostgreSQL 15 server binaries. */
export const postgresAvailable = existsSync(path.join(binDir, 'initdb'));

/** A running test cluster. */
export interface TestPostgres {
  port: number;
  /** `postgres://beseda@127.0.0.1:PORT/DB` for a database of this cluster. */
  url(database?: string): string;
  /** Creates a new empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server fast (clients are disconnected); `start` brings it back with its data. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes the folder. */
  close(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;
// Taken at import, before a test fakes timers (presence tests do, then open a hub): the server's
// start-up wait must run on real time or it never ends.
const realSetTimeout = globalThis.setTimeout;

function runAsOwner(file: string, args: string[]): string {
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { encoding: 'utf8' })
    : execFileSync(file, args, { encoding: 'utf8' });
}

/** Starts a new cluster; close it in afterAll. */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  runAsOwner(path.join(binDir, 'initdb'), [
    '-D',
    data,
    '-U',
    'beseda',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let n = 0;

  const start = async () => {
    const args = [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
    ];
    child = asRoot
      ? spawn('runuser', ['-u', 'postgres', '--', path.join(binDir, 'postgres'), ...args], { stdio: 'ignore' })
      : spawn(path.join(binDir, 'postgres'), args, { stdio: 'ignore' });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const c = new pg.Client({ connectionString: `postgres://beseda@127.0.0.1:${port}/postgres` });
      try {
        await c.connect();
        await c.end();
        return;
      } catch (err) {
        await c.end().catch(() => {});
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`postgres did not start: ${(err as Error).message}`);
        await new Promise((r) => realSetTimeout(r, 100));
      }
    }
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    runAsOwner(path.join(binDir, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
    await exited;
  };
  await start();
  const url = (database = 'postgres') => `postgres://beseda@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++n}_${Date.now().toString(36)}`;
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    stop,
    start,
    async close() {
      await stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let fileCluster: Promise<TestPostgres> | undefined;

/**
 * A new database on the running test file's own cluster (started on first use, stopped and removed
 * after the file): what the hub-core harness and startHub give each hub under
 * BESEDA_TEST_STORE=postgres.
 */
export function databaseOfThisFile(): Promise<string> {
  fileCluster ??= startPostgres();
  return fileCluster.then((c) => c.createDatabase());
}

afterAll(async () => {
  const c = fileCluster;
  fileCluster = undefined;
  if (c) await (await c).close();
});
