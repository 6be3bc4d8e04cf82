import { describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../hub/ops/tokens.ts';
import type { AccountStore, NewAccount } from '../../hub/store/AccountStore.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import { pgAccountStore } from '../../hub/store/postgres/pgAccountStore.ts';
import { sqliteAccountStore } from '../../hub/store/sqlite/sqliteAccountStore.ts';
import { dbOf, onPostgres, openTestHub, storedRows } from './harness.ts';

const now = 1_700_000_000_000;
const GENERAL = 1;

/** A hub with people in it, and an account store of its kind (SQLite or PostgreSQL) over the same database. */
async function setUp(...logins: string[]) {
  const t = await openTestHub();
  const actors = [];
  for (const login of logins) actors.push(await t.user(login));
  const store: AccountStore = onPostgres
    ? pgAccountStore(pgDatabaseOf((t.hub as SqliteHub).store))
    : sqliteAccountStore(dbOf(t.hub));
  // The first column of the first row (undefined when there is none).
  const value = async (sql: string, ...params: unknown[]) => {
    const [row] = await storedRows(t.hub, sql, ...params);
    return row && Object.values(row)[0];
  };
  return { t, store, value, ids: actors.map((a) => a.userId), actors };
}

function account(login: string, more: Partial<NewAccount> = {}): NewAccount {
  return {
    login,
    name: login.toUpperCase(),
    passwordHash: 'not-a-real-hash',
    isAdmin: false,
    isBot: false,
    branch: null,
    email: null,
    createdAt: now,
    joinGeneral: true,
    ...more,
  };
}

function session(userId: number, scope: 'full' | 'chat' = 'full') {
  const { token, hash } = newToken();
  return { token, request: { userId, tokenHash: hash, source: '127.0.0.1', scope, now } };
}

describe('account store: writes re-checked at commit', () => {
  it('refuses a login taken meanwhile and writes nothing', async () => {
    const { store, value } = await setUp('anna');
    const count = () => value('SELECT count(*) FROM users');
    const before = await count();
    // The caller checked the login was free, then hashed; another account took it meanwhile.
    expect(await store.createUser(account('anna'))).toEqual({ kind: 'refused', reason: 'login_taken' });
    expect(await count()).toBe(before);
  });

  it('puts people in the general room already read, bots nowhere, and can create disabled', async () => {
    const { t, store, value, actors } = await setUp('anna');
    // Something in the general room before the newcomer arrives: it is not news to them.
    const m = await t.hub.send(actors[0]!, { conversationId: GENERAL, clientId: 'before-boris', text: 'привет' });
    const person = await store.createUser(account('boris'));
    expect(person).toMatchObject({
      kind: 'created',
      generalRoomId: GENERAL,
      account: { login: 'boris', disabled: false },
    });
    const bot = await store.createUser(account('alerts', { isBot: true, joinGeneral: false, disabled: true }));
    expect(bot).toMatchObject({ kind: 'created', generalRoomId: null, account: { isBot: true, disabled: true } });
    if (person.kind !== 'created' || bot.kind !== 'created') throw new Error('not created');
    const readSeq = (userId: number) =>
      value('SELECT read_seq FROM members WHERE conversation_id = ? AND user_id = ?', GENERAL, userId);
    expect(await readSeq(person.account.id)).toBe(m.seq);
    expect(await readSeq(bot.account.id)).toBeUndefined();
  });

  it('gives no session to a disabled or missing account, and no chat session to an administrator or a bot', async () => {
    const { store, ids } = await setUp('anna');
    const [anna] = ids as [number];
    const admin = await store.createUser(account('boss', { isAdmin: true }));
    const bot = await store.createUser(account('alerts', { isBot: true, joinGeneral: false }));
    if (admin.kind !== 'created' || bot.kind !== 'created') throw new Error('not created');

    expect(await store.createSession(session(admin.account.id, 'chat').request)).toEqual({
      kind: 'refused',
      reason: 'privileged',
    });
    expect(await store.createSession(session(bot.account.id, 'chat').request)).toEqual({
      kind: 'refused',
      reason: 'privileged',
    });
    expect(await store.createSession(session(9999).request)).toEqual({ kind: 'refused', reason: 'no_account' });

    const chat = session(anna, 'chat');
    const created = await store.createSession(chat.request);
    expect(created).toMatchObject({ kind: 'created', account: { id: anna, login: 'anna' } });
    expect(await store.findSession(hashToken(chat.token))).toMatchObject({
      userId: anna,
      scope: 'chat',
      revoked: false,
      isAdmin: false,
      disabled: false,
    });

    // Disabled after the caller checked the password: the session is refused as it is written.
    expect(await store.setDisabled(anna, true, now)).toEqual({ changed: true, revokedSessions: 2 });
    expect(await store.createSession(session(anna).request)).toEqual({ kind: 'refused', reason: 'disabled' });
    expect(await store.findSession(hashToken(chat.token))).toMatchObject({ revoked: true, disabled: true });
  });

  it('ends every session with a new password; re-enabling revives none', async () => {
    const { store, ids } = await setUp('anna');
    const [anna] = ids as [number];
    const a = session(anna);
    const b = session(anna);
    await store.createSession(a.request);
    await store.createSession(b.request);
    // Two here plus the harness's own sign-in.
    expect(await store.setPassword(anna, 'another-hash', now)).toEqual({ revokedSessions: 3 });
    expect(await store.findCredentials('anna')).toMatchObject({ passwordHash: 'another-hash' });
    expect((await store.findSession(hashToken(a.token)))!.revoked).toBe(true);
    expect(await store.setPassword(9999, 'x', now)).toBeUndefined();

    expect(await store.setDisabled(anna, true, now)).toEqual({ changed: true, revokedSessions: 0 });
    expect(await store.setDisabled(anna, true, now)).toEqual({ changed: false, revokedSessions: 0 });
    expect(await store.setDisabled(anna, false, now)).toEqual({ changed: true, revokedSessions: 0 });
    expect((await store.findSession(hashToken(b.token)))!.revoked).toBe(true);
  });

  it('searches by the folded login and name, and follows a profile change', async () => {
    const { store, ids } = await setUp('anna');
    const [anna] = ids as [number];
    expect(await store.updateProfile(anna, { name: 'Ёлкина Анна', branch: 'Казань', email: null })).toMatchObject({
      name: 'Ёлкина Анна',
      branch: 'Казань',
    });
    expect((await store.searchUsers('ЁЛК', 10, 0)).map((u) => u.id)).toEqual([anna]);
    expect((await store.searchUsers('ANN', 10, 0)).map((u) => u.id)).toEqual([anna]);
    expect(await store.searchUsers('нет такого', 10, 0)).toEqual([]);
    expect(await store.updateProfile(9999, { name: 'x', branch: null, email: null })).toBeUndefined();
  });
});
