import type { Database } from 'better-sqlite3';
import type { AccountRecord, NewAccount } from '../AccountStore.ts';
import { foldedText } from '../search/searchTerms.ts';
import { searchKey } from './searchKey.ts';
import { useSearchFunctions } from './searchFunctions.ts';
import { statement } from './statement.ts';

/** A row of the `users` table. */
export interface UserRow {
  id: number;
  login: string;
  name: string;
  search_key: string;
  password_hash: string;
  is_admin: number;
  is_bot: number;
  disabled: number;
  branch: string | null;
  email: string | null;
  created_at: number;
  last_seen: number | null;
  position: string | null;
  phone: string | null;
  time_zone: string | null;
  read_receipts: number;
  received_seq: number;
  /** The person's id in the organisation's system (1C), unique when set. */
  external_id: string | null;
}

/** A row as the {@link AccountRecord} operations see (no password hash, no search key). */
export function accountRecord(row: UserRow): AccountRecord {
  return {
    id: row.id,
    login: row.login,
    name: row.name,
    isAdmin: row.is_admin === 1,
    isBot: row.is_bot === 1,
    disabled: row.disabled === 1,
    branch: row.branch,
    email: row.email,
    createdAt: row.created_at,
    lastSeen: row.last_seen,
    position: row.position,
    phone: row.phone,
    timeZone: row.time_zone,
    readReceipts: row.read_receipts === 1,
    receivedSeq: row.received_seq,
    externalId: row.external_id,
  };
}

/** Inserts a user and returns its id. The login must already be normalized. */
export function insertUser(db: Database, u: Omit<NewAccount, 'disabled' | 'joinGeneral'>): number {
  const result = statement(
    db,
    `INSERT INTO users (login, name, search_key, password_hash, is_admin, is_bot, branch, email, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    u.login,
    u.name,
    searchKey(`${u.login}\n${u.name}`),
    u.passwordHash,
    u.isAdmin ? 1 : 0,
    u.isBot ? 1 : 0,
    u.branch,
    u.email,
    u.createdAt,
  );
  return Number(result.lastInsertRowid);
}

/** The user with this (normalized) login. */
export function findUserByLogin(db: Database, login: string): UserRow | undefined {
  return statement(db, 'SELECT * FROM users WHERE login = ?').get(login) as UserRow | undefined;
}

/** The user linked to this external id (1C), if any. */
export function findUserByExternalId(db: Database, externalId: string): UserRow | undefined {
  return statement(db, 'SELECT * FROM users WHERE external_id = ?').get(externalId) as UserRow | undefined;
}

/** Links a user to an external id (the caller checked nobody else holds it). */
export function setExternalId(db: Database, userId: number, externalId: string): void {
  statement(db, 'UPDATE users SET external_id = ? WHERE id = ?').run(externalId, userId);
}

/** The user with this id. */
export function findUserById(db: Database, id: number): UserRow | undefined {
  return statement(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

/** The users with these ids that exist, in id order. */
export function findUsersByIds(db: Database, ids: readonly number[]): UserRow[] {
  return statement(db, 'SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(
    JSON.stringify(ids),
  ) as UserRow[];
}

/** Ids of the users with these (normalized) logins that exist. */
export function findUserIdsByLogins(db: Database, logins: readonly string[]): { id: number; login: string }[] {
  return statement(db, 'SELECT id, login FROM users WHERE login IN (SELECT value FROM json_each(?))').all(
    JSON.stringify(logins),
  ) as { id: number; login: string }[];
}

/** Every user, by id. */
export function listUsers(db: Database): UserRow[] {
  return statement(db, 'SELECT * FROM users ORDER BY id').all() as UserRow[];
}

/** Ids of every enabled person (not bots): the members the general room must have. */
export function activePeopleIds(db: Database): number[] {
  return statement(db, 'SELECT id FROM users WHERE disabled = 0 AND is_bot = 0 ORDER BY id').pluck().all() as number[];
}

/**
 * Users whose login, name, branch or position contains `query`, all folded with foldForSearch
 * (case, ё/е: «федорова» finds «Фёдорова»): enabled users first, then those whose login starts
 * with it, then by name. The directory is small (thousands), and the folding is remembered per
 * distinct text (searchFunctions.ts).
 */
export function searchUsers(db: Database, query: string, limit: number, offset: number): UserRow[] {
  useSearchFunctions(db);
  return statement(
    db,
    `SELECT * FROM users
     WHERE instr(beseda_fold(login || char(10) || name || char(10) || coalesce(branch, '') || char(10) || coalesce(position, '')), @q) > 0
     ORDER BY disabled, instr(beseda_fold(login), @q) = 1 DESC, name, id LIMIT @limit OFFSET @offset`,
  ).all({ q: foldedText(query), limit, offset }) as UserRow[];
}

/** Replaces a user's password hash. */
export function setPasswordHash(db: Database, userId: number, hash: string): void {
  statement(db, 'UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
}

/** Disables or re-enables a user. */
export function setUserDisabled(db: Database, userId: number, disabled: boolean): void {
  statement(db, 'UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, userId);
}

/** Records when the user was last connected. */
export function setLastSeen(db: Database, userId: number, ts: number): void {
  statement(db, 'UPDATE users SET last_seen = ? WHERE id = ?').run(ts, userId);
}
