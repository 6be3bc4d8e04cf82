import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A process that runs a hub (directly, through npm or a launcher), with what it printed. */
export interface ServeProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** The port from the hub's `listening` log line on stdout. */
  listening: Promise<number>;
  /** Exit code and signal, once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `command` with piped output and watches stdout for the hub's `listening` line.
 * `onStdout` sees each chunk first (a test may stop reading there).
 */
export function spawnServe(
  command: string,
  args: string[],
  options: SpawnOptions = {},
  onStdout?: (chunk: string, child: ChildProcess) => void,
): ServeProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /"port":(\d+)[^\n]*"msg":"listening"/.exec(out);
      if (m) resolve(Number(m[1]));
      onStdout?.(chunk, child);
    });
    child.stdout!.on('error', () => {});
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (err += chunk));
    void exited.then(({ code, signal }) =>
      reject(new Error(`exited (${code ?? signal}) before listening:\n${out}\n${err}`)),
    );
  });
  listening.catch(() => {});
  return { child, stdout: () => out, stderr: () => err, listening, exited };
}

/** Whether a process exists (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** Whether nothing accepts connections on the port any more. */
export async function portClosed(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
    return false;
  } catch {
    return true;
  }
}
