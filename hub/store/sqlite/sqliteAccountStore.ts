import type { Database } from 'better-sqlite3';
import type {
  AccountStore,
  CreateSessionOutcome,
  CreateUserOutcome,
  NewAccount,
  NewSession,
  ProfileChange,
  SettingsChange,
  StopPresence,
} from '../AccountStore.ts';
import { keepStopPresence, takeStopPresence } from './presenceAtStop.ts';
import { findConversation, generalRoomId } from './conversations.ts';
import { addMember } from './members.ts';
import { searchKey } from './searchKey.ts';
import {
  findSessionByTokenHash,
  insertSession,
  revokeSession,
  revokeUserSessions,
  sessionAuth,
  touchSession,
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
  searchUsers,
  setLastSeen,
  setPasswordHash,
  setUserDisabled,
} from './users.ts';

/** The SQLite {@link AccountStore}: synchronous statements, each write one IMMEDIATE transaction. */
export function sqliteAccountStore(db: Database): AccountStore {
  // IMMEDIATE takes the write lock up front (see sqliteMessageStore): a busy admin CLI makes us
  // wait out the busy timeout instead of failing the upgrade from a read transaction.
  const createUser = db.transaction((a: NewAccount): CreateUserOutcome => {
    // Checked here too: another createUser may have taken the login while the caller hashed.
    if (findUserByLogin(db, a.login)) return { kind: 'refused', reason: 'login_taken' };
    const id = insertUser(db, a);
    if (a.disabled) setUserDisabled(db, id, true);
    let joined: number | null = null;
    if (a.joinGeneral) {
      joined = generalRoomId(db);
      // A newcomer starts with the general room read: its history is not unread news to them.
      addMember(db, joined, id, a.createdAt, findConversation(db, joined)!.last_seq);
    }
    return { kind: 'created', account: accountRecord(findUserById(db, id)!), generalRoomId: joined };
  });
  const touchSessions = db.transaction((touches: readonly { sessionId: number; at: number }[]) => {
    for (const t of touches) touchSession(db, t.sessionId, t.at);
  });
  const setLastSeenMany = db.transaction((entries: readonly { userId: number; ts: number }[]) => {
    for (const e of entries) setLastSeen(db, e.userId, e.ts);
  });
  const recordStop = db.transaction((entries: readonly { userId: number; ts: number }[], online: StopPresence) => {
    for (const e of entries) setLastSeen(db, e.userId, e.ts);
    keepStopPresence(db, online);
  });
  const takeStop = db.transaction(() => takeStopPresence(db));
  const setPassword = db.transaction((userId: number, hash: string, now: number) => {
    if (!findUserById(db, userId)) return undefined;
    setPasswordHash(db, userId, hash);
    return { revokedSessions: revokeUserSessions(db, userId, now) };
  });
  const setDisabled = db.transaction((userId: number, disabled: boolean, now: number) => {
    const row = findUserById(db, userId);
    if (!row) return undefined;
    setUserDisabled(db, userId, disabled);
    const revokedSessions = disabled ? revokeUserSessions(db, userId, now) : 0;
    return { changed: (row.disabled === 1) !== disabled, revokedSessions };
  });
  const updateProfile = db.transaction((userId: number, change: ProfileChange) => {
    const row = findUserById(db, userId);
    if (!row) return undefined;
    const { position, phone, ...profile } = change;
    updateUserProfile(db, userId, { login: row.login, ...profile });
    updateUserContacts(db, userId, { position, phone });
    return accountRecord(findUserById(db, userId)!);
  });
  const updateSettings = db.transaction((userId: number, change: SettingsChange) => {
    if (!findUserById(db, userId)) return undefined;
    updateUserSettings(db, userId, change);
    return accountRecord(findUserById(db, userId)!);
  });
  const advanceReceived = db.transaction((userId: number, seq: number) => {
    const row = findUserById(db, userId);
    if (!row) return undefined;
    const moved = advanceReceivedSeq(db, userId, seq) > 0;
    return { previous: row.received_seq, receivedSeq: moved ? seq : row.received_seq, moved };
  });
  const createSession = db.transaction((s: NewSession): CreateSessionOutcome => {
    const row = findUserById(db, s.userId);
    if (!row) return { kind: 'refused', reason: 'no_account' };
    if (row.disabled === 1) return { kind: 'refused', reason: 'disabled' };
    if (s.scope === 'chat' && (row.is_admin === 1 || row.is_bot === 1))
      return { kind: 'refused', reason: 'privileged' };
    return { kind: 'created', sessionId: insertSession(db, s), account: accountRecord(row) };
  });
  const byId = (id: number) => {
    const row = findUserById(db, id);
    return row && accountRecord(row);
  };
  return {
    findUserById: async (id) => byId(id),
    findUserByLogin: async (login) => {
      const row = findUserByLogin(db, login);
      return row && accountRecord(row);
    },
    findUserByExternalId: async (externalId) => {
      const row = findUserByExternalId(db, externalId);
      return row && accountRecord(row);
    },
    findUsersByIds: async (ids) => findUsersByIds(db, ids).map(accountRecord),
    findUserIdsByLogins: async (logins) => findUserIdsByLogins(db, logins),
    listUsers: async () => listUsers(db).map(accountRecord),
    searchUsers: async (query, limit, offset) => searchUsers(db, searchKey(query), limit, offset).map(accountRecord),
    findCredentials: async (login) => {
      const row = findUserByLogin(db, login);
      return row && { account: accountRecord(row), passwordHash: row.password_hash };
    },
    firstActiveAdmin: async () => {
      const id = firstActiveAdminId(db);
      return id === undefined ? undefined : byId(id);
    },
    createUser: async (account) => createUser.immediate(account),
    setPassword: async (userId, hash, now) => setPassword.immediate(userId, hash, now),
    setDisabled: async (userId, disabled, now) => setDisabled.immediate(userId, disabled, now),
    updateProfile: async (userId, change) => updateProfile.immediate(userId, change),
    setLastSeen: async (userId, ts) => setLastSeen(db, userId, ts),
    setLastSeenMany: async (entries) => setLastSeenMany.immediate(entries),
    recordStop: async (entries, online) => recordStop.immediate(entries, online),
    takeStopPresence: async () => takeStop.immediate(),
    updateSettings: async (userId, change) => updateSettings.immediate(userId, change),
    advanceReceived: async (userId, seq) => advanceReceived.immediate(userId, seq),
    directPeers: async (userId, afterSeq) => directPeersAfter(db, userId, afterSeq),
    createSession: async (session) => createSession.immediate(session),
    findSession: async (tokenHash) => {
      const row = findSessionByTokenHash(db, tokenHash);
      return row && sessionAuth(row);
    },
    touchSessions: async (touches) => touchSessions.immediate(touches),
    revokeSession: async (sessionId, now) => revokeSession(db, sessionId, now),
    revokeSessions: async (userId, now) => revokeUserSessions(db, userId, now),
  };
}
