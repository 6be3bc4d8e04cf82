import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc/PID/stat times (almost always 100). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) a process has used so far, in ms; from /proc/PID/stat. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/** Resident set size of a process in bytes; from /proc/PID/status. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

/** A CPU meter over an interval: percent of one core. */
export class CpuMeter {
  private readonly cpu0: number;
  private readonly t0 = performance.now();

  constructor(private readonly pid: number) {
    this.cpu0 = cpuMsOf(pid);
  }

  /** CPU used since the meter started: ms, and percent of one core. */
  read(): { cpuMs: number; percent: number; elapsedMs: number } {
    const cpuMs = cpuMsOf(this.pid) - this.cpu0;
    const elapsedMs = performance.now() - this.t0;
    return { cpuMs, percent: (cpuMs / elapsedMs) * 100, elapsedMs };
  }
}

/**
 * Waits until a process has been nearly idle (below `percent` of a core) for one second, e.g.
 * after a burst of connections while the hub still fans out presence; resolves with the wait in ms.
 */
export async function waitQuiet(pid: number, percent = 10, maxMs = 180_000): Promise<number> {
  const start = performance.now();
  for (;;) {
    const meter = new CpuMeter(pid);
    await new Promise((r) => setTimeout(r, 1000));
    if (meter.read().percent < percent || performance.now() - start > maxMs) return performance.now() - start;
  }
}
