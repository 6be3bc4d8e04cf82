import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { maxRoomNameLength } from '../../common/protocol/checkRoomName.ts';
import { isGeneralRoomAlias, roomNameKey } from '../../common/protocol/roomNameKey.ts';

interface RoomRow {
  id: number;
  kind: 'general' | 'open' | 'closed';
  name: string;
  owner_id: number | null;
  archived: number;
}

/**
 * Schema step 5: room names are unique by their look-alike key (roomNameKey), the general room's
 * included, and branch rooms belong to the hub. Recomputes every room's key. Where two active
 * rooms now share a key, the older keeps its name (the general room always does) and the newer is
 * renamed «NAME (2)», «NAME (3)», … with a `renamed` system message in it; so is a room whose name
 * is one of the general room's aliases (`all`, `general`, …) or has no visible letter at all. It
 * never fails on names. Rooms that directory sync adopted as branch rooms lose their owner.
 */
export function rekeyRoomNames(db: Database, now: number): void {
  db.exec('DROP INDEX IF EXISTS conversations_room_name');
  const rooms = db
    .prepare(
      `SELECT id, kind, name, owner_id, archived FROM conversations WHERE kind IN ('general', 'open', 'closed')
       ORDER BY kind = 'general' DESC, created_at, id`,
    )
    .all() as RoomRow[];
  const setName = db.prepare('UPDATE conversations SET name = ?, name_key = ? WHERE id = ?');
  const claimed = new Set<string>();
  const losers: RoomRow[] = [];
  for (const room of rooms) {
    const key = roomNameKey(room.name);
    setName.run(room.name, key, room.id);
    if (room.archived !== 0) continue;
    const free = room.kind === 'general' || (key !== '' && !claimed.has(key) && !isGeneralRoomAlias(room.name));
    if (free) claimed.add(key);
    else losers.push(room);
  }
  for (const room of losers) {
    const renamed = freeName(room.name, claimed);
    claimed.add(renamed.key);
    setName.run(renamed.name, renamed.key, room.id);
    recordRename(db, room, renamed.name, now);
  }
  // Adopted before this step: a person's room taken over as a branch room. It stays the branch
  // room (its members and history are the branch's now), but its owner loses the owner's powers.
  db.exec(`
    UPDATE conversations SET owner_id = NULL
      WHERE kind IN ('open', 'closed') AND id IN (SELECT conversation_id FROM branch_rooms);
    CREATE UNIQUE INDEX conversations_room_name ON conversations(name_key)
      WHERE kind IN ('general', 'open', 'closed') AND archived = 0;
  `);
}

/** «NAME (2)», «NAME (3)», …: the first whose key nobody has, cut to fit the length limit. */
function freeName(name: string, claimed: ReadonlySet<string>): { name: string; key: string } {
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const base = [...name.trim()].slice(0, maxRoomNameLength - suffix.length).join('');
    const candidate = base + suffix;
    const key = roomNameKey(candidate);
    if (!claimed.has(key) && !isGeneralRoomAlias(candidate)) return { name: candidate, key };
  }
}

/**
 * A `renamed` system message in the room, so its members see why its name changed. It is
 * attributed to the first administrator (IT ran the upgrade), else to the room's owner, else to
 * a member; a room with nobody to attribute it to gets none.
 */
function recordRename(db: Database, room: RoomRow, name: string, now: number): void {
  const actor = db
    .prepare(
      `SELECT coalesce(
         (SELECT id FROM users WHERE is_admin = 1 AND is_bot = 0 ORDER BY disabled, id LIMIT 1),
         ?,
         (SELECT user_id FROM members WHERE conversation_id = ? ORDER BY joined_at, user_id LIMIT 1))`,
    )
    .pluck()
    .get(room.owner_id, room.id) as number | null;
  if (actor === null) return;
  const seq = Number(
    db
      .prepare(
        `INSERT INTO messages (conversation_id, sender_id, client_id, kind, text, ts, system)
         VALUES (?, ?, ?, 'system', '', ?, ?)`,
      )
      .run(
        room.id,
        actor,
        `sys:${randomUUID()}`,
        now,
        JSON.stringify({ event: 'renamed', actorId: actor, value: name }),
      ).lastInsertRowid,
  );
  db.prepare('UPDATE conversations SET last_seq = ?, last_ts = ? WHERE id = ? AND last_seq < ?').run(
    seq,
    now,
    room.id,
    seq,
  );
}
