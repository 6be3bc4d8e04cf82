import { findBranchRoomId, insertManagedRoom, setBranchRoom } from './branchRooms.ts';
import { findConversation, findRoomIdByNameKey, generalRoomId } from './conversations.ts';
import type {
  BranchRoomNamer,
  DeactivateOutcome,
  DirectoryChanges,
  DirectoryOutcome,
  DirectoryWrite,
  IntegrationStore,
  ManagedAccount,
  RoomMove,
  SyncOutcome,
} from '../IntegrationStore.ts';
import { integrationTx } from './integrationTx.ts';
import { addMember } from './members.ts';
import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { searchKey } from './searchKey.ts';
import { revokeUserSessions } from './sessions.ts';
import { updateUserContacts, updateUserProfile } from './userProfiles.ts';
import {
  accountRecord,
  findUserById,
  findUserByLogin,
  insertUser,
  setPasswordHash,
  setUserDisabled,
  type UserRow,
} from './users.ts';
import { addMembers, removeOne } from './roomChanges.ts';

type SyncOptions = { newPasswordHash: string; namer: BranchRoomNamer; now: number };

// Every function but the last here runs inside ONE transaction opened by the caller and re-reads
// what it depends on there; the statements run one after another on that transaction's connection.

/** Nothing changed yet (the general room's id filled in). */
export async function noChanges(q: PgQueryable): Promise<DirectoryChanges> {
  return { generalRoomId: await generalRoomId(q), generalAdded: [], moves: [], signedOut: [], createdRooms: [] };
}

/** Puts a user in a conversation as the hub's own change (`joined`); nothing for a member already in. */
export async function hubJoin(
  q: PgQueryable,
  conversationId: number,
  userId: number,
  now: number,
): Promise<RoomMove[]> {
  const change = await addMembers(q, conversationId, [userId], { by: 'hub' }, now);
  if (change.kind === 'refused' || change.userIds.length === 0) return [];
  return [{ conversationId, direction: 'joined', change }];
}

/** Takes a user out of a conversation as the hub's own change (`left`); nothing for a non-member. */
async function hubLeave(q: PgQueryable, conversationId: number, userId: number, now: number): Promise<RoomMove[]> {
  const change = await removeOne(q, conversationId, userId, { by: 'hub' }, now);
  if (change.kind === 'refused' || change.userIds.length === 0) return [];
  return [{ conversationId, direction: 'left', change }];
}

/** Why the directory may not touch this account, if it may not. */
export function managedAccount(row: UserRow): ManagedAccount | undefined {
  if (row.is_admin === 1) return 'administrator';
  if (row.is_bot === 1) return 'bot';
  return undefined;
}

/** The branch's active room, if it has one (never creates it). Branches are keyed by their folded name. */
export async function activeBranchRoom(q: PgQueryable, branch: string): Promise<number | undefined> {
  const id = await findBranchRoomId(q, searchKey(branch));
  return id !== undefined && (await findConversation(q, id))?.archived === 0 ? id : undefined;
}

/**
 * The branch's room, created on first use: open, with no owner, tracked by its branch in
 * `branch_rooms` (never by its name), named by the first of `namer`'s names no active room has —
 * a room someone made with the branch's name is never taken over.
 */
export async function ensureBranchRoom(
  q: PgQueryable,
  branch: string,
  namer: BranchRoomNamer,
  now: number,
  changes: DirectoryChanges,
): Promise<number> {
  const known = await activeBranchRoom(q, branch);
  if (known !== undefined) return known;
  for (let attempt = 1; ; attempt++) {
    const candidate = namer(branch, attempt);
    if (!candidate || (await findRoomIdByNameKey(q, candidate.nameKey)) !== undefined) continue;
    const id = await insertManagedRoom(q, { name: candidate.name, nameKey: candidate.nameKey, now });
    await setBranchRoom(q, searchKey(branch), id);
    changes.createdRooms.push(id);
    return id;
  }
}

/** Thrown inside the import's transaction to roll it back: the write at `index` may not be made. */
export class ManagedRefusal extends Error {
  constructor(
    readonly index: number,
    readonly reason: ManagedAccount,
  ) {
    super(`directory write ${index} refused: ${reason}`);
  }
}

/** Creates or updates one person (see IntegrationStore.syncPeople); throws ManagedRefusal for an administrator or bot. */
export async function applyWrite(
  q: PgQueryable,
  index: number,
  write: DirectoryWrite,
  options: SyncOptions,
  changes: DirectoryChanges,
): Promise<DirectoryOutcome> {
  const { person } = write;
  const { now, namer } = options;
  const row = await findUserByLogin(q, person.login);
  const managed = row && managedAccount(row);
  if (managed) throw new ManagedRefusal(index, managed);
  if (!row) {
    const branch = person.branch ?? null;
    const id = await insertUser(q, {
      login: person.login,
      name: person.name,
      passwordHash: write.passwordHash ?? options.newPasswordHash,
      isAdmin: false,
      isBot: false,
      branch,
      email: person.email ?? null,
      createdAt: now,
    });
    await updateUserContacts(q, id, { position: person.position ?? null, phone: person.phone ?? null });
    if (person.active === false) await setUserDisabled(q, id, true);
    // A newcomer starts with the general room read; the caller announces all newcomers at once.
    const general = (await findConversation(q, changes.generalRoomId))!;
    await addMember(q, changes.generalRoomId, id, now, general.last_seq);
    changes.generalAdded.push(id);
    if (branch) {
      const room = await ensureBranchRoom(q, branch, namer, now, changes);
      changes.moves.push(...(await hubJoin(q, room, id, now)));
    }
    return 'created';
  }

  let changed = false;
  const next = {
    login: row.login,
    name: person.name,
    branch: person.branch === undefined ? row.branch : person.branch,
    email: person.email === undefined ? row.email : person.email,
  };
  if (next.name !== row.name || next.branch !== row.branch || next.email !== row.email) {
    await updateUserProfile(q, row.id, next);
    changed = true;
  }
  const contacts = {
    position: person.position === undefined ? row.position : person.position,
    phone: person.phone === undefined ? row.phone : person.phone,
  };
  if (contacts.position !== row.position || contacts.phone !== row.phone) {
    await updateUserContacts(q, row.id, contacts);
    changed = true;
  }
  if (next.branch !== row.branch) {
    const from = row.branch ? await activeBranchRoom(q, row.branch) : undefined;
    const to = next.branch ? await ensureBranchRoom(q, next.branch, namer, now, changes) : undefined;
    if (from !== to) {
      if (from !== undefined) changes.moves.push(...(await hubLeave(q, from, row.id, now)));
      if (to !== undefined) changes.moves.push(...(await hubJoin(q, to, row.id, now)));
    }
  }
  if (write.passwordHash !== undefined) {
    await setPasswordHash(q, row.id, write.passwordHash);
    await revokeUserSessions(q, row.id, now);
    changes.signedOut.push({ userId: row.id, reason: 'password_changed' });
    changed = true;
  }
  if (person.active !== undefined && (await setActive(q, row, person.active, now, changes))) changed = true;
  return changed ? 'updated' : 'unchanged';
}

/** Enables or disables an account; disabling ends its sessions too. Returns whether anything changed. */
export async function setActive(
  q: PgQueryable,
  row: UserRow,
  active: boolean,
  now: number,
  changes: DirectoryChanges,
): Promise<boolean> {
  if ((row.disabled === 0) === active) return false;
  await setUserDisabled(q, row.id, !active);
  if (!active) {
    // As `user disable`: sessions end too, so re-enabling does not revive old devices.
    await revokeUserSessions(q, row.id, now);
    changes.signedOut.push({ userId: row.id, reason: 'disabled' });
  }
  return true;
}

/**
 * The directory's writes of the {@link IntegrationStore}, each one transaction; imports and
 * branch rooms wait for each other and for message writers (integrationTx) as under SQLite's write lock.
 */
export function directoryWrites(
  db: PgDatabase,
): Pick<IntegrationStore, 'joinBranchRoom' | 'syncPeople' | 'deactivatePerson'> {
  return {
    joinBranchRoom: (userId, namer, now) =>
      integrationTx(db, async (q) => {
        const changes = await noChanges(q);
        const row = await findUserById(q, userId);
        if (!row || row.is_bot === 1 || !row.branch) return changes;
        const room = await ensureBranchRoom(q, row.branch, namer, now, changes);
        changes.moves.push(...(await hubJoin(q, room, userId, now)));
        return changes;
      }),
    syncPeople: async (writes, options): Promise<SyncOutcome> => {
      try {
        return await integrationTx(db, async (q) => {
          const changes = await noChanges(q);
          const outcomes: DirectoryOutcome[] = [];
          for (const [index, write] of writes.entries())
            outcomes.push(await applyWrite(q, index, write, options, changes));
          const people = [];
          for (const [index, write] of writes.entries())
            people.push({
              account: accountRecord((await findUserByLogin(q, write.person.login))!),
              outcome: outcomes[index]!,
            });
          return { kind: 'written', ...changes, people } as const;
        });
      } catch (err) {
        // Thrown to roll the whole import back.
        if (err instanceof ManagedRefusal) return { kind: 'refused', index: err.index, reason: err.reason };
        throw err;
      }
    },
    deactivatePerson: (userId, now) =>
      // Under the writers' turn, so of two concurrent deactivations only one reports a change.
      integrationTx(db, async (q): Promise<DeactivateOutcome> => {
        const row = await findUserById(q, userId);
        if (!row) return { kind: 'refused', reason: 'not_found' };
        const managed = managedAccount(row);
        if (managed) return { kind: 'refused', reason: managed };
        const changed = await setActive(q, row, false, now, await noChanges(q));
        return { kind: 'deactivated', account: accountRecord((await findUserById(q, userId))!), changed };
      }),
  };
}
