import { isatty } from 'node:tty';
import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { LogDestination } from './LogDestination.ts';

/** How log lines look: `json` (one object a line, for collectors), `pretty` (for people), `auto` (pretty on a terminal). */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Where serialized lines go: the hub's {@link LogDestination}, or any writable stream (tests). */
type Destination = NodeJS.WritableStream | LogDestination;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Where the lines go; default stdout through a {@link LogDestination}. */
  destination?: Destination;
  /** Whether the destination is a terminal (`auto` picks pretty, pretty gets colours); default: stdout is one. */
  terminal?: boolean;
}

/**
 * The hub's structured logger. Every line has an ISO 8601 UTC time (`"time":"2026-12-02T16:40:00.123Z"`).
 * `json` writes pino's JSON lines; `pretty` formats each line in-process with pino-pretty (one line
 * per entry, colours only on a terminal) and hands it to the same destination, so a reader that has
 * gone or stopped reading still costs log lines, never the hub (`logger.flush(cb)` waits for what is
 * queued). Anything that could carry a secret or a message body is redacted by path, so a careless
 * `log.info({ frame })` cannot leak it.
 */
export function createLogger(level: string, format: LogFormat = 'json', options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? new LogDestination(1);
  const terminal = options.terminal ?? isatty(1);
  const pretty = format === 'pretty' || (format === 'auto' && terminal);
  return pino(
    {
      level,
      base: { service: 'beseda-hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
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
    (pretty ? prettyDestination(destination, terminal) : destination) as never,
  );
}

/**
 * A destination that turns each JSON line into pino-pretty's form before passing it on: synchronous,
 * in this process (no worker thread, no second queue), so the destination's bound still holds.
 */
function prettyDestination(destination: Destination, colours: boolean): Destination {
  const prettify = prettyFactory({
    colorize: colours,
    // The time is ISO already; shown as it is, in UTC like the JSON lines and other machines' logs.
    translateTime: false,
    singleLine: true,
    ignore: 'service',
  });
  const flush = (destination as Partial<LogDestination>).flush?.bind(destination);
  return {
    write(line: string): boolean {
      return destination.write(prettify(line));
    },
    ...(flush ? { flush } : {}),
  } as LogDestination;
}
