// The debounced WAL checkpoint the message store asks for after deletes and edits.
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { walCheckpointer } from '../../hub/store/sqlite/walCheckpoint.ts';

/** A stand-in database that records checkpoints and answers `busy` as told. */
function fakeDb() {
  const calls: string[] = [];
  const db = {
    open: true,
    busy: 0,
    pragma(sql: string) {
      calls.push(sql);
      return [{ busy: db.busy, log: 0, checkpointed: 0 }];
    },
  };
  return { db, calls, asDatabase: db as unknown as Database };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('walCheckpointer', () => {
  it('checkpoints once, a quiet second after the last request', () => {
    const { calls, asDatabase } = fakeDb();
    const checkpointer = walCheckpointer(asDatabase, 1000, 5000);
    checkpointer.request();
    vi.advanceTimersByTime(600);
    checkpointer.request();
    vi.advanceTimersByTime(600);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(calls).toEqual(['wal_checkpoint(TRUNCATE)']);
    vi.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(1);
  });

  it('still checkpoints within the longest wait while requests keep coming', () => {
    const { calls, asDatabase } = fakeDb();
    const checkpointer = walCheckpointer(asDatabase, 1000, 5000);
    for (let i = 0; i < 20 && calls.length === 0; i += 1) {
      checkpointer.request();
      vi.advanceTimersByTime(500);
    }
    expect(calls).toHaveLength(1);
  });

  it('tries again while readers keep the checkpoint from finishing', () => {
    const { db, calls, asDatabase } = fakeDb();
    db.busy = 1;
    walCheckpointer(asDatabase, 1000, 5000).request();
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(1);
    db.busy = 0;
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(2);
    vi.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(2);
  });

  it('does nothing once cancelled (the database is closing) or closed', () => {
    const { db, calls, asDatabase } = fakeDb();
    const checkpointer = walCheckpointer(asDatabase, 1000, 5000);
    checkpointer.request();
    checkpointer.cancel();
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual([]);
    checkpointer.request();
    db.open = false;
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual([]);
  });
});
