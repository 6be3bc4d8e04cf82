import { roomNameKey } from '../../../common/protocol/roomNameKey.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { unreadCounts } from './reads.ts';
import type { ConversationRow, MemberConversationRow } from '../rows/conversationRow.ts';

/** The id of the general room (created by the first migration). */
export async function generalRoomId(q: PgQueryable): Promise<number> {
  const row = await q.one<{ id: number }>(`SELECT id FROM conversations WHERE kind = 'general'`);
  return row!.id;
}

/** The conversation with this id. */
export async function findConversation(q: PgQueryable, id: number): Promise<ConversationRow | undefined> {
  return q.one<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
}

/** Inserts an open or closed room and returns its id. */
export async function insertRoom(
  q: PgQueryable,
  r: { kind: 'open' | 'closed'; name: string; nameKey: string; topic: string; ownerId: number | null; now: number },
): Promise<number> {
  const row = await q.one<{ id: number }>(
    `INSERT INTO conversations (kind, name, name_key, topic, owner_id, created_at, last_ts)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
    [r.kind, r.name, r.nameKey, r.topic, r.ownerId, r.now],
  );
  return row!.id;
}

/**
 * The ids of the non-archived rooms, the general room included, with this name key (see
 * roomNameKey). A unique index keeps it to one; callers refuse more rather than pick one.
 */
export async function findRoomIdsByNameKey(q: PgQueryable, nameKey: string): Promise<number[]> {
  const rows = await q.all<{ id: number }>(
    `SELECT id FROM conversations WHERE name_key = $1 AND kind IN ('general', 'open', 'closed') AND archived = 0
     ORDER BY id`,
    [nameKey],
  );
  return rows.map((r) => r.id);
}

/** The id of the non-archived room (the general room included) with this name key, if any. */
export async function findRoomIdByNameKey(q: PgQueryable, nameKey: string): Promise<number | undefined> {
  return (await findRoomIdsByNameKey(q, nameKey))[0];
}

/** The direct conversation of two users, in either order. */
export async function findDirect(q: PgQueryable, a: number, b: number): Promise<ConversationRow | undefined> {
  return q.one<ConversationRow>('SELECT * FROM conversations WHERE direct_low = $1 AND direct_high = $2', [
    Math.min(a, b),
    Math.max(a, b),
  ]);
}

/** Inserts the direct conversation of two different users; returns its id. */
export async function insertDirect(q: PgQueryable, a: number, b: number, now: number): Promise<number> {
  const row = await q.one<{ id: number }>(
    `INSERT INTO conversations (kind, direct_low, direct_high, created_at, last_ts)
     VALUES ('direct', $1, $2, $3, $3) RETURNING id`,
    [Math.min(a, b), Math.max(a, b), now],
  );
  return row!.id;
}

/** Renames a room. */
export async function setRoomName(q: PgQueryable, id: number, name: string, nameKey: string | null): Promise<void> {
  await q.run('UPDATE conversations SET name = $1, name_key = $2 WHERE id = $3', [name, nameKey, id]);
}

/** Sets a room's topic. */
export async function setRoomTopic(q: PgQueryable, id: number, topic: string): Promise<void> {
  await q.run('UPDATE conversations SET topic = $1 WHERE id = $2', [topic, id]);
}

/** Sets who may pin messages in a room. */
export async function setRoomPinRule(q: PgQueryable, id: number, pinRule: 'members' | 'owners'): Promise<void> {
  await q.run('UPDATE conversations SET pin_rule = $1 WHERE id = $2', [pinRule, id]);
}

/** Sets a room's owner. */
export async function setRoomOwner(q: PgQueryable, id: number, ownerId: number | null): Promise<void> {
  await q.run('UPDATE conversations SET owner_id = $1 WHERE id = $2', [ownerId, id]);
}

/** Flags a room as archived (kept, but out of the directory and its name free again). */
export async function archiveRoom(q: PgQueryable, id: number): Promise<void> {
  await q.run('UPDATE conversations SET archived = 1 WHERE id = $1', [id]);
}

/** Records the newest message of a conversation. */
export async function setLastMessage(q: PgQueryable, id: number, seq: number, ts: number): Promise<void> {
  await q.run('UPDATE conversations SET last_seq = $1, last_ts = $2 WHERE id = $3 AND last_seq < $1', [seq, ts, id]);
}

// The unread counters are filled in per row by unreadCounts (capped, mentions through their own
// index): never a whole history, even for someone back from a fortnight away. SQLite gave the
// comparison in receipts_on as 0/1; here a boolean, so it is cast to keep the row's shape.
const memberView = `
  SELECT c.*, m.read_seq, m.user_id AS viewer_id, m.notify, m.muted, m.muted_until,
    (SELECT count(*) FROM members x WHERE x.conversation_id = c.id) AS member_count,
    p.id AS peer_id, p.name AS peer_name,
    (p.read_receipts = 1 AND (SELECT v.read_receipts FROM users v WHERE v.id = m.user_id) = 1)::integer AS receipts_on,
    (SELECT pm.read_seq FROM members pm WHERE pm.conversation_id = c.id AND pm.user_id = p.id) AS peer_read_seq,
    p.received_seq AS peer_received_seq
  FROM members m
  JOIN conversations c ON c.id = m.conversation_id
  LEFT JOIN users p ON c.kind = 'direct' AND p.id = (CASE WHEN c.direct_low = m.user_id THEN c.direct_high ELSE c.direct_low END)`;

type MemberViewRow = Omit<MemberConversationRow, 'unread' | 'mention_count'> & { viewer_id: number };

async function withCounts(q: PgQueryable, row: MemberViewRow): Promise<MemberConversationRow> {
  const { viewer_id, ...rest } = row;
  const counts = await unreadCounts(q, row.id, viewer_id, row.read_seq, row.kind === 'direct');
  return { ...rest, unread: counts.unread, mention_count: counts.mentions };
}

/** Every conversation the user is a member of, as that user sees it. */
export async function listMemberConversations(q: PgQueryable, userId: number): Promise<MemberConversationRow[]> {
  const rows = await q.all<MemberViewRow>(`${memberView} WHERE m.user_id = $1 ORDER BY c.id`, [userId]);
  const out: MemberConversationRow[] = [];
  // One after another: on a transaction's client, queries run one at a time anyway.
  for (const row of rows) out.push(await withCounts(q, row));
  return out;
}

/** One conversation as one of its members sees it; undefined if the user is not a member. */
export async function findMemberConversation(
  q: PgQueryable,
  conversationId: number,
  userId: number,
): Promise<MemberConversationRow | undefined> {
  const row = await q.one<MemberViewRow>(`${memberView} WHERE m.conversation_id = $1 AND m.user_id = $2`, [
    conversationId,
    userId,
  ]);
  return row && withCounts(q, row);
}

/** A room in the directory with its member count and whether the viewer is in it. */
export interface RoomSummaryRow {
  id: number;
  kind: 'open' | 'closed';
  name: string;
  topic: string;
  member_count: number;
  joined: number;
}

/**
 * Non-archived open rooms, and closed rooms the viewer is in, whose name or topic contains
 * `query` (folded): largest first.
 */
export async function browseRooms(
  q: PgQueryable,
  viewerId: number,
  query: string,
  limit: number,
): Promise<RoomSummaryRow[]> {
  // SQLite compared the topic's roomNameKey inside SQL (a JS function registered on the
  // connection); PostgreSQL cannot call into the hub, so the topic is folded here, on the rooms
  // whose name does not match already and that have a topic at all.
  const rows = await q.all<RoomSummaryRow & { name_key: string | null }>(
    `SELECT c.id, c.kind, c.name, c.name_key, c.topic,
       (SELECT count(*) FROM members x WHERE x.conversation_id = c.id) AS member_count,
       EXISTS (SELECT 1 FROM members y WHERE y.conversation_id = c.id AND y.user_id = $1)::integer AS joined
     FROM conversations c
     WHERE c.kind IN ('open', 'closed') AND c.archived = 0
       AND (strpos(c.name_key, $2) > 0 OR c.topic <> '')
       AND (c.kind = 'open' OR EXISTS (SELECT 1 FROM members z WHERE z.conversation_id = c.id AND z.user_id = $1))`,
    [viewerId, query],
  );
  const matching = rows.filter(
    (r) => (r.name_key !== null && r.name_key.includes(query)) || roomNameKey(r.topic).includes(query),
  );
  // SQLite's order: most members, then the key by its bytes (BINARY collation), then id.
  matching.sort(
    (a, b) =>
      b.member_count - a.member_count ||
      Buffer.compare(Buffer.from(a.name_key ?? ''), Buffer.from(b.name_key ?? '')) ||
      a.id - b.id,
  );
  return matching.slice(0, limit).map(({ name_key: _key, ...r }) => r);
}
