import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Log } from './Log.ts';

/** When the log file passes this size it becomes `main.old.log` and a new one starts. */
const maxBytes = 1024 * 1024;

/**
 * JSON lines in `<userData>/logs/main.log` (one old file kept), mirrored to stderr. Writes are
 * synchronous: there are few lines, and the last ones before a crash are the useful ones.
 */
export class FileLog implements Log {
  readonly file: string;
  private written = 0;

  constructor(
    dir: string,
    private readonly echo = true,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'main.log');
    try {
      this.written = statSync(this.file).size;
    } catch {
      this.written = 0;
    }
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  private write(level: string, msg: string, fields?: Record<string, unknown>): void {
    const line = `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`;
    if (this.echo) process.stderr.write(line);
    try {
      if (this.written + line.length > maxBytes) {
        renameSync(this.file, path.join(path.dirname(this.file), 'main.old.log'));
        this.written = 0;
      }
      appendFileSync(this.file, line);
      this.written += Buffer.byteLength(line);
    } catch {
      // A full or read-only disk must not take the app down; stderr still has the line.
    }
  }
}
