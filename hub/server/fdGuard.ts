import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Server, Socket } from 'node:net';
import type { Logger } from 'pino';

/** The hub's file descriptors as /healthz shows them (all null where the system does not tell). */
export interface DescriptorView {
  /** The process's soft limit on open files (RLIMIT_NOFILE), null when unknown or unlimited. */
  limit: number | null;
  /** Descriptors open now (counted in /proc/self/fd, kept current between counts). */
  open: number | null;
  /** Kept free for /healthz, the admin socket, the database, backups and uploads. */
  reserve: number | null;
  /** True while new WebSocket connections are refused because the reserve is reached. */
  refusing: boolean;
  /** WebSocket upgrades refused for want of descriptors since the hub started. */
  refusedUpgrades: number;
}

/** What the hub checks before taking a WebSocket and what it reports. */
export interface FdGuard {
  /** True when a new WebSocket may be kept; false (after logging once) when the reserve is reached. */
  admitUpgrade(): boolean;
  view(): DescriptorView;
  /**
   * Counts the server's sockets (so the descriptor count stays current between counts), caps its
   * connections short of the limit (server.maxConnections: a flood of plain HTTP connections is
   * closed at once rather than taking the descriptors the database needs) and turns a failed
   * accept (EMFILE/ENFILE) into one log line instead of an unhandled 'error' that ends the process.
   */
  watch(server: Server): void;
  /** Stops the recovery timer. */
  close(): void;
}

/** Descriptors kept back from WebSockets: this share of the limit, within these bounds. */
const reserveShare = 0.05;
const minReserve = 64;
const maxReserve = 1024;
/**
 * Listing /proc/self/fd costs about 4 µs per descriptor (80 ms at 19,000): it runs off the event
 * loop (fs.promises, the thread pool), at most this often near the cap, …
 */
const recountNearMs = 1000;
/** … and this often when far below it. In between, the server's sockets opened and closed are added. */
const recountFarMs = 10_000;
/** Seconds a refused client is told to wait (Retry-After). */
export const fdRetryAfterSeconds = 30;

/**
 * The open-file limit and a cheap running count of open descriptors. WHY: at the limit Node's
 * server can no longer accept anything — /healthz and the admin socket go silent, SQLite cannot
 * open a file and the accept error is thrown as an unhandled 'error' event. So WebSockets (the
 * only thing that piles up by the thousand) stop at limit − reserve; the reserve keeps the hub
 * answerable. Where the limit cannot be read (not Linux, or unlimited) nothing is capped.
 */
export function fdGuard(log: Logger, limit: number | null = readOpenFileLimit()): FdGuard {
  const reserve = limit === null ? null : descriptorReserve(limit);
  const cap = limit === null ? Infinity : limit - reserve!;
  // Refusals stop (and the next exhaustion is logged again) once this far below the cap.
  const hysteresis = reserve === null ? 0 : Math.max(8, Math.floor(reserve / 8));
  let sockets = 0; // the watched servers' open sockets
  let counted = limit === null ? null : countOpenDescriptors();
  let socketsAtCount = 0;
  let countedAt = Date.now();
  let exhausted = false;
  let refusedUpgrades = 0;
  let recovery: NodeJS.Timeout | null = null;

  let counting = false;
  const open = (): number | null => {
    if (counted === null) return null;
    const estimate = counted + sockets - socketsAtCount;
    const age = Date.now() - countedAt;
    if (!counting && age >= (estimate >= cap - 2 * reserve! ? recountNearMs : recountFarMs)) {
      counting = true;
      const socketsBefore = sockets;
      void readdir('/proc/self/fd').then(
        (entries) => {
          // The listing's own descriptor is in it; sockets that came and went meanwhile are not known
          // exactly (the reserve absorbs that).
          counted = entries.length - 1;
          socketsAtCount = socketsBefore;
          countedAt = Date.now();
          counting = false;
        },
        () => {
          countedAt = Date.now(); // EMFILE itself, say: keep the running count, try again later
          counting = false;
        },
      );
    }
    return estimate;
  };

  const recovered = (now: number | null) => {
    if (!exhausted || now === null || now >= cap - hysteresis) return;
    exhausted = false;
    if (recovery) clearInterval(recovery);
    recovery = null;
    log.info({ limit, open: now, reserve }, 'file descriptors available again: new connections accepted');
  };

  const exhaust = (cause: string, extra: Record<string, unknown> = {}) => {
    if (exhausted) return;
    exhausted = true;
    log.warn(
      { limit, open: open(), reserve, cause, ...extra },
      'file descriptors exhausted: new connections are refused until some close (raise LimitNOFILE / ulimit -n); connected clients are still served',
    );
    // Recovery is noticed on the next upgrade too; the timer covers a hub nobody tries to join.
    recovery = setInterval(() => recovered(open()), recountNearMs * 5);
    recovery.unref();
  };

  return {
    admitUpgrade() {
      if (limit === null) return true;
      const now = open()!;
      recovered(now);
      if (now < cap) return true;
      refusedUpgrades++;
      exhaust('websocket upgrades reached the reserve');
      return false;
    },
    view() {
      const now = open();
      recovered(now);
      return { limit, open: now, reserve, refusing: exhausted, refusedUpgrades };
    },
    watch(server) {
      server.on('connection', (socket: Socket) => {
        sockets++;
        socket.once('close', () => sockets--);
      });
      if (limit !== null) {
        // Plain HTTP may use up to half the reserve beyond the WebSockets' cap; the rest stays
        // for files (database, backups, uploads being written) and the admin socket.
        server.maxConnections = Math.max(1, limit - (counted ?? 0) - Math.floor(reserve! / 2));
      }
      server.on('drop', () =>
        exhaust('connections reached server.maxConnections', { maxConnections: server.maxConnections }),
      );
      server.on('error', (err: NodeJS.ErrnoException) => {
        // libuv accepts and closes the pending connection itself (its spare-descriptor trick),
        // so the listener does not spin; the error only needs reporting, once.
        if (err.code === 'EMFILE' || err.code === 'ENFILE') exhaust(`accept failed: ${err.code}`);
        else log.error({ err }, 'server error');
      });
    },
    close() {
      if (recovery) clearInterval(recovery);
      recovery = null;
    },
  };
}

/**
 * The descriptors kept from WebSockets under an open-file `limit`: 5 % of it, at least 64 (the
 * hub's own files and a few requests) and at most 1024 (plenty for requests in flight; more would
 * only turn clients away). A process sizing a hub's limit for N sockets adds this and the ~30 the
 * hub opens itself.
 */
export function descriptorReserve(limit: number): number {
  return Math.min(maxReserve, Math.max(minReserve, Math.ceil(limit * reserveShare)));
}

/** The soft RLIMIT_NOFILE from /proc/self/limits ("Max open files"); null elsewhere or when unlimited. */
export function readOpenFileLimit(): number | null {
  try {
    const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    const n = Number(line?.[1]);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Open descriptors of this process (entries of /proc/self/fd), null where there is no /proc. */
export function countOpenDescriptors(): number | null {
  try {
    return readdirSync('/proc/self/fd').length - 1; // not the listing's own descriptor
  } catch {
    return null;
  }
}
