import type { Database } from 'better-sqlite3';

/** A checkpoint asked for soon, and its cancellation when the database closes. */
export interface WalCheckpointer {
  /** Asks for a checkpoint `quietMs` after the last request (at most `maxWaitMs` after the first). */
  request(): void;
  /** Drops a pending checkpoint (closing the database checkpoints anyway). */
  cancel(): void;
}

/**
 * Checkpoints the WAL into the database file and truncates it, debounced: after a message is
 * deleted (or edited) its old text is still in WAL frames until then, even with secure_delete,
 * which only zeroes the database's own pages. Several deletes in a row cost one checkpoint; a
 * steady stream still gets one every `maxWaitMs`. A checkpoint that readers (an online backup)
 * keep from finishing is tried again later.
 */
export function walCheckpointer(db: Database, quietMs = 1000, maxWaitMs = 5000): WalCheckpointer {
  let timer: NodeJS.Timeout | undefined;
  let firstAt = 0;
  const run = () => {
    timer = undefined;
    if (!db.open) return;
    let busy = false;
    try {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      busy = result?.busy === 1;
    } catch {
      // SQLITE_BUSY and the like: the next delete, or the retry below, asks again.
      busy = true;
    }
    if (busy) arm(quietMs);
  };
  const arm = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    // Never keeps the process alive on its own.
    timer.unref();
  };
  return {
    request() {
      const now = Date.now();
      if (!timer) firstAt = now;
      arm(Math.max(0, Math.min(quietMs, firstAt + maxWaitMs - now)));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
