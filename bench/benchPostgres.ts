// PostgreSQL for `npm run bench -- --nodes N`: Debian's postgresql 15, a new cluster in a temp
// folder, on 127.0.0.1 and an ephemeral port, trust authentication — like the tests' server
// (tests/helpers/postgres.ts, which bench code cannot import: it registers vitest hooks). Unlike
// the tests' it keeps PostgreSQL's durable defaults (fsync, synchronous_commit): the bench
// measures what an acknowledged, committed message costs.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort.ts';

const binDir = '/usr/lib/postgresql/15/bin';

/** A running bench cluster. */
export interface BenchPostgres {
  port: number;
  /** Creates an empty database and returns its `postgres://beseda@127.0.0.1:PORT/NAME` URL. */
  createDatabase(name: string): string;
  /** Runs one SQL statement in `database` (psql) and returns its unaligned output. */
  query(database: string, sql: string): string;
  /** The server's processes now (postmaster and its children), for CPU figures. */
  pids(): number[];
  /** Stops the server and removes its folder. */
  close(): void;
}

/** Why PostgreSQL cannot start here, or undefined when Debian's server binaries are installed. */
export function postgresMissing(): string | undefined {
  return existsSync(path.join(binDir, 'initdb'))
    ? undefined
    : `no ${binDir}/initdb: install Debian's postgresql (15) for --nodes`;
}

// initdb and the server refuse to run as root: as root the cluster belongs to `postgres`.
const asRoot = process.getuid?.() === 0;
const run = (tool: string, args: string[]): string =>
  asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(binDir, tool), ...args], { encoding: 'utf8' })
    : execFileSync(path.join(binDir, tool), args, { encoding: 'utf8' });

/** Creates a cluster in a temp folder and starts it (pg_ctl waits until it accepts connections). */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-pg-'));
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'beseda', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '120', 'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    createDatabase(name) {
      run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'beseda', name]);
      return `postgres://beseda@127.0.0.1:${port}/${name}`;
    },
    query(database, sql) {
      const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'beseda', '-d', database, '-Atc', sql];
      return run('psql', args).trim();
    },
    pids() {
      const main = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      let children = '';
      try {
        children = execFileSync('pgrep', ['-P', String(main)], { encoding: 'utf8' });
      } catch {
        // pgrep exits 1 when there are none
      }
      return [main, ...children.split('\n').filter(Boolean).map(Number)];
    },
    close() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
