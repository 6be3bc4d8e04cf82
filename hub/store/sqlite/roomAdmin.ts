import type { Database } from 'better-sqlite3';
import type { Message } from '../../../common/protocol/model.ts';
import type { RoomChange, RoomOutcome } from '../ConversationStore.ts';
import type { AdminNewRoom, RoomAdminStore, RoomListing } from '../RoomAdminStore.ts';
import { insertSystemMessage, memberViews } from './conversationRows.ts';
import { findConversation, findRoomIdByNameKey, setRoomName } from './conversations.ts';
import { addMember, memberIds } from './members.ts';
import { advanceReadSeq } from './reads.ts';
import { refused } from './roomChanges.ts';
import { statement } from './statement.ts';
import { findUsersByIds } from './users.ts';
import { type ConversationRow, audienceOf } from '../rows/conversationRow.ts';

interface ListingRow {
  id: number;
  kind: RoomListing['kind'];
  name: string;
  topic: string;
  owner_id: number | null;
  owner_login: string | null;
  member_count: number;
  created_at: number;
  last_seq: number;
  last_ts: number;
  archived: number;
}

/** A change in `row`, seen by every member (what the caller publishes). */
function changedForAll(db: Database, row: ConversationRow, messages: Message[]): RoomChange {
  const all = memberIds(db, row.id);
  return {
    kind: 'changed',
    userIds: [],
    messages,
    memberIds: all,
    audience: audienceOf(row, all),
    views: memberViews(db, row.id, all),
  };
}

const nothing = (): RoomChange => ({
  kind: 'changed',
  userIds: [],
  messages: [],
  memberIds: [],
  audience: [],
  views: [],
});

const isRoom = (row: ConversationRow | undefined): row is ConversationRow =>
  row !== undefined && (row.kind === 'open' || row.kind === 'closed');

function create(db: Database, room: AdminNewRoom, now: number): RoomOutcome<RoomChange & { conversationId: number }> {
  if (findRoomIdByNameKey(db, room.nameKey) !== undefined) return refused('name_taken');
  const ids = [...new Set(room.invited)].filter((id) => id !== room.ownerId);
  const rows = ids.length > 0 ? findUsersByIds(db, ids) : [];
  if (rows.length !== ids.length) return refused('no_such_user');
  const invited = rows.filter((r) => r.disabled === 0).map((r) => r.id);
  const id = Number(
    statement(
      db,
      `INSERT INTO conversations (kind, name, name_key, topic, owner_id, created_at, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(room.kind, room.name, room.nameKey, room.topic, room.ownerId, now, now).lastInsertRowid,
  );
  const everyone = room.ownerId === null ? invited : [room.ownerId, ...invited];
  for (const userId of everyone) addMember(db, id, userId, now, 0);
  const { actorId } = room;
  const messages = [insertSystemMessage(db, id, { event: 'created', actorId, value: room.name }, now)];
  if (invited.length > 0)
    messages.push(insertSystemMessage(db, id, { event: 'invited', actorId, targetIds: invited }, now));
  for (const userId of everyone) advanceReadSeq(db, id, userId, messages.at(-1)!.seq);
  return { ...changedForAll(db, findConversation(db, id)!, messages), userIds: invited, conversationId: id };
}

function setArchived(db: Database, id: number, archived: boolean, actorId: number, now: number): RoomOutcome {
  const row = findConversation(db, id);
  if (!isRoom(row)) return refused('not_found');
  if ((row.archived === 1) === archived) return nothing();
  if (!archived && row.name_key !== null) {
    const holder = findRoomIdByNameKey(db, row.name_key);
    if (holder !== undefined && holder !== id) return refused('name_taken');
  }
  statement(db, 'UPDATE conversations SET archived = ? WHERE id = ?').run(archived ? 1 : 0, id);
  // The protocol has an `archived` event and no opposite one: bringing a room back shows in its view only.
  const messages = archived ? [insertSystemMessage(db, id, { event: 'archived', actorId }, now)] : [];
  return changedForAll(db, findConversation(db, id)!, messages);
}

function rename(db: Database, id: number, name: { name: string; key: string }, actorId: number, now: number) {
  const row = findConversation(db, id);
  if (!row || row.kind === 'direct') return refused('not_found');
  if (row.name === name.name) return nothing();
  const holder = findRoomIdByNameKey(db, name.key);
  if (holder !== undefined && holder !== id && row.archived === 0) return refused('name_taken');
  setRoomName(db, id, name.name, name.key);
  const message = insertSystemMessage(db, id, { event: 'renamed', actorId, value: name.name }, now);
  return changedForAll(db, findConversation(db, id)!, [message]);
}

/** The SQLite {@link RoomAdminStore}: every change one IMMEDIATE transaction. */
export function sqliteRoomAdminStore(db: Database): RoomAdminStore {
  const createTx = db.transaction(create);
  const archiveTx = db.transaction(setArchived);
  const renameTx = db.transaction(rename);
  return {
    list: async (includeArchived) =>
      (
        statement(
          db,
          `SELECT c.id, c.kind, c.name, c.topic, c.owner_id, u.login AS owner_login, c.created_at, c.last_seq,
             c.last_ts, c.archived, (SELECT count(*) FROM members m WHERE m.conversation_id = c.id) AS member_count
           FROM conversations c LEFT JOIN users u ON u.id = c.owner_id
           WHERE c.kind IN ('general', 'open', 'closed') AND (c.archived = 0 OR ?)
           ORDER BY c.id`,
        ).all(includeArchived ? 1 : 0) as ListingRow[]
      ).map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        topic: r.topic,
        ownerId: r.owner_id,
        ownerLogin: r.owner_login,
        memberCount: r.member_count,
        createdAt: r.created_at,
        lastMessageAt: r.last_seq > 0 ? r.last_ts : null,
        archived: r.archived === 1,
      })),
    idsByNameKey: async (nameKey) =>
      statement(
        db,
        `SELECT id FROM conversations WHERE name_key = ? AND kind IN ('general', 'open', 'closed')
         ORDER BY archived, id`,
      )
        .pluck()
        .all(nameKey) as number[],
    create: async (room, now) => createTx.immediate(db, room, now),
    setArchived: async (id, archived, actorId, now) => archiveTx.immediate(db, id, archived, actorId, now),
    rename: async (id, name, actorId, now) => renameTx.immediate(db, id, name, actorId, now),
  };
}
