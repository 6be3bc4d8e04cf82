import { pino, type Logger } from 'pino';
import { LogDestination } from './LogDestination.ts';

/**
 * The hub's structured logger (JSON lines on stdout). Anything that could carry a secret or a
 * message body is redacted by path, so a careless `log.info({ frame })` cannot leak it. Lines go
 * through a {@link LogDestination} unless another destination is given: a reader that has gone
 * or stopped reading costs log lines, never the hub (`logger.flush(cb)` waits for what is queued).
 */
export function createLogger(
  level: string,
  destination: NodeJS.WritableStream | LogDestination = new LogDestination(1),
): Logger {
  return pino(
    {
      level,
      base: { service: 'beseda-hub' },
      redact: {
        paths: [
          'token',
          'password',
          'text',
          'authorization',
          '*.token',
          '*.password',
          '*.text',
          '*.authorization',
          'req.headers.authorization',
          'req.headers["sec-websocket-protocol"]',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}
