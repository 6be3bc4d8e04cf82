import type { Logger } from 'pino';
import type { ConnectionRegistry } from './ConnectionRegistry.ts';

/**
 * Pings every socket each `intervalMs`; one that has not answered the previous ping by then is
 * dead (a vanished laptop, a cut network) and is terminated, so its user goes offline and its
 * buffers are freed. The timer does not keep the process alive. Returns the function that stops it.
 */
export function startHeartbeat(registry: ConnectionRegistry, log: Logger, intervalMs: number): () => void {
  const timer = setInterval(() => {
    for (const conn of registry.connections()) {
      if (conn.awaitingPong) {
        log.debug({ conn: conn.id }, 'no pong: dropping dead socket');
        conn.ws.terminate();
        continue;
      }
      conn.awaitingPong = true;
      conn.ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
