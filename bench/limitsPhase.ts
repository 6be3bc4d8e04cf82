// Before a run: can this machine hold the sizes asked for? Open-file limits of the hub and of each
// generator, loopback source ports, memory. A size the limits cannot hold is refused up front
// with what to change, instead of failing halfway through a long run.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { descriptorReserve } from '../hub/server/fdGuard.ts';
import { populationOf, type BenchOptions } from './benchOptions.ts';

/** Descriptors a process needs beyond its sockets (database, logs, listeners, node itself). */
const fdMargin = 512;
/** Share of the ephemeral port range a source address is given (TIME_WAIT leftovers, other users). */
const portShare = 0.8;
/** Memory a connection costs, hub and client side together (measured ~9 KB + ~40–60 KB), with room to spare (bytes). */
const bytesPerConnection = 96 * 1024;

/** What the machine allows, and what the run will use. */
export interface ScaleLimits {
  /** Soft and hard RLIMIT_NOFILE of this (the orchestrator's) process; children inherit them. */
  nofileSoft: number;
  nofileHard: number;
  /** The soft limit the hub and the generators are started with (raised up to the hard limit). */
  nofileChildren: number;
  /** Descriptors the hub needs (its connections plus a margin) and each generator needs. */
  hubNeeds: number;
  generatorNeeds: number;
  /** Loopback ephemeral ports (ip_local_port_range) and the source addresses 127.0.0.1…N used. */
  ephemeralPorts: number;
  sourceAddresses: number;
  memAvailableMb: number;
  memNeededMb: number;
}

/** The limits check's verdict: the figures, and what stands in the way (empty: the run may go). */
export interface LimitsVerdict {
  limits: ScaleLimits;
  problems: string[];
}

/** Parses "Max open files  1024  4096  files" from /proc/PID/limits. */
export function openFileLimits(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const text = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  const n = (s: string | undefined) => (s === undefined || s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

function ephemeralPortCount(): number {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return hi! - lo! + 1;
  } catch {
    return 28_000;
  }
}

function memAvailable(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall back to os.freemem()
  }
  return os.freemem();
}

/**
 * The open-file limit the hub needs to hold `connections` WebSockets: they plus its other
 * descriptors, plus the reserve its fd guard keeps back from WebSockets at that limit (at 20,000,
 * 1,000: beyond limit − reserve it answers upgrades 503).
 */
export function hubDescriptorsFor(connections: number): number {
  let limit = connections + fdMargin;
  while (limit - descriptorReserve(limit) < connections + fdMargin) limit++;
  return limit;
}

/** The most connections a hub holds under an open-file limit of `limit` ({@link hubDescriptorsFor}'s inverse). */
export function mostConnectionsWithin(limit: number): number {
  return Math.max(0, limit - descriptorReserve(limit) - fdMargin);
}

/**
 * Checks that `connections` sockets held at once (by `generators` processes against one hub) fit
 * the open-file limits, the loopback ports and the memory; says what to run when they do not.
 */
export function checkScaleLimits(connections: number, generators: number): LimitsVerdict {
  const { soft, hard } = openFileLimits();
  const hubNeeds = hubDescriptorsFor(connections);
  const generatorNeeds = Math.ceil(connections / generators) + fdMargin;
  const ports = ephemeralPortCount();
  const perAddress = Math.floor(ports * portShare);
  // Linux answers all of 127.0.0.0/8: each generator spreads its sockets over several source addresses.
  const sourceAddresses = Math.max(1, Math.ceil(connections / perAddress));
  const memNeeded = connections * bytesPerConnection;
  const available = memAvailable();
  const limits: ScaleLimits = {
    nofileSoft: soft,
    nofileHard: hard,
    nofileChildren: Math.min(hard, Math.max(soft, hubNeeds, generatorNeeds)),
    hubNeeds,
    generatorNeeds,
    ephemeralPorts: ports,
    sourceAddresses,
    memAvailableMb: Math.round(available / 1048576),
    memNeededMb: Math.round(memNeeded / 1048576),
  };
  const problems: string[] = [];
  const most = Math.max(hubNeeds, generatorNeeds);
  if (hard < most)
    problems.push(
      `the hard open-file limit is ${hard}, the hub needs ${hubNeeds} descriptors for ${connections.toLocaleString('en')} ` +
        `connections (each generator ${generatorNeeds}). Raise it in the shell that runs the bench, e.g. as root ` +
        `\`ulimit -Hn ${most + 1024} && ulimit -n ${most + 1024}\` (or LimitNOFILE= / limits.conf for the user), or ask for ` +
        `at most --connections ${mostConnectionsWithin(hard).toLocaleString('en')}`,
    );
  if (sourceAddresses > 250)
    problems.push(`${connections} connections need ${sourceAddresses} loopback source addresses (at most 250)`);
  if (memNeeded > available)
    problems.push(
      `${connections.toLocaleString('en')} connections need about ${limits.memNeededMb} MB, ` +
        `${limits.memAvailableMb} MB are available`,
    );
  return { limits, problems };
}

/** The source address of socket number `i` when `count` addresses are used (127.0.0.1 first). */
export function sourceAddressOf(i: number, count: number): string | undefined {
  if (count <= 1) return undefined;
  return `127.0.0.${1 + (i % count)}`;
}

/**
 * The bench's first step: checks the limits for the largest number of sockets the run holds at
 * once, prints them, and on a problem prints what stands in the way (the caller refuses to run).
 */
export function limitsPhase(
  o: BenchOptions,
  write = (line: string) => process.stdout.write(line + '\n'),
): LimitsVerdict {
  const connections = populationOf(o);
  const verdict = checkScaleLimits(connections, o.generators);
  const l = verdict.limits;
  write(
    `limits: open files ${l.nofileSoft} soft / ${l.nofileHard} hard (hub needs ${l.hubNeeds}, each of ${o.generators} ` +
      `generators ${l.generatorNeeds}; children start with ${l.nofileChildren}); ${l.ephemeralPorts} ephemeral ports → ` +
      `${l.sourceAddresses} loopback source address(es); memory ${l.memAvailableMb} MB available, about ${l.memNeededMb} MB needed`,
  );
  for (const p of verdict.problems)
    process.stderr.write(`refusing to run ${connections.toLocaleString('en')} connections: ${p}\n`);
  return verdict;
}

/**
 * After start: the open-file limits the hub and each generator really got (/proc/PID/limits);
 * throws with a clear message when one is below what the run needs.
 */
export function childLimits(l: ScaleLimits, hubPid: number, generatorPids: readonly number[]) {
  const hubNofile = openFileLimits(hubPid).soft;
  const generatorNofile = Math.min(...generatorPids.map((pid) => openFileLimits(pid).soft));
  if (hubNofile < l.hubNeeds || generatorNofile < l.generatorNeeds)
    throw new Error(
      `the hub got an open-file limit of ${hubNofile} (needs ${l.hubNeeds}), the generators ${generatorNofile} ` +
        `(need ${l.generatorNeeds}): raise \`ulimit -n\` in the shell that runs the bench`,
    );
  return { fdSoft: l.nofileSoft, fdHard: l.nofileHard, ...l, hubNofile, generatorNofile };
}
