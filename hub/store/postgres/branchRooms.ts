import type { PgQueryable } from './PgDatabase.ts';

/** The room of a branch (by its folded name), if one was made. */
export async function findBranchRoomId(q: PgQueryable, branchKey: string): Promise<number | undefined> {
  const row = await q.one<{ conversation_id: number }>(
    'SELECT conversation_id FROM branch_rooms WHERE branch_key = $1',
    [branchKey],
  );
  return row?.conversation_id;
}

/** Records (or replaces) the room of a branch. */
export async function setBranchRoom(q: PgQueryable, branchKey: string, conversationId: number): Promise<void> {
  await q.run(
    `INSERT INTO branch_rooms (branch_key, conversation_id) VALUES ($1, $2)
     ON CONFLICT (branch_key) DO UPDATE SET conversation_id = excluded.conversation_id`,
    [branchKey, conversationId],
  );
}

/**
 * Inserts a room the hub manages: open, with no owner, so only an administrator can rename it or
 * remove people from it, and nobody can be handed it. `nameKey` is the name's roomNameKey.
 */
export async function insertManagedRoom(
  q: PgQueryable,
  r: { name: string; nameKey: string; now: number },
): Promise<number> {
  const row = await q.one<{ id: number }>(
    `INSERT INTO conversations (kind, name, name_key, topic, owner_id, created_at, last_ts)
     VALUES ('open', $1, $2, '', NULL, $3, $3) RETURNING id`,
    [r.name, r.nameKey, r.now],
  );
  return row!.id;
}
