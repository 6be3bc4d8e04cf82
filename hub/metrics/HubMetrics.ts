import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BackupStatus } from '../backup/BackupStatus.ts';
import type { Hub } from '../ops/Hub.ts';
import type { ConnectionRegistry } from '../server/ConnectionRegistry.ts';
import { processMetrics } from './processMetrics.ts';
import { botDeliveryMetrics } from './botDeliveryMetrics.ts';
import { dependencyMetrics } from './dependencyMetrics.ts';
import type { RedisHealth } from '../server/startClusterParts.ts';

/** What the metrics read from the running hub, at scrape time. */
export interface MetricsSources {
  hub: Hub;
  registry: ConnectionRegistry;
  /** The backups' state; null while no scheduler reports one (then no backup metrics are given). */
  backups: () => BackupStatus | null;
  version: string;
  log: { warn(o: object, msg?: string): void };
  /** The event bus between nodes (`--redis`): its link and counts; absent on a single node. */
  redis?: () => RedisHealth;
  /** Milliseconds since the epoch (backup age); Date.now by default. */
  clock?: () => number;
}

/** One hub's metrics: its own prom-client registry, filled from plain counters when scraped. */
export interface HubMetrics {
  /** Records one message send: seconds from its frame received to its acknowledgement written. */
  sendAcked(seconds: number): void;
  /** The Prometheus text exposition: the hub's metrics, then the process's. */
  scrape(): Promise<string>;
  /** The exposition's media type. */
  readonly contentType: string;
  /** Stops the event-loop delay sampling. */
  close(): void;
}

/**
 * Send→ack buckets (seconds): a group commit is a few ms on a quiet hub; seconds mean trouble. Fine
 * below 50 ms, where an fsync and a turn of the event loop are told apart (`npm run bench` reads
 * its percentiles from them). Every earlier bound is still one, so rules over an `le` keep working.
 */
const sendAckBuckets = [
  0.0005, 0.001, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.035, 0.05, 0.075, 0.1,
  0.25, 0.5, 1, 2.5, 5, 10,
];
/** The event-loop sampling period; every sample includes it, so it is taken off again. */
const loopResolutionMs = 10;

/**
 * Builds a hub's metrics in a registry of its own (several hubs may run in one process). The hot
 * paths only bump plain numbers (ConnectionRegistry, LoginThrottle) or observe one histogram;
 * everything else is read here when Prometheus asks. Metric names and meanings: HubMetrics'
 * `help` texts, and docs/operations.md.
 */
export function createHubMetrics(sources: MetricsSources): HubMetrics {
  const { hub, registry, log } = sources;
  const clock = sources.clock ?? Date.now;
  const register = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [register] });
  const counter = (name: string, help: string) => new Counter({ name, help, registers: [register] });

  gauge('beseda_hub_info', 'The hub version (always 1).', ['version']).set({ version: sources.version }, 1);
  const connections = gauge('beseda_connections', 'Open WebSocket connections.');
  const usersOnline = gauge('beseda_users_online', 'People with at least one open connection.');
  const messages = counter('beseda_messages_total', 'Messages stored and published since start (all kinds).');
  const deliveries = counter(
    'beseda_message_deliveries_total',
    'Message frames written to connected clients since start (one per receiving connection).',
  );
  const sendAck = new Histogram({
    name: 'beseda_send_ack_seconds',
    help: 'Time from a send frame received to its acknowledgement written (after the commit).',
    buckets: sendAckBuckets,
    registers: [register],
  });
  const shed = counter(
    'beseda_ephemeral_frames_shed_total',
    'Ephemeral frames (typing, presence) dropped for connections that read too slowly.',
  );
  const presencePublished = counter(
    'beseda_presence_publications_total',
    'Presence changes published: one per batch window (each may hold many people), or one per change when not batched.',
  );
  const presenceFrames = counter(
    'beseda_presence_frames_total',
    'Presence frames written to clients (one per watching connection per publication).',
  );
  const cut = counter('beseda_slow_consumers_cut_total', 'Connections closed for not reading (4002 slow consumer).');
  const loginFailures = counter('beseda_login_failures_total', 'Sign-ins with a wrong login or password.');
  const loginThrottled = counter(
    'beseda_login_throttled_total',
    'Sign-in attempts refused by the back-off (too many failures).',
  );
  const loop = {
    p50: gauge('beseda_event_loop_delay_p50_seconds', 'Event-loop delay, median, since the previous scrape.'),
    p99: gauge('beseda_event_loop_delay_p99_seconds', 'Event-loop delay, 99th percentile, since the previous scrape.'),
    max: gauge('beseda_event_loop_delay_max_seconds', 'Event-loop delay, longest, since the previous scrape.'),
  };
  const dbBytes = gauge('beseda_database_bytes', 'Database size in bytes (its pages, free ones included).');
  const walBytes = gauge('beseda_database_wal_bytes', 'The database write-ahead log on disk, in bytes.');
  const filesBytes = gauge('beseda_files_bytes', 'Bytes of the stored uploaded files (each distinct file once).');
  const blobs = gauge('beseda_file_blobs', 'Distinct stored files (blobs) in the files folder.');
  const uploads = gauge('beseda_file_uploads', 'Upload records (several may share one blob).');
  const filesMax = gauge('beseda_files_max_bytes', 'The --files-max-total-bytes limit (absent: none).');
  const storageFull = gauge(
    'beseda_storage_full',
    '1 while writes fail for lack of space: store="database" (sends, sign-ins) or "files" (uploads).',
    ['store'],
  );
  const backup = {
    lastSuccess: gauge(
      'beseda_backup_last_success_timestamp_seconds',
      'When the newest verified backup finished (Unix time; 0: none yet).',
    ),
    age: gauge('beseda_backup_age_seconds', 'Age of the newest verified backup (absent: none yet).'),
    failing: gauge('beseda_backup_failing', '1 while the last backup attempt failed after the last success.'),
    period: gauge('beseda_backup_period_seconds', 'The backup schedule period (0: no scheduled backups).'),
  };

  const loopDelay = monitorEventLoopDelay({ resolution: loopResolutionMs });
  loopDelay.enable();
  const setCounter = (c: Counter, value: number) => {
    c.reset();
    c.inc(value);
  };
  /** Sets a gauge, or leaves it with no sample (unknown) for null. */
  const setOrAbsent = (g: Gauge, value: number | null) => (value === null ? g.remove() : g.set(value));
  const failed = (what: string) => (err: unknown) => {
    log.warn({ err, what }, 'metrics: a reading failed; its metrics are left out of this scrape');
    return null;
  };
  const refreshBotDeliveries = botDeliveryMetrics(register, hub, failed);
  const refreshDependencies = dependencyMetrics(register, hub, sources.redis);

  async function refresh(): Promise<void> {
    connections.set(registry.size);
    usersOnline.set(registry.users);
    setCounter(messages, registry.messagesPublished);
    setCounter(deliveries, registry.messageDeliveries);
    setCounter(shed, registry.droppedEphemeral);
    setCounter(presencePublished, registry.presencePublished);
    setCounter(presenceFrames, registry.presenceFrames);
    setCounter(cut, registry.slowConsumersCut);
    const seconds = (ns: number) => Math.max(0, ns / 1e9 - loopResolutionMs / 1000);
    const sampled = loopDelay.count > 0;
    loop.p50.set(sampled ? seconds(loopDelay.percentile(50)) : 0);
    loop.p99.set(sampled ? seconds(loopDelay.percentile(99)) : 0);
    loop.max.set(sampled ? seconds(loopDelay.max) : 0);
    loopDelay.reset();

    const [stats, storage, files] = await Promise.all([
      hub.stats().catch(failed('stats')),
      hub.storageHealth().catch(failed('storage')),
      hub.files.health().catch(failed('files')),
    ]);
    if (stats) {
      setCounter(loginFailures, stats.loginFailures);
      setCounter(loginThrottled, stats.loginsThrottled);
    }
    setOrAbsent(dbBytes, stats?.databaseBytes ?? null);
    setOrAbsent(walBytes, stats?.databaseWalBytes ?? null);
    setOrAbsent(filesBytes, files?.bytes ?? null);
    setOrAbsent(blobs, files?.blobs ?? null);
    setOrAbsent(uploads, files?.files ?? null);
    setOrAbsent(filesMax, files?.maxTotalBytes ?? null);
    storageFull.reset();
    if (storage) storageFull.set({ store: 'database' }, storage.ok ? 0 : 1);
    if (files) storageFull.set({ store: 'files' }, files.fullSince === null ? 0 : 1);
    let status: BackupStatus | null = null;
    try {
      status = sources.backups();
    } catch (err) {
      failed('backups')(err);
    }
    refreshBackup(status);
    await refreshBotDeliveries();
    await refreshDependencies().catch(failed('dependencies'));
  }

  function refreshBackup(status: BackupStatus | null): void {
    const last = status?.lastSuccess ?? null;
    setOrAbsent(backup.lastSuccess, status ? (last ? last.at / 1000 : 0) : null);
    setOrAbsent(backup.age, last ? Math.max(0, (clock() - last.at) / 1000) : null);
    setOrAbsent(backup.failing, status ? (status.lastFailure ? 1 : 0) : null);
    setOrAbsent(backup.period, status ? status.everyMs / 1000 : null);
  }

  return {
    sendAcked: (seconds) => sendAck.observe(seconds),
    async scrape() {
      await refresh();
      return `${await register.metrics()}\n${await processMetrics().metrics()}`;
    },
    contentType: register.contentType,
    close() {
      loopDelay.disable();
    },
  };
}
