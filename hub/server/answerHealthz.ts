import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IntervalHistogram } from 'node:perf_hooks';
import type { BackupStatus } from '../backup/BackupStatus.ts';
import type { Hub } from '../ops/Hub.ts';
import type { ConnectionRegistry } from './ConnectionRegistry.ts';
import type { DescriptorView } from './fdGuard.ts';
import type { RedisHealth } from './startClusterParts.ts';
import { hubVersion } from './handleSocket.ts';
import { sendJson } from './httpJson.ts';
import { fromOwnMachine } from './ownMachine.ts';

/** What /healthz reads from the running hub. */
export interface HealthzSources {
  hub: Hub;
  registry: ConnectionRegistry;
  loopDelay: IntervalHistogram;
  /** The sampling timer's period, taken off the histogram's samples. */
  loopResolutionMs: number;
  stopping(): boolean;
  /** The backup schedule's state (shown to callers on the hub's own machine). */
  backups?: () => BackupStatus;
  /** Open files against the limit (fdGuard.ts), shown to callers on the hub's own machine. */
  descriptors?: () => DescriptorView;
  /** The event bus between nodes (`--redis`); absent on a single node. */
  redis?: () => RedisHealth;
}

/** How long /healthz waits for the store's `SELECT 1` (a load balancer's check must not hang). */
const storePingMs = 2000;

/** Why the hub is degraded while storage is full: what people notice and what IT can do. */
const storageFullDetail =
  'the database cannot grow (disk full, or the --max-db-pages cap reached): sends and sign-ins fail with storage_full until there is space';

/** Why the hub is degraded while PostgreSQL does not answer. */
const storeDownDetail =
  'PostgreSQL does not answer (down, unreachable, or no free connection): sends, sign-ins and reads fail with unavailable until it does';

/** Why the hub is degraded while Redis is away. */
const redisDownDetail =
  'Redis is unreachable: this node serves its own clients, but events from and to the other nodes are missed until it is back (its clients then catch up)';

/** Why the hub is degraded while its files folder's disk is full. */
const filesFullDetail =
  'the files folder cannot grow (disk full): uploads fail with storage_full until there is space; messages still work';

/**
 * GET /healthz: 200 `ok`; 503 `stopping` during shutdown; 503 `degraded` with a `reason` while
 * the hub cannot store anything (sends and sign-ins get 507 storage_full) — so monitoring that
 * alerts on the status code sees it — and `ok` again once the storage has room. `files`: the
 * uploaded files' use (bytes, count) and whether their disk is full (uploads fail; `degraded`
 * until an upload succeeds again). Event-loop delay, memory and dropped frames only for callers
 * on the hub's own machine.
 */
export async function answerHealthz(req: IncomingMessage, res: ServerResponse, src: HealthzSources): Promise<void> {
  const stopping = src.stopping();
  const storage = stopping ? null : await src.hub.storageHealth();
  const files = stopping ? null : await src.hub.files.health().catch(() => null);
  const filesFull = files !== null && files.fullSince !== null;
  const store = stopping ? null : await src.hub.storePing(storePingMs);
  const redis = stopping ? null : (src.redis?.() ?? null);
  const dependencyDown = store?.ok === false || redis?.ok === false;
  const status: Record<string, unknown> = {
    status: stopping ? 'stopping' : storage?.ok === false || filesFull || dependencyDown ? 'degraded' : 'ok',
    version: hubVersion,
    connections: src.registry.size,
    uptimeSeconds: Math.round(process.uptime()),
  };
  const local = fromOwnMachine(req);
  if (store) {
    // The server's own error text names addresses inside the network: only for the hub's machine.
    const { error, ...shown } = store;
    status.store = local && error !== undefined ? { ...shown, error } : shown;
    if (!store.ok) {
      status.reason = 'store_unreachable';
      status.detail = storeDownDetail;
    }
  }
  if (redis) {
    status.redis = redis;
    if (!redis.ok && !status.reason) {
      status.reason = 'redis_unreachable';
      status.detail = redisDownDetail;
    }
  }
  if (storage && !storage.ok && !status.reason) {
    status.reason = 'storage_full';
    status.detail = storageFullDetail;
    status.storageFullSince = storage.fullSince === null ? null : new Date(storage.fullSince).toISOString();
  }
  if (files) {
    // Uploaded files' use: distinct stored bytes against IT's total limit (null: none).
    status.files = {
      bytes: files.bytes,
      count: files.blobs,
      uploads: files.files,
      maxTotalBytes: files.maxTotalBytes,
      storageFull: filesFull,
    };
    if (filesFull && !status.reason) {
      status.reason = 'storage_full';
      status.detail = filesFullDetail;
      status.storageFullSince = new Date(files.fullSince!).toISOString();
    }
  }
  if (local) {
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - src.loopResolutionMs) * 100) / 100);
    status.eventLoop = {
      p50Ms: ms(src.loopDelay.percentile(50)),
      p99Ms: ms(src.loopDelay.percentile(99)),
      maxMs: ms(src.loopDelay.max),
    };
    // The heap beside the RSS: whether memory is objects (live or not yet collected), pages V8
    // holds but does not use (heapTotal − heapUsed), or outside V8's heap (buffers, native).
    const memory = process.memoryUsage();
    status.memory = {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
    };
    status.dropped = { ephemeral: src.registry.droppedEphemeral, slowConsumers: src.registry.slowConsumersCut };
    if (src.backups) status.backup = backupView(src.backups());
    if (src.descriptors) status.descriptors = src.descriptors();
  }
  sendJson(res, status.status === 'ok' ? 200 : 503, status);
  // `?reset` starts a fresh measurement window (benchmarks measure one phase at a time).
  if (local && new URL(req.url ?? '/', 'http://x').searchParams.has('reset')) src.loopDelay.reset();
}
/** The backups as /healthz shows them locally: times as ISO text, the age of the last good one. */
function backupView(b: BackupStatus): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    dir: b.dir,
    everyMs: b.everyMs,
    keep: b.keep,
    lastSuccess: b.lastSuccess && { file: b.lastSuccess.file, kind: b.lastSuccess.kind, at: iso(b.lastSuccess.at) },
    ageSeconds: b.lastSuccess && Math.max(0, Math.round((Date.now() - b.lastSuccess.at) / 1000)),
    lastFailure: b.lastFailure && { at: iso(b.lastFailure.at), error: b.lastFailure.error },
    nextAt: iso(b.nextAt),
  };
}
