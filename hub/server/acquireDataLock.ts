import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Another live process (a hub, or the admin CLI working on a stopped hub's data) holds the folder. */
export class DataLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`another hub (pid ${pid}) is already using ${dataDir}`);
    this.name = 'DataLockedError';
  }
}

/**
 * Makes sure only one hub process writes a data folder: a lock file holding our pid. A lock
 * left by a process that no longer exists (kill -9, power cut) is taken over. Throws
 * {@link DataLockedError} while another live process holds it.
 */
export function acquireDataLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'hub.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
        throw new DataLockedError(dataDir, pid);
      unlinkSync(file);
    }
  }
  throw new Error(`cannot lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
