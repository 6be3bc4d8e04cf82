import type { AccountRecord, NewAccount } from '../AccountStore.ts';
import { foldedText } from '../search/searchTerms.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { searchKey } from './searchKey.ts';

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

/**
 * Inserts a user and returns its id. The login must already be normalized. A login taken by a
 * concurrent transaction rejects with a unique violation (23505 on `users_login_key`).
 */
export async function insertUser(q: PgQueryable, u: Omit<NewAccount, 'disabled' | 'joinGeneral'>): Promise<number> {
  const row = await q.one<{ id: number }>(
    `INSERT INTO users (login, name, search_key, password_hash, is_admin, is_bot, branch, email, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      u.login,
      u.name,
      searchKey(`${u.login}\n${u.name}`),
      u.passwordHash,
      u.isAdmin ? 1 : 0,
      u.isBot ? 1 : 0,
      u.branch,
      u.email,
      u.createdAt,
    ],
  );
  return row!.id;
}

/** The user with this (normalized) login. */
export async function findUserByLogin(q: PgQueryable, login: string): Promise<UserRow | undefined> {
  return q.one<UserRow>('SELECT * FROM users WHERE login = $1', [login]);
}

/** The user linked to this external id (1C), if any. */
export async function findUserByExternalId(q: PgQueryable, externalId: string): Promise<UserRow | undefined> {
  return q.one<UserRow>('SELECT * FROM users WHERE external_id = $1', [externalId]);
}

/** Links a user to an external id (the caller checked nobody else holds it). */
export async function setExternalId(q: PgQueryable, userId: number, externalId: string): Promise<void> {
  await q.run('UPDATE users SET external_id = $1 WHERE id = $2', [externalId, userId]);
}

/** The user with this id. */
export async function findUserById(q: PgQueryable, id: number): Promise<UserRow | undefined> {
  return q.one<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
}

/**
 * The user with this id, its row locked until the transaction ends (`share`: others may read-lock
 * it too, but nobody changes it). Under READ COMMITTED this is what makes a read-then-write
 * behave as under SQLite's single writer: e.g. a session is never created for a user whom a
 * concurrent transaction is disabling (that one's UPDATE waits for our COMMIT, and its revoke then
 * sees our session), and `changed`/`previous` answers are never stale.
 */
export async function lockUserById(
  q: PgQueryable,
  id: number,
  mode: 'update' | 'share' = 'update',
): Promise<UserRow | undefined> {
  return q.one<UserRow>(`SELECT * FROM users WHERE id = $1 FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'}`, [id]);
}

/** The users with these ids that exist, in id order. */
export async function findUsersByIds(q: PgQueryable, ids: readonly number[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return q.all<UserRow>('SELECT * FROM users WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
}

/** Ids of the users with these (normalized) logins that exist. */
export async function findUserIdsByLogins(
  q: PgQueryable,
  logins: readonly string[],
): Promise<{ id: number; login: string }[]> {
  if (logins.length === 0) return [];
  return q.all<{ id: number; login: string }>('SELECT id, login FROM users WHERE login = ANY($1::text[])', [logins]);
}

/** Every user, by id. */
export async function listUsers(q: PgQueryable): Promise<UserRow[]> {
  return q.all<UserRow>('SELECT * FROM users ORDER BY id');
}

/** Ids of every enabled person (not bots): the members the general room must have. */
export async function activePeopleIds(q: PgQueryable): Promise<number[]> {
  const rows = await q.all<{ id: number }>('SELECT id FROM users WHERE disabled = 0 AND is_bot = 0 ORDER BY id');
  return rows.map((r) => r.id);
}

/**
 * Users whose login, name, branch or position contains `query`, all folded with foldForSearch
 * (case, ё/е: «федорова» finds «Фёдорова»): enabled users first, then those whose login starts
 * with it, then by name (byte order of UTF-8, as SQLite's BINARY), then id. The folding is done
 * here in JS, not in SQL: PostgreSQL's lower() follows the server's locale, and only the very
 * same function gives the same answers as the SQLite store. The directory is small (thousands),
 * SQLite scans it all too, and foldings are remembered per distinct text.
 */
export async function searchUsers(q: PgQueryable, query: string, limit: number, offset: number): Promise<UserRow[]> {
  const needle = foldedText(query);
  const rows = await q.all<UserRow>('SELECT * FROM users');
  const hits: { row: UserRow; loginFirst: boolean; name: Buffer }[] = [];
  for (const row of rows) {
    const text = `${row.login}\n${row.name}\n${row.branch ?? ''}\n${row.position ?? ''}`;
    if (!remembered(text).includes(needle)) continue;
    hits.push({ row, loginFirst: remembered(row.login).startsWith(needle), name: Buffer.from(row.name) });
  }
  hits.sort(
    (a, b) =>
      a.row.disabled - b.row.disabled ||
      Number(b.loginFirst) - Number(a.loginFirst) ||
      Buffer.compare(a.name, b.name) ||
      a.row.id - b.row.id,
  );
  return hits.slice(offset, offset + limit).map((h) => h.row);
}

const folded = new Map<string, string>();
const maxRemembered = 50_000;

/** foldedText, remembered per distinct text (a directory has few distinct names and branches). */
function remembered(text: string): string {
  let f = folded.get(text);
  if (f === undefined) {
    f = foldedText(text);
    if (folded.size >= maxRemembered) folded.clear();
    folded.set(text, f);
  }
  return f;
}

/** Replaces a user's password hash. */
export async function setPasswordHash(q: PgQueryable, userId: number, hash: string): Promise<void> {
  await q.run('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, userId]);
}

/** Disables or re-enables a user. */
export async function setUserDisabled(q: PgQueryable, userId: number, disabled: boolean): Promise<void> {
  await q.run('UPDATE users SET disabled = $1 WHERE id = $2', [disabled ? 1 : 0, userId]);
}

/** Records when the user was last connected. */
export async function setLastSeen(q: PgQueryable, userId: number, ts: number): Promise<void> {
  await q.run('UPDATE users SET last_seen = $1 WHERE id = $2', [ts, userId]);
}

/**
 * Records many users' last-seen times in two statements (a shutdown writes everyone's). The
 * latest entry of a user wins, as when SQLite ran them one by one. Rows are locked in id order
 * first, so two nodes writing overlapping users at once wait for each other instead of deadlocking.
 * Must run inside a transaction (the locks last until it ends).
 */
export async function setLastSeenMany(
  q: PgQueryable,
  entries: readonly { userId: number; ts: number }[],
): Promise<void> {
  const latest = new Map<number, number>();
  for (const e of entries) latest.set(e.userId, e.ts);
  if (latest.size === 0) return;
  const ids = [...latest.keys()].sort((a, b) => a - b);
  await q.run('SELECT id FROM users WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
  await q.run(
    `UPDATE users u SET last_seen = t.ts FROM unnest($1::bigint[], $2::bigint[]) AS t(id, ts) WHERE u.id = t.id`,
    [ids, ids.map((id) => latest.get(id))],
  );
}
