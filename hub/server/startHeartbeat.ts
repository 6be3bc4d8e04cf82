import type { Logger } from 'pino';
import type { Connection } from './Connection.ts';
import type { ConnectionRegistry } from './ConnectionRegistry.ts';

/**
 * Pings every socket each `intervalMs`; one that has not answered the previous ping by then is
 * dead (a vanished laptop, a cut network) and is terminated, so its user goes offline and its
 * buffers are freed. The timer does not keep the process alive. Returns the function that stops it.
 *
 * The verdict on a silent socket waits for the end of the turn's I/O (setImmediate): timers run
 * before the event loop reads its sockets, so after the hub was busy for a while (thousands
 * connecting at once) the pongs that came meanwhile are still unread when the tick fires, and
 * deciding then terminated live sockets by the thousand — which then reconnected, adding load.
 */
export function startHeartbeat(
  registry: Pick<ConnectionRegistry, 'connections'>,
  log: Logger,
  intervalMs: number,
): () => void {
  let stopped = false;
  const timer = setInterval(() => {
    const silent: Connection[] = [];
    for (const conn of registry.connections()) {
      if (conn.awaitingPong) {
        silent.push(conn);
        continue;
      }
      conn.awaitingPong = true;
      conn.ws.ping();
    }
    if (silent.length === 0) return;
    setImmediate(() => {
      if (stopped) return;
      for (const conn of silent) {
        if (!conn.awaitingPong) continue;
        log.debug({ conn: conn.id }, 'no pong: dropping dead socket');
        conn.ws.terminate();
      }
    });
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
