import type { Database } from 'better-sqlite3';
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
import { addMember } from './members.ts';
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

// Every function but the last here runs inside ONE transaction opened by sqliteIntegrationStore and re-reads
// what it depends on there.

/** Nothing changed yet (the general room's id filled in). */
export function noChanges(db: Database): DirectoryChanges {
  return { generalRoomId: generalRoomId(db), generalAdded: [], moves: [], signedOut: [], createdRooms: [] };
}

/** Puts a user in a conversation as the hub's own change (`joined`); nothing for a member already in. */
export function hubJoin(db: Database, conversationId: number, userId: number, now: number): RoomMove[] {
  const change = addMembers(db, conversationId, [userId], { by: 'hub' }, now);
  if (change.kind === 'refused' || change.userIds.length === 0) return [];
  return [{ conversationId, direction: 'joined', change }];
}

/** Takes a user out of a conversation as the hub's own change (`left`); nothing for a non-member. */
function hubLeave(db: Database, conversationId: number, userId: number, now: number): RoomMove[] {
  const change = removeOne(db, conversationId, userId, { by: 'hub' }, now);
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
export function activeBranchRoom(db: Database, branch: string): number | undefined {
  const id = findBranchRoomId(db, searchKey(branch));
  return id !== undefined && findConversation(db, id)?.archived === 0 ? id : undefined;
}

/**
 * The branch's room, created on first use: open, with no owner, tracked by its branch in
 * `branch_rooms` (never by its name), named by the first of `namer`'s names no active room has —
 * a room someone made with the branch's name is never taken over.
 */
export function ensureBranchRoom(
  db: Database,
  branch: string,
  namer: BranchRoomNamer,
  now: number,
  changes: DirectoryChanges,
): number {
  const known = activeBranchRoom(db, branch);
  if (known !== undefined) return known;
  for (let attempt = 1; ; attempt++) {
    const candidate = namer(branch, attempt);
    if (!candidate || findRoomIdByNameKey(db, candidate.nameKey) !== undefined) continue;
    const id = insertManagedRoom(db, { name: candidate.name, nameKey: candidate.nameKey, now });
    setBranchRoom(db, searchKey(branch), id);
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
export function applyWrite(
  db: Database,
  index: number,
  write: DirectoryWrite,
  options: SyncOptions,
  changes: DirectoryChanges,
): DirectoryOutcome {
  const { person } = write;
  const { now, namer } = options;
  const row = findUserByLogin(db, person.login);
  const managed = row && managedAccount(row);
  if (managed) throw new ManagedRefusal(index, managed);
  if (!row) {
    const branch = person.branch ?? null;
    const id = insertUser(db, {
      login: person.login,
      name: person.name,
      passwordHash: write.passwordHash ?? options.newPasswordHash,
      isAdmin: false,
      isBot: false,
      branch,
      email: person.email ?? null,
      createdAt: now,
    });
    updateUserContacts(db, id, { position: person.position ?? null, phone: person.phone ?? null });
    if (person.active === false) setUserDisabled(db, id, true);
    // A newcomer starts with the general room read; the caller announces all newcomers at once.
    addMember(db, changes.generalRoomId, id, now, findConversation(db, changes.generalRoomId)!.last_seq);
    changes.generalAdded.push(id);
    if (branch) changes.moves.push(...hubJoin(db, ensureBranchRoom(db, branch, namer, now, changes), id, now));
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
    updateUserProfile(db, row.id, next);
    changed = true;
  }
  const contacts = {
    position: person.position === undefined ? row.position : person.position,
    phone: person.phone === undefined ? row.phone : person.phone,
  };
  if (contacts.position !== row.position || contacts.phone !== row.phone) {
    updateUserContacts(db, row.id, contacts);
    changed = true;
  }
  if (next.branch !== row.branch) {
    const from = row.branch ? activeBranchRoom(db, row.branch) : undefined;
    const to = next.branch ? ensureBranchRoom(db, next.branch, namer, now, changes) : undefined;
    if (from !== to) {
      if (from !== undefined) changes.moves.push(...hubLeave(db, from, row.id, now));
      if (to !== undefined) changes.moves.push(...hubJoin(db, to, row.id, now));
    }
  }
  if (write.passwordHash !== undefined) {
    setPasswordHash(db, row.id, write.passwordHash);
    revokeUserSessions(db, row.id, now);
    changes.signedOut.push({ userId: row.id, reason: 'password_changed' });
    changed = true;
  }
  if (person.active !== undefined && setActive(db, row, person.active, now, changes)) changed = true;
  return changed ? 'updated' : 'unchanged';
}

/** Enables or disables an account; disabling ends its sessions too. Returns whether anything changed. */
export function setActive(
  db: Database,
  row: UserRow,
  active: boolean,
  now: number,
  changes: DirectoryChanges,
): boolean {
  if ((row.disabled === 0) === active) return false;
  setUserDisabled(db, row.id, !active);
  if (!active) {
    // As `user disable`: sessions end too, so re-enabling does not revive old devices.
    revokeUserSessions(db, row.id, now);
    changes.signedOut.push({ userId: row.id, reason: 'disabled' });
  }
  return true;
}

/** The directory's writes of the {@link IntegrationStore}, each one IMMEDIATE transaction. */
export function directoryWrites(
  db: Database,
): Pick<IntegrationStore, 'joinBranchRoom' | 'syncPeople' | 'deactivatePerson'> {
  const joinBranch = db.transaction((userId: number, namer: BranchRoomNamer, now: number) => {
    const changes = noChanges(db);
    const row = findUserById(db, userId);
    if (!row || row.is_bot === 1 || !row.branch) return changes;
    changes.moves.push(...hubJoin(db, ensureBranchRoom(db, row.branch, namer, now, changes), userId, now));
    return changes;
  });
  const sync = db.transaction((writes: readonly DirectoryWrite[], options: SyncOptions) => {
    const changes = noChanges(db);
    const outcomes = writes.map((write, index) => applyWrite(db, index, write, options, changes));
    const people = writes.map((write, index) => ({
      account: accountRecord(findUserByLogin(db, write.person.login)!),
      outcome: outcomes[index]!,
    }));
    return { kind: 'written', ...changes, people } as const;
  });
  const deactivate = db.transaction((userId: number, now: number): DeactivateOutcome => {
    const row = findUserById(db, userId);
    if (!row) return { kind: 'refused', reason: 'not_found' };
    const managed = managedAccount(row);
    if (managed) return { kind: 'refused', reason: managed };
    const changed = setActive(db, row, false, now, noChanges(db));
    return { kind: 'deactivated', account: accountRecord(findUserById(db, userId)!), changed };
  });
  return {
    joinBranchRoom: async (userId, namer, now) => joinBranch.immediate(userId, namer, now),
    syncPeople: async (writes, options): Promise<SyncOutcome> => {
      try {
        return sync.immediate(writes, options);
      } catch (err) {
        // Thrown to roll the whole import back.
        if (err instanceof ManagedRefusal) return { kind: 'refused', index: err.index, reason: err.reason };
        throw err;
      }
    },
    deactivatePerson: async (userId, now) => deactivate.immediate(userId, now),
  };
}
