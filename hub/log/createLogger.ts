import { pino, type Logger } from 'pino';

/**
 * The hub's structured logger (JSON lines on stdout). Anything that could carry a secret or a
 * message body is redacted by path, so a careless `log.info({ frame })` cannot leak it.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
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
