import type { Database } from 'better-sqlite3';
import { trackedMemberCount } from './memberCounts.ts';
import { unreadCounts } from './reads.ts';
import { useSearchFunctions } from './searchFunctions.ts';
import { statement } from './statement.ts';
import type { ConversationRow, MemberConversationRow } from '../rows/conversationRow.ts';

/** The id of the general room (created by the first migration). */
export function generalRoomId(db: Database): number {
  return statement(db, `SELECT id FROM conversations WHERE kind = 'general'`).pluck().get() as number;
}

/** The conversation with this id. */
export function findConversation(db: Database, id: number): ConversationRow | undefined {
  return statement(db, 'SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
}

/** Inserts an open or closed room and returns its id. */
export function insertRoom(
  db: Database,
  r: { kind: 'open' | 'closed'; name: string; nameKey: string; topic: string; ownerId: number; now: number },
): number {
  return Number(
    statement(
      db,
      `INSERT INTO conversations (kind, name, name_key, topic, owner_id, created_at, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.kind, r.name, r.nameKey, r.topic, r.ownerId, r.now, r.now).lastInsertRowid,
  );
}

/**
 * The ids of the non-archived rooms, the general room included, with this name key (see
 * roomNameKey). A unique index keeps it to one; callers refuse more rather than pick one.
 */
export function findRoomIdsByNameKey(db: Database, nameKey: string): number[] {
  return statement(
    db,
    `SELECT id FROM conversations WHERE name_key = ? AND kind IN ('general', 'open', 'closed') AND archived = 0
     ORDER BY id`,
  )
    .pluck()
    .all(nameKey) as number[];
}

/** The id of the non-archived room (the general room included) with this name key, if any. */
export function findRoomIdByNameKey(db: Database, nameKey: string): number | undefined {
  return findRoomIdsByNameKey(db, nameKey)[0];
}

/** The direct conversation of two users, in either order. */
export function findDirect(db: Database, a: number, b: number): ConversationRow | undefined {
  return statement(db, `SELECT * FROM conversations WHERE direct_low = ? AND direct_high = ?`).get(
    Math.min(a, b),
    Math.max(a, b),
  ) as ConversationRow | undefined;
}

/** Inserts the direct conversation of two different users; returns its id. */
export function insertDirect(db: Database, a: number, b: number, now: number): number {
  return Number(
    statement(
      db,
      `INSERT INTO conversations (kind, direct_low, direct_high, created_at, last_ts) VALUES ('direct', ?, ?, ?, ?)`,
    ).run(Math.min(a, b), Math.max(a, b), now, now).lastInsertRowid,
  );
}

/** Renames a room. */
export function setRoomName(db: Database, id: number, name: string, nameKey: string | null): void {
  statement(db, 'UPDATE conversations SET name = ?, name_key = ? WHERE id = ?').run(name, nameKey, id);
}

/** Sets a room's topic. */
export function setRoomTopic(db: Database, id: number, topic: string): void {
  statement(db, 'UPDATE conversations SET topic = ? WHERE id = ?').run(topic, id);
}

/** Sets who may pin messages in a room. */
export function setRoomPinRule(db: Database, id: number, pinRule: 'members' | 'owners'): void {
  statement(db, 'UPDATE conversations SET pin_rule = ? WHERE id = ?').run(pinRule, id);
}

/** Sets a room's owner. */
export function setRoomOwner(db: Database, id: number, ownerId: number | null): void {
  statement(db, 'UPDATE conversations SET owner_id = ? WHERE id = ?').run(ownerId, id);
}

/** Flags a room as archived (kept, but out of the directory and its name free again). */
export function archiveRoom(db: Database, id: number): void {
  statement(db, 'UPDATE conversations SET archived = 1 WHERE id = ?').run(id);
}

/** Records the newest message of a conversation. */
export function setLastMessage(db: Database, id: number, seq: number, ts: number): void {
  statement(db, 'UPDATE conversations SET last_seq = ?, last_ts = ? WHERE id = ? AND last_seq < ?').run(
    seq,
    ts,
    id,
    seq,
  );
}

// The unread counters are filled in per row by unreadCounts (capped, mentions through their own
// index): never a whole history, even for someone back from a fortnight away.
const memberView = `
  SELECT c.*, m.read_seq, m.user_id AS viewer_id, m.notify, m.muted, m.muted_until,
    ${trackedMemberCount('c.id')} AS member_count,
    p.id AS peer_id, p.name AS peer_name,
    (p.read_receipts = 1 AND (SELECT v.read_receipts FROM users v WHERE v.id = m.user_id) = 1) AS receipts_on,
    (SELECT pm.read_seq FROM members pm WHERE pm.conversation_id = c.id AND pm.user_id = p.id) AS peer_read_seq,
    p.received_seq AS peer_received_seq
  FROM members m
  JOIN conversations c ON c.id = m.conversation_id
  LEFT JOIN users p ON c.kind = 'direct' AND p.id = (CASE WHEN c.direct_low = m.user_id THEN c.direct_high ELSE c.direct_low END)`;

type MemberViewRow = Omit<MemberConversationRow, 'unread' | 'mention_count'> & { viewer_id: number };

function withCounts(db: Database, row: MemberViewRow): MemberConversationRow {
  const { viewer_id, ...rest } = row;
  const counts = unreadCounts(db, row.id, viewer_id, row.read_seq, row.kind === 'direct');
  return { ...rest, unread: counts.unread, mention_count: counts.mentions };
}

/** Every conversation the user is a member of, as that user sees it. */
export function listMemberConversations(db: Database, userId: number): MemberConversationRow[] {
  const rows = statement(db, `${memberView} WHERE m.user_id = ? ORDER BY c.id`).all(userId) as MemberViewRow[];
  return rows.map((row) => withCounts(db, row));
}

/** One conversation as one of its members sees it; undefined if the user is not a member. */
export function findMemberConversation(
  db: Database,
  conversationId: number,
  userId: number,
): MemberConversationRow | undefined {
  const row = statement(db, `${memberView} WHERE m.conversation_id = ? AND m.user_id = ?`).get(
    conversationId,
    userId,
  ) as MemberViewRow | undefined;
  return row && withCounts(db, row);
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
export function browseRooms(db: Database, viewerId: number, query: string, limit: number): RoomSummaryRow[] {
  // The topic is compared by the same look-alike key as the name (searchFunctions.ts).
  useSearchFunctions(db);
  return statement(
    db,
    `SELECT c.id, c.kind, c.name, c.topic,
       (SELECT count(*) FROM members x WHERE x.conversation_id = c.id) AS member_count,
       EXISTS (SELECT 1 FROM members y WHERE y.conversation_id = c.id AND y.user_id = ?) AS joined
     FROM conversations c
     WHERE c.kind IN ('open', 'closed') AND c.archived = 0
       AND (instr(c.name_key, ?) > 0 OR instr(beseda_room_key(c.topic), ?) > 0)
       AND (c.kind = 'open' OR EXISTS (SELECT 1 FROM members z WHERE z.conversation_id = c.id AND z.user_id = ?))
     ORDER BY member_count DESC, c.name_key, c.id LIMIT ?`,
  ).all(viewerId, query, query, viewerId, limit) as RoomSummaryRow[];
}
