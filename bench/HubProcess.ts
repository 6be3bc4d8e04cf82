import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { sendAdminCommand } from '../hub/admin/callAdmin.ts';
import { withOpenFiles } from './withOpenFiles.ts';

/** The hub under test, as its own process (exactly as IT would run it, plus bench flags). */
export class HubProcess {
  port = 0;
  /** The soft open-file limit to start the hub with (up to the hard limit; none: inherited). */
  nofile: number | undefined;
  private child: ChildProcess | undefined;
  /** The last lines the hub wrote, for error reports (message bodies and tokens are never logged). */
  readonly tail: string[] = [];
  /** Warnings and errors the hub logged, by message. */
  readonly warnings: Record<string, number> = {};

  constructor(
    private readonly bundle: string,
    readonly dataDir: string,
    private readonly extraArgs: string[],
  ) {}

  get pid(): number {
    return this.child!.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** Starts the hub (again on the same port and data after a stop) and waits until it listens. */
  async start(): Promise<void> {
    const args = [
      this.bundle,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--data',
      this.dataDir,
      '--scrypt-n',
      '1024',
      ...this.extraArgs,
    ];
    // BENCH_HUB_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the hub.
    const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(...withOpenFiles(this.nofile, [process.execPath, ...nodeArgs, ...args]), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.port = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          this.note(line);
          try {
            const entry = JSON.parse(line) as { msg?: string; port?: number; level?: number };
            if (entry.msg === 'listening' && entry.port) resolve(entry.port);
            if ((entry.level ?? 0) >= 40 && entry.msg) this.warnings[entry.msg] = (this.warnings[entry.msg] ?? 0) + 1;
          } catch {
            // not a log line
          }
        }
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => this.note(chunk));
      child.once('exit', (code, signal) =>
        reject(new Error(`hub exited (${code ?? signal}) before listening:\n${this.tail.join('\n')}`)),
      );
    });
  }

  private note(line: string): void {
    // BENCH_HUB_LOG=FILE keeps everything the hub wrote (the tail alone rarely says why a size failed).
    if (process.env.BENCH_HUB_LOG) appendFileSync(process.env.BENCH_HUB_LOG, line.endsWith('\n') ? line : line + '\n');
    this.tail.push(line);
    if (this.tail.length > 40) this.tail.shift();
  }

  /** Sends a signal and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Runs an admin command through the hub's admin socket. */
  async admin<T>(cmd: string, args: unknown): Promise<T> {
    const answer = await sendAdminCommand(this.dataDir, cmd, args);
    if (!answer) throw new Error('hub admin socket not reachable');
    if (!answer.ok) throw new Error(`${cmd}: ${answer.error.code}: ${answer.error.message}`);
    return answer.result as T;
  }

  /** GET /metrics (the bench runs on the hub's own machine, which may read it). */
  async metrics(): Promise<string> {
    const res = await fetch(`${this.url}/metrics`);
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
    return res.text();
  }

  /** GET /healthz (with `?reset` to start a new event-loop measurement window). */
  async health(reset = false): Promise<Health> {
    const res = await fetch(`${this.url}/healthz${reset ? '?reset' : ''}`);
    return (await res.json()) as Health;
  }
}

/** What /healthz tells a loopback caller (the internals are optional: older hubs lack them). */
export interface Health {
  status: string;
  connections: number;
  eventLoop?: { p50Ms: number; p99Ms: number; maxMs: number };
  memory?: { rssBytes: number; heapUsedBytes?: number; heapTotalBytes?: number; externalBytes?: number };
  dropped?: { ephemeral: number; slowConsumers: number };
}
