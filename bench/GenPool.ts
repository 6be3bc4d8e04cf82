import { spawn, type ChildProcess } from 'node:child_process';
import type { GenCommand, GenReply } from './genProtocol.ts';
import { withOpenFiles } from './withOpenFiles.ts';

/** The load-generator processes, commanded over IPC. */
export class GenPool {
  private readonly children: ChildProcess[] = [];
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextReq = 1;

  /**
   * Starts `count` generators from the bundled `loadGen.js`, with the soft open-file limit raised
   * to `nofile` (through the shell's ulimit: Node cannot raise its own).
   */
  constructor(script: string, count: number, nofile?: number) {
    for (let i = 0; i < count; i++) {
      // Many sockets and histograms: give the generators room.
      // BENCH_GEN_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the generators.
      const nodeArgs = (process.env.BENCH_GEN_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const command = withOpenFiles(nofile, [process.execPath, '--max-old-space-size=4096', ...nodeArgs, script]);
      const child = spawn(...command, {
        env: { ...process.env, BENCH_GEN_INDEX: String(i) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (reply: GenReply) => {
        const w = this.waiting.get(reply.reqId);
        if (!w) return;
        this.waiting.delete(reply.reqId);
        if (reply.ok) w.resolve(reply.result);
        else w.reject(new Error(`generator ${i}: ${reply.error}`));
      });
      child.on('exit', (code) => {
        if (code !== 0 && code !== null)
          for (const w of this.waiting.values()) w.reject(new Error(`generator ${i} exited with ${code}`));
      });
      this.children.push(child);
    }
  }

  get size(): number {
    return this.children.length;
  }

  /** Process ids of the generators (for CPU figures). */
  get pids(): number[] {
    return this.children.map((c) => c.pid!);
  }

  /** Sends one command to generator `i`. */
  call<T>(i: number, command: GenCommand): Promise<T> {
    const reqId = this.nextReq++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(reqId, { resolve: resolve as (v: unknown) => void, reject });
      this.children[i]!.send({ ...command, reqId });
    });
  }

  /** Sends each generator its own command and waits for all replies. */
  all<T>(command: (i: number) => GenCommand): Promise<T[]> {
    return Promise.all(this.children.map((_, i) => this.call<T>(i, command(i))));
  }

  /** Asks every generator to exit. */
  async close(): Promise<void> {
    await Promise.allSettled(this.children.map((_, i) => this.call(i, { cmd: 'exit' })));
    for (const c of this.children) if (c.exitCode === null) c.kill();
  }
}
