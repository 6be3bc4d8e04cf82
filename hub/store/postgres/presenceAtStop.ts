import type { StopPresence } from '../AccountStore.ts';
import type { PgQueryable } from './PgDatabase.ts';

/** Replaces what the last stop kept with `online` (inside the caller's transaction). */
export async function keepStopPresence(q: PgQueryable, online: StopPresence): Promise<void> {
  await q.run('DELETE FROM presence_at_stop');
  if (online.online.length === 0) return;
  await q.run(
    `INSERT INTO presence_at_stop (user_id, status, stopped_at)
     SELECT t.id, t.status, $3 FROM unnest($1::bigint[], $2::text[]) AS t(id, status)`,
    [online.online.map((o) => o.userId), online.online.map((o) => o.status), online.at],
  );
}

/** What the last stop kept, removed (inside the caller's transaction); null when nothing is kept. */
export async function takeStopPresence(q: PgQueryable): Promise<StopPresence | null> {
  const rows = await q.all<{
    user_id: string | number;
    status: 'online' | 'away' | 'dnd';
    stopped_at: string | number;
  }>('DELETE FROM presence_at_stop RETURNING user_id, status, stopped_at');
  if (rows.length === 0) return null;
  const online = rows.map((r) => ({ userId: Number(r.user_id), status: r.status })).sort((a, b) => a.userId - b.userId);
  return { at: Number(rows[0]!.stopped_at), online };
}
