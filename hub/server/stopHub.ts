import type { Server } from 'node:net';
import type { IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { CloseCode } from '../../common/protocol/errors.ts';
import type { Hub } from '../ops/Hub.ts';
import type { ConnectionRegistry } from './ConnectionRegistry.ts';

/** What a graceful stop closes, in the order it closes them. */
export interface StopParts {
  server: Server & { closeAllConnections(): void };
  stopHeartbeat(): void;
  loopDelay: IntervalHistogram;
  /** Requests being handled: their writes finish before the hub closes. */
  inflight: ReadonlySet<Promise<unknown>>;
  registry: ConnectionRegistry;
  hub: Hub;
  /** Redis links of a node among several (closed after the hub core: its last events still go out). */
  cluster: { close(): Promise<void> } | null;
  admin: { close(): Promise<void> };
  releaseLock(): void;
  log: Logger;
}

/** Longest a graceful stop may take; then stopHub rejects (the CLI exits with 1). */
const shutdownDeadlineMs = 15_000;
/** How long the stop waits for queued log lines to be written (a stalled reader costs only this). */
const logFlushMs = 2_000;

/**
 * Graceful stop: no new connections, requests in flight finish their writes, sockets close with
 * 1001, the hub's queued writes are flushed, the admin socket and the data lock are released and
 * the log is flushed. A stop that hangs (a stuck socket, a write that never returns) must not keep
 * the port and the data lock forever: past the deadline it rejects, with the lock released.
 */
export async function stopHub(parts: StopParts): Promise<void> {
  await withinDeadline(stopGracefully(parts), shutdownDeadlineMs).finally(parts.releaseLock);
}

async function stopGracefully(parts: StopParts): Promise<void> {
  const { server, registry, hub, log } = parts;
  parts.stopHeartbeat();
  parts.loopDelay.disable();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.allSettled([...parts.inflight]);
  registry.closeAll(CloseCode.GoingAway, 'hub is restarting');
  await hub.close();
  await parts.cluster?.close();
  await parts.admin.close();
  server.closeAllConnections();
  await closed;
  parts.releaseLock();
  log.info('stopped');
  await flushLog(log, logFlushMs);
}

/**
 * Resolves or rejects as `work` does, or rejects after `ms`. The timer is left ref'd on purpose:
 * unref'd, it would not fire while nothing else keeps the event loop alive.
 */
async function withinDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`shutdown did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the logger's queued lines are written, at most `ms`. */
function flushLog(log: Logger, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    log.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
