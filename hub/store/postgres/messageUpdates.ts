import type { Message, MessageUpdate } from '../../../common/protocol/model.ts';
import { currentMessages, messageRowsBySeq } from './messageRows.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { nextSeq } from './streamPosition.ts';

/** A row of the `message_updates` table. */
export interface UpdateRow {
  seq: number;
  conversation_id: number;
  target_seq: number;
  actor_id: number;
  client_id: string;
  kind: MessageUpdate['kind'];
  ts: number;
  new_mentions: string | null;
}

/**
 * The next seq of the one sequence, for an update: the same counter messages take theirs from
 * (see streamPosition.ts), so no message ever gets this one. Must run inside the write
 * transaction that stores the update.
 */
export function takeSeq(q: PgQueryable): Promise<number> {
  return nextSeq(q);
}

/** The newest update's seq (0 when none). */
export async function lastUpdateSeq(q: PgQueryable): Promise<number> {
  return (await q.one<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM message_updates'))!.seq;
}

/** Records an update (its seq from {@link takeSeq}). */
export async function insertUpdate(q: PgQueryable, row: UpdateRow): Promise<void> {
  await q.run(
    `INSERT INTO message_updates (seq, conversation_id, target_seq, actor_id, client_id, kind, ts, new_mentions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.seq, row.conversation_id, row.target_seq, row.actor_id, row.client_id, row.kind, row.ts, row.new_mentions],
  );
}

/** The update an actor stored under this client id, if any. */
export function findUpdateByClientId(
  q: PgQueryable,
  actorId: number,
  clientId: string,
): Promise<UpdateRow | undefined> {
  return q.one<UpdateRow>('SELECT * FROM message_updates WHERE actor_id = $1 AND client_id = $2', [actorId, clientId]);
}

/** The protocol's update: the row plus its message as it is now. */
export function toUpdate(row: UpdateRow, message: Message): MessageUpdate {
  const update: MessageUpdate = {
    seq: row.seq,
    kind: row.kind,
    conversationId: row.conversation_id,
    actorId: row.actor_id,
    ts: row.ts,
    message,
  };
  if (row.kind === 'edit')
    update.newMentions = row.new_mentions === null ? [] : (JSON.parse(row.new_mentions) as number[]);
  return update;
}

/**
 * Up to `limit` + 1 updates with seq > `since` in every conversation the user is a member of now,
 * oldest first, each carrying its message as it is now (the messages read in one go).
 */
export async function updatesSince(
  q: PgQueryable,
  userId: number,
  since: number,
  limit: number,
): Promise<MessageUpdate[]> {
  const rows = await q.all<UpdateRow>(
    `SELECT u.* FROM message_updates u
     WHERE u.seq > $1 AND EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = u.conversation_id AND m.user_id = $2)
     ORDER BY u.seq LIMIT $3`,
    [since, userId, limit + 1],
  );
  return withTargets(q, rows);
}

/** Updates with their messages as they are now; one read of the messages for all of them. */
export async function withTargets(q: PgQueryable, rows: readonly UpdateRow[]): Promise<MessageUpdate[]> {
  if (rows.length === 0) return [];
  const targets = [...(await messageRowsBySeq(q, [...new Set(rows.map((r) => r.target_seq))])).values()];
  const messages = new Map((await currentMessages(q, targets)).map((m) => [m.seq, m]));
  // Two updates of one message carry equal but separate copies.
  return rows.map((row) => toUpdate(row, structuredClone(messages.get(row.target_seq)!)));
}
