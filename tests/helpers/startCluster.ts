// Several real hub nodes for a test (issue 20): N `beseda-hub serve` processes on 127.0.0.1, each
// with its own data folder and ephemeral port, all on one PostgreSQL database and one Redis, with
// one shared files folder (the deployment's shared SMB/NFS folder). Each PostgreSQL and Redis is
// the test's own (tests/helpers/postgres.ts, tests/helpers/redis.ts), so they can be restarted.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pgDriver from 'pg';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres.ts';
import { redisAvailable, startRedis, type TestRedis } from './redis.ts';
import { startHub, type TestHub } from './startHub.ts';

/** Whether this machine can run a cluster (PostgreSQL 15 and redis-server); else skip, saying so. */
export const clusterAvailable = postgresAvailable && redisAvailable;

/** Why cluster tests are skipped here (empty when they run). */
export const clusterSkipReason = clusterAvailable
  ? ''
  : `needs ${[
      postgresAvailable ? '' : 'PostgreSQL 15 (/usr/lib/postgresql/15/bin)',
      redisAvailable ? '' : 'redis-server',
    ]
      .filter(Boolean)
      .join(' and ')}`;

/** Options of {@link startCluster}. */
export interface StartClusterOptions {
  /** How many hub nodes (default 3). */
  nodes?: number;
  /** Extra `serve` flags for every node, e.g. rate limits. */
  args?: string[];
}

/** A dependency the test may take away and give back. */
export interface ClusterService {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it, keeps it down this long (the cluster runs on meanwhile), starts it on the same port. */
  restart(downMs?: number): Promise<void>;
}

/** A running cluster; `close()` it in afterAll. */
export interface TestCluster {
  /** The nodes, in order; a killed node's entry stays (restart it with {@link TestCluster.restart}). */
  nodes: TestHub[];
  /** The one database every node uses. */
  databaseUrl: string;
  /** The files folder every node shares. */
  filesDir: string;
  postgres: ClusterService;
  redis: ClusterService;
  /** Whether node i is up (not killed, stopped, or still restarting). */
  alive(i: number): boolean;
  /** SIGKILL node i (a crash) and wait for it to be gone. */
  kill(i: number): Promise<void>;
  /** Starts node i again (same port, same data folder) and waits until it listens. */
  restart(i: number): Promise<void>;
  /**
   * Where a client pinned to node i connects, asked at every (re)connect: node i while it is up,
   * else the next node that is — what a load balancer with health checks does.
   */
  urlOf(i: number): () => string;
  /** The node a WebSocket URL belongs to (-1: none). */
  nodeOfUrl(wsUrl: string): number;
  /** The last lines node i wrote (for a failure's message). */
  logTail(i: number, lines?: number): string;
  /**
   * What the database's sessions are doing now (pg_stat_activity: state, what they wait for, how
   * old their transaction is, the query): for a failure's message when the cluster stalls.
   */
  activity(): Promise<string>;
  /** Stops every node, Redis and PostgreSQL, and removes their folders. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts PostgreSQL, Redis and `nodes` hubs. The first node starts alone (it migrates the database
 * and creates the administrator, whose admin socket `nodes[0].admin_` / `addUser` use), then the
 * others together.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<TestCluster> {
  const count = options.nodes ?? 3;
  let pg: TestPostgres | undefined;
  let redis: TestRedis | undefined;
  const nodes: TestHub[] = [];
  const down = new Set<number>();
  const filesDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-cluster-files-'));

  const running = (i: number) => {
    const p = nodes[i]?.process;
    return p !== undefined && p.exitCode === null && p.signalCode === null;
  };
  const stopAll = async () => {
    await Promise.all(nodes.map((n, i) => (running(i) ? n.stop() : undefined)));
    // BESEDA_CLUSTER_LOGS=DIR keeps every node's log (DIR/n0.log, …) for a failure's post-mortem.
    const keep = process.env.BESEDA_CLUSTER_LOGS;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      nodes.forEach((n, i) => writeFileSync(path.join(keep, `n${i}.log`), n.output.join('\n')));
    }
    await redis?.close();
    await pg?.close();
    rmSync(filesDir, { recursive: true, force: true });
  };

  try {
    pg = await startPostgres();
    redis = await startRedis();
    const databaseUrl = await pg.createDatabase();
    const argsOf = (i: number) => [
      '--store',
      databaseUrl,
      '--redis',
      redis!.url,
      '--node-id',
      `n${i}`,
      '--files-dir',
      filesDir,
      ...(options.args ?? []),
    ];
    nodes.push(await startHub({ args: argsOf(0) }));
    nodes.push(...(await Promise.all(Array.from({ length: count - 1 }, (_, k) => startHub({ args: argsOf(k + 1) })))));

    const service = (s: { url: string; stop(): Promise<void>; start(): Promise<void> }): ClusterService => ({
      url: s.url,
      stop: () => s.stop(),
      start: () => s.start(),
      async restart(downMs = 0) {
        await s.stop();
        await sleep(downMs);
        await s.start();
      },
    });
    const cluster: TestCluster = {
      nodes,
      databaseUrl,
      filesDir,
      postgres: service({ url: databaseUrl, stop: () => pg!.stop('fast'), start: () => pg!.start() }),
      redis: service({ url: redis.url, stop: () => redis!.stop(), start: () => redis!.start() }),
      alive: (i) => running(i) && !down.has(i),
      async kill(i) {
        down.add(i);
        await nodes[i]!.kill();
      },
      async restart(i) {
        down.add(i);
        await nodes[i]!.restart();
        down.delete(i);
      },
      urlOf(i) {
        return () => {
          for (let k = 0; k < count; k++) {
            const j = (i + k) % count;
            if (cluster.alive(j)) return nodes[j]!.wsUrl;
          }
          return nodes[i]!.wsUrl; // nobody is up: this attempt fails and the client tries again
        };
      },
      nodeOfUrl: (wsUrl) => nodes.findIndex((n) => n.wsUrl === wsUrl),
      logTail: (i, lines = 30) => nodes[i]!.output.slice(-lines).join('\n'),
      async activity() {
        const c = new pgDriver.Client({ connectionString: databaseUrl });
        try {
          await c.connect();
          const { rows } = await c.query<Record<string, unknown>>(
            `SELECT pid, state, wait_event_type AS wait, wait_event AS event,
                    round(extract(epoch FROM now() - xact_start)::numeric, 1) AS xact_s, left(query, 80) AS query
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
             ORDER BY xact_start NULLS LAST`,
          );
          return rows.map((r) => JSON.stringify(r)).join('\n');
        } catch (err) {
          return `pg_stat_activity not read: ${(err as Error).message}`;
        } finally {
          await c.end().catch(() => undefined);
        }
      },
      close: stopAll,
    };
    return cluster;
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
