import type { AccountStore, CreateSessionOutcome, CreateUserOutcome, NewAccount, NewSession } from '../AccountStore.ts';
import { findConversation, generalRoomId } from './conversations.ts';
import { keepStopPresence, takeStopPresence } from './presenceAtStop.ts';
import { addMember } from './members.ts';
import type { PgDatabase } from './PgDatabase.ts';
import { searchKey } from './searchKey.ts';
import {
  findSessionByTokenHash,
  insertSession,
  revokeSession,
  revokeUserSessions,
  sessionAuth,
  touchSessions,
} from './sessions.ts';
import {
  advanceReceivedSeq,
  directPeersAfter,
  firstActiveAdminId,
  updateUserContacts,
  updateUserProfile,
  updateUserSettings,
} from './userProfiles.ts';
import {
  accountRecord,
  findUserById,
  findUserByExternalId,
  findUserByLogin,
  findUserIdsByLogins,
  findUsersByIds,
  insertUser,
  listUsers,
  lockUserById,
  searchUsers,
  setLastSeen,
  setLastSeenMany,
  setPasswordHash,
  setUserDisabled,
} from './users.ts';

/** Whether `err` is PostgreSQL's unique violation on the given constraint. */
function uniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === constraint;
}

/**
 * Creates a user (and, when asked, its general-room membership) in one transaction. The login is
 * checked first, as in SQLite; a concurrent createUser that took it between our check and our
 * insert makes the insert fail on the UNIQUE constraint, which is the same answer: login_taken.
 */
async function createUser(db: PgDatabase, a: NewAccount): Promise<CreateUserOutcome> {
  try {
    return await db.tx(async (q): Promise<CreateUserOutcome> => {
      if (await findUserByLogin(q, a.login)) return { kind: 'refused', reason: 'login_taken' };
      const id = await insertUser(q, a);
      if (a.disabled) await setUserDisabled(q, id, true);
      let joined: number | null = null;
      if (a.joinGeneral) {
        joined = await generalRoomId(q);
        // A newcomer starts with the general room read: its history is not unread news to them.
        await addMember(q, joined, id, a.createdAt, (await findConversation(q, joined))!.last_seq);
      }
      return { kind: 'created', account: accountRecord((await findUserById(q, id))!), generalRoomId: joined };
    });
  } catch (err) {
    if (uniqueViolation(err, 'users_login_key')) return { kind: 'refused', reason: 'login_taken' };
    throw err;
  }
}

/**
 * The PostgreSQL {@link AccountStore}: each write one transaction. Where SQLite read a user and
 * then wrote (its single writer made that atomic), the user's row is locked first (lockUserById).
 */
export function pgAccountStore(db: PgDatabase): AccountStore {
  const byId = async (id: number) => {
    const row = await findUserById(db, id);
    return row && accountRecord(row);
  };
  return {
    findUserById: byId,
    findUserByLogin: async (login) => {
      const row = await findUserByLogin(db, login);
      return row && accountRecord(row);
    },
    findUserByExternalId: async (externalId) => {
      const row = await findUserByExternalId(db, externalId);
      return row && accountRecord(row);
    },
    findUsersByIds: async (ids) => (await findUsersByIds(db, ids)).map(accountRecord),
    findUserIdsByLogins: (logins) => findUserIdsByLogins(db, logins),
    listUsers: async () => (await listUsers(db)).map(accountRecord),
    searchUsers: async (query, limit, offset) =>
      (await searchUsers(db, searchKey(query), limit, offset)).map(accountRecord),
    findCredentials: async (login) => {
      const row = await findUserByLogin(db, login);
      return row && { account: accountRecord(row), passwordHash: row.password_hash };
    },
    firstActiveAdmin: async () => {
      const id = await firstActiveAdminId(db);
      return id === undefined ? undefined : byId(id);
    },
    createUser: (account) => createUser(db, account),
    setPassword: (userId, hash, now) =>
      db.tx(async (q) => {
        if (!(await lockUserById(q, userId))) return undefined;
        await setPasswordHash(q, userId, hash);
        return { revokedSessions: await revokeUserSessions(q, userId, now) };
      }),
    setDisabled: (userId, disabled, now) =>
      db.tx(async (q) => {
        const row = await lockUserById(q, userId);
        if (!row) return undefined;
        await setUserDisabled(q, userId, disabled);
        const revokedSessions = disabled ? await revokeUserSessions(q, userId, now) : 0;
        return { changed: (row.disabled === 1) !== disabled, revokedSessions };
      }),
    updateProfile: (userId, change) =>
      db.tx(async (q) => {
        const row = await lockUserById(q, userId);
        if (!row) return undefined;
        const { position, phone, ...profile } = change;
        await updateUserProfile(q, userId, { login: row.login, ...profile });
        await updateUserContacts(q, userId, { position, phone });
        return accountRecord((await findUserById(q, userId))!);
      }),
    setLastSeen: (userId, ts) => setLastSeen(db, userId, ts),
    setLastSeenMany: (entries) => db.tx((q) => setLastSeenMany(q, entries)),
    recordStop: (entries, online) =>
      db.tx(async (q) => {
        await setLastSeenMany(q, entries);
        await keepStopPresence(q, online);
      }),
    takeStopPresence: () => db.tx((q) => takeStopPresence(q)),
    updateSettings: (userId, change) =>
      db.tx(async (q) => {
        if (!(await lockUserById(q, userId))) return undefined;
        await updateUserSettings(q, userId, change);
        return accountRecord((await findUserById(q, userId))!);
      }),
    advanceReceived: (userId, seq) =>
      db.tx(async (q) => {
        const row = await lockUserById(q, userId);
        if (!row) return undefined;
        const moved = (await advanceReceivedSeq(q, userId, seq)) > 0;
        return { previous: row.received_seq, receivedSeq: moved ? seq : row.received_seq, moved };
      }),
    directPeers: (userId, afterSeq) => directPeersAfter(db, userId, afterSeq),
    createSession: (s: NewSession) =>
      db.tx(async (q): Promise<CreateSessionOutcome> => {
        // Share-locked: a concurrent disable waits for our COMMIT, then its revoke sees this session.
        const row = await lockUserById(q, s.userId, 'share');
        if (!row) return { kind: 'refused', reason: 'no_account' };
        if (row.disabled === 1) return { kind: 'refused', reason: 'disabled' };
        if (s.scope === 'chat' && (row.is_admin === 1 || row.is_bot === 1))
          return { kind: 'refused', reason: 'privileged' };
        return { kind: 'created', sessionId: await insertSession(q, s), account: accountRecord(row) };
      }),
    findSession: async (tokenHash) => {
      const row = await findSessionByTokenHash(db, tokenHash);
      return row && sessionAuth(row);
    },
    touchSessions: (touches) => db.tx((q) => touchSessions(q, touches)),
    revokeSession: (sessionId, now) => revokeSession(db, sessionId, now),
    revokeSessions: (userId, now) => revokeUserSessions(db, userId, now),
  };
}
