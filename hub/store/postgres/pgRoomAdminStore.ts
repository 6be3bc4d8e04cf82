import type { Message } from '../../../common/protocol/model.ts';
import type { RoomChange, RoomOutcome } from '../ConversationStore.ts';
import type { AdminNewRoom, RoomAdminStore, RoomListing } from '../RoomAdminStore.ts';
import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { insertSystemMessage, memberViews } from './conversationRows.ts';
import { takeWriteTurn } from './streamPosition.ts';
import { findConversation, findRoomIdByNameKey, insertRoom, setRoomName } from './conversations.ts';
import { integrationTx } from './integrationTx.ts';
import { addMember, memberIds } from './members.ts';
import { advanceReadSeq } from './reads.ts';
import { refused } from './roomChanges.ts';
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
async function changedForAll(q: PgQueryable, row: ConversationRow, messages: Message[]): Promise<RoomChange> {
  const all = await memberIds(q, row.id);
  return {
    kind: 'changed',
    userIds: [],
    messages,
    memberIds: all,
    audience: audienceOf(row, all),
    views: await memberViews(q, row.id, all),
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

// Each change below runs in one transaction and first takes the writers' turn (takeWriteTurn),
// as roomChanges.ts does, then re-reads what it depends on.

async function create(
  q: PgQueryable,
  room: AdminNewRoom,
  now: number,
): Promise<RoomOutcome<RoomChange & { conversationId: number }>> {
  await takeWriteTurn(q);
  if ((await findRoomIdByNameKey(q, room.nameKey)) !== undefined) return refused('name_taken');
  const ids = [...new Set(room.invited)].filter((id) => id !== room.ownerId);
  const rows = ids.length > 0 ? await findUsersByIds(q, ids) : [];
  if (rows.length !== ids.length) return refused('no_such_user');
  const invited = rows.filter((r) => r.disabled === 0).map((r) => r.id);
  const { kind, name, nameKey, topic, ownerId } = room;
  const id = await insertRoom(q, { kind, name, nameKey, topic, ownerId, now });
  const everyone = ownerId === null ? invited : [ownerId, ...invited];
  for (const userId of everyone) await addMember(q, id, userId, now, 0);
  const { actorId } = room;
  const messages = [await insertSystemMessage(q, id, { event: 'created', actorId, value: name }, now)];
  if (invited.length > 0)
    messages.push(await insertSystemMessage(q, id, { event: 'invited', actorId, targetIds: invited }, now));
  for (const userId of everyone) await advanceReadSeq(q, id, userId, messages.at(-1)!.seq);
  const change = await changedForAll(q, (await findConversation(q, id))!, messages);
  return { ...change, userIds: invited, conversationId: id };
}

async function setArchived(
  q: PgQueryable,
  id: number,
  archived: boolean,
  actorId: number,
  now: number,
): Promise<RoomOutcome> {
  await takeWriteTurn(q);
  const row = await findConversation(q, id);
  if (!isRoom(row)) return refused('not_found');
  if ((row.archived === 1) === archived) return nothing();
  if (!archived && row.name_key !== null) {
    const holder = await findRoomIdByNameKey(q, row.name_key);
    if (holder !== undefined && holder !== id) return refused('name_taken');
  }
  await q.run('UPDATE conversations SET archived = $1 WHERE id = $2', [archived ? 1 : 0, id]);
  // The protocol has an `archived` event and no opposite one: bringing a room back shows in its view only.
  const messages = archived ? [await insertSystemMessage(q, id, { event: 'archived', actorId }, now)] : [];
  return changedForAll(q, (await findConversation(q, id))!, messages);
}

async function rename(
  q: PgQueryable,
  id: number,
  name: { name: string; key: string },
  actorId: number,
  now: number,
): Promise<RoomOutcome> {
  await takeWriteTurn(q);
  const row = await findConversation(q, id);
  if (!row || row.kind === 'direct') return refused('not_found');
  if (row.name === name.name) return nothing();
  const holder = await findRoomIdByNameKey(q, name.key);
  if (holder !== undefined && holder !== id && row.archived === 0) return refused('name_taken');
  await setRoomName(q, id, name.name, name.key);
  const message = await insertSystemMessage(q, id, { event: 'renamed', actorId, value: name.name }, now);
  return changedForAll(q, (await findConversation(q, id))!, [message]);
}

/** The PostgreSQL {@link RoomAdminStore}: every change one transaction, run again when it lost a race (integrationTx). */
export function pgRoomAdminStore(db: PgDatabase): RoomAdminStore {
  return {
    list: async (includeArchived) =>
      (
        await db.all<ListingRow>(
          `SELECT c.id, c.kind, c.name, c.topic, c.owner_id, u.login AS owner_login, c.created_at, c.last_seq,
             c.last_ts, c.archived, (SELECT count(*) FROM members m WHERE m.conversation_id = c.id) AS member_count
           FROM conversations c LEFT JOIN users u ON u.id = c.owner_id
           WHERE c.kind IN ('general', 'open', 'closed') AND (c.archived = 0 OR $1)
           ORDER BY c.id`,
          [includeArchived],
        )
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
      (
        await db.all<{ id: number }>(
          `SELECT id FROM conversations WHERE name_key = $1 AND kind IN ('general', 'open', 'closed')
           ORDER BY archived, id`,
          [nameKey],
        )
      ).map((r) => r.id),
    create: (room, now) => integrationTx(db, (q) => create(q, room, now)),
    setArchived: (id, archived, actorId, now) => integrationTx(db, (q) => setArchived(q, id, archived, actorId, now)),
    rename: (id, name, actorId, now) => integrationTx(db, (q) => rename(q, id, name, actorId, now)),
  };
}
