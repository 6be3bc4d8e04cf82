import type { Database } from 'better-sqlite3';
import type { StopPresence } from '../AccountStore.ts';
import { statement } from './statement.ts';

/** Replaces what the last stop kept with `online` (inside the caller's transaction). */
export function keepStopPresence(db: Database, online: StopPresence): void {
  statement(db, 'DELETE FROM presence_at_stop').run();
  const insert = statement(db, 'INSERT INTO presence_at_stop (user_id, status, stopped_at) VALUES (?, ?, ?)');
  for (const { userId, status } of online.online) insert.run(userId, status, online.at);
}

/** What the last stop kept, removed (inside the caller's transaction); null when nothing is kept. */
export function takeStopPresence(db: Database): StopPresence | null {
  const rows = statement(db, 'SELECT user_id, status, stopped_at FROM presence_at_stop ORDER BY user_id').all() as {
    user_id: number;
    status: 'online' | 'away' | 'dnd';
    stopped_at: number;
  }[];
  if (rows.length === 0) return null;
  statement(db, 'DELETE FROM presence_at_stop').run();
  return { at: rows[0]!.stopped_at, online: rows.map((r) => ({ userId: r.user_id, status: r.status })) };
}
