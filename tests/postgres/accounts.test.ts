// The PostgreSQL account-area stores (accounts, onboarding, session lifetimes, admin rights,
// directory links, audit) against the SQLite ones: one script of changes run on a hub of each kind
// must answer exactly the same, including what hub-core does not reach (the people search's order
// and folding, received seqs, direct peers, batched touches with repeats, invitations, audit
// filters). Concurrent writers: accountsRace.test.ts.
import { describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/ops/Hub.ts';
import type { Store } from '../../hub/store/Store.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { account, h, hubOn, idOf } from './accountFixtures.ts';

/** Every answer of the script, in order, labelled. */
async function script(kind: 'sqlite' | 'postgres'): Promise<Record<string, unknown>> {
  const { hub, store, now } = await hubOn(kind);
  try {
    return await run(hub, store, now);
  } finally {
    await hub.close();
  }
}

async function run(hub: Hub, store: Store, now: number): Promise<Record<string, unknown>> {
  const seen: Record<string, unknown> = {};
  const see = async <T>(label: string, p: Promise<T>): Promise<T> => {
    const value = await p;
    seen[label] = JSON.parse(JSON.stringify(value ?? null));
    return value;
  };
  const a = store.accounts;
  // People whose names sort differently by bytes than by a locale (capitals, Ё before А, Latin).
  // Anna through the hub: she writes direct messages below.
  await hub.createUser({ login: 'anna', name: 'Анна Ёлкина', password: 'anna-password', isAdmin: true });
  const { actor: annaActor } = await hub.login('anna', 'anna-password', '127.0.0.1');
  const anna = annaActor.userId;
  await see('anna', a.findUserByLogin('anna'));
  const boss = idOf(await see('create boss', a.createUser(account('boss', { name: 'Борис', isAdmin: true }))));
  const elk = idOf(await see('create elkin', a.createUser(account('elkin', { name: 'Ёлкин Пётр', branch: 'Казань' }))));
  const bob = idOf(await see('create bob', a.createUser(account('bob', { name: 'bob' }))));
  const bob2 = idOf(await see('create bob2', a.createUser(account('bob2', { name: 'Bob', disabled: true }))));
  const bot = idOf(await see('create bot', a.createUser(account('alerts', { isBot: true, joinGeneral: false }))));
  const zed = idOf(await see('create zed', a.createUser(account('zed.annov', { name: 'Zed Annov' }))));
  await see('create taken', a.createUser(account('anna')));
  for (const id of [anna, elk, bob, bob2, zed])
    await see(
      `profile ${id}`,
      a.updateProfile(id, {
        name: (await a.findUserById(id))!.name,
        branch: (await a.findUserById(id))!.branch,
        email: `${id}@corp.local`,
        position: 'Инженер',
        phone: '+7 000',
      }),
    );
  for (const q of ['ёлк', 'ЕЛК', 'казань', 'ann', 'b', 'инженер', 'нет такого', '000'])
    await see(`search ${q}`, a.searchUsers(q, 50, 0));
  await see('search page', a.searchUsers('инженер', 2, 1));
  await see('by ids', a.findUsersByIds([zed, anna, 9999, bob]));
  await see('by no ids', a.findUsersByIds([]));
  await see(
    'ids by logins',
    a.findUserIdsByLogins(['bob', 'anna', 'nobody']).then((r) => r.sort((x, y) => x.id - y.id)),
  );
  await see('list', a.listUsers());
  await see('credentials', a.findCredentials('elkin'));
  await see('first admin', a.firstActiveAdmin());

  // Sessions: created, refused, touched with repeats, revoked.
  const s1 = await see(
    'session anna',
    a.createSession({ userId: anna, tokenHash: h('a1'), source: '10.0.0.1', scope: 'full', now }),
  );
  await see(
    'session anna chat',
    a.createSession({ userId: anna, tokenHash: h('a2'), source: null, scope: 'chat', now }),
  );
  await see('session bot chat', a.createSession({ userId: bot, tokenHash: h('b1'), source: null, scope: 'chat', now }));
  await see(
    'session disabled',
    a.createSession({ userId: bob2, tokenHash: h('b2'), source: null, scope: 'full', now }),
  );
  await see('session nobody', a.createSession({ userId: 9999, tokenHash: h('x'), source: null, scope: 'full', now }));
  const e1 = await see(
    'session elkin',
    a.createSession({ userId: elk, tokenHash: h('e1'), source: 'x', scope: 'chat', now }),
  );
  const e2 = await see(
    'session elkin 2',
    a.createSession({ userId: elk, tokenHash: h('e2'), source: 'y', scope: 'full', now }),
  );
  if (s1.kind !== 'created' || e1.kind !== 'created' || e2.kind !== 'created') throw new Error('no session');
  await a.touchSessions([
    { sessionId: e1.sessionId, at: now + 5 },
    { sessionId: s1.sessionId, at: now + 7 },
    { sessionId: e1.sessionId, at: now + 3 },
  ]);
  await see('touched e1', a.findSession(h('e1')));
  await see('touched s1', a.findSession(h('a1')));
  await a.setLastSeenMany([
    { userId: anna, ts: now + 1 },
    { userId: elk, ts: now + 9 },
    { userId: anna, ts: now + 2 },
  ]);
  await a.setLastSeen(bob, now + 4);
  await see('last seen', a.findUsersByIds([anna, elk, bob]));

  // Settings, received seqs, direct peers.
  await see('settings', a.updateSettings(elk, { readReceipts: false, timeZone: 'Europe/Kazan' }));
  await see('settings nobody', a.updateSettings(9999, { timeZone: 'UTC' }));
  await see('advance', a.advanceReceived(anna, 10));
  await see('advance back', a.advanceReceived(anna, 4));
  await see('advance nobody', a.advanceReceived(9999, 4));
  const direct = await hub.openDirect(annaActor, { userId: elk });
  const direct2 = await hub.openDirect(annaActor, { userId: zed });
  await hub.send(annaActor, { conversationId: direct.id, clientId: 'direct-1', text: 'привет' });
  await hub.send(annaActor, { conversationId: direct2.id, clientId: 'direct-2', text: 'привет' });
  await see(
    'peers',
    a.directPeers(anna, 0).then((r) => r.sort((x, y) => x.conversationId - y.conversationId)),
  );
  await see('peers later', a.directPeers(anna, 1_000_000));

  // Passwords and disabling end sessions.
  await see('set password', a.setPassword(elk, 'new-hash', now + 20));
  await see('set password nobody', a.setPassword(9999, 'x', now));
  await see('session after password', a.findSession(h('e2')));
  await see('disable bob', a.setDisabled(bob, true, now + 21));
  await see('disable bob again', a.setDisabled(bob, true, now + 22));
  await see('enable bob', a.setDisabled(bob, false, now + 23));
  await see('revoke one', a.revokeSession(s1.sessionId, now + 24));
  await see('revoke all', a.revokeSessions(anna, now + 25));

  // Onboarding: a newer code replaces the older; redeem once; expiry; forced change.
  const o = store.onboarding;
  const invite = (userId: number, code: string, expiresAt = now + 1000) =>
    o.createInvitation({ userId, codeHash: h(code), createdAt: now, expiresAt, createdBy: 'cli:root' });
  await invite(elk, 'old');
  await invite(elk, 'new');
  await see('find old', o.findInvitation(h('old')));
  await see('find new', o.findInvitation(h('new')));
  const redeem = (code: string, at: number, device: string | null = 'Chrome on Windows') =>
    o.redeem({
      codeHash: h(code),
      passwordHash: 'invited-hash',
      tokenHash: h(`t-${code}-${at}`),
      source: '10.1.1.1',
      device,
      now: at,
    });
  await see('redeem old', redeem('old', now + 30));
  await see('redeem new', redeem('new', now + 30));
  await see('redeem new again', redeem('new', now + 31));
  await invite(zed, 'late', now + 40);
  await see('redeem expired', redeem('late', now + 40));
  await invite(bob2, 'off');
  await see('redeem disabled', redeem('off', now + 41));
  await invite(zed, 'dropped');
  await o.setMustChangePassword(zed, true);
  await see('must change', o.mustChangePassword(zed));
  await see('dropped by must change', o.findInvitation(h('dropped')));
  await see('auth source', o.authSource(zed));
  await see('password hash', o.passwordHash(elk));
  await see('password hash nobody', o.passwordHash(9999));
  const z1 = await a.createSession({ userId: zed, tokenHash: h('z1'), source: 'a', scope: 'full', now });
  const z2 = await a.createSession({ userId: zed, tokenHash: h('z2'), source: 'b', scope: 'full', now: now + 1 });
  const z3 = await a.createSession({ userId: zed, tokenHash: h('z3'), source: 'c', scope: 'full', now: now + 1 });
  if (z1.kind !== 'created' || z2.kind !== 'created' || z3.kind !== 'created') throw new Error('no session');
  await o.setSessionDevice(z2.sessionId, 'Беседа (desktop) on Linux');
  await see('list sessions', o.listSessions(zed));
  await see('revoke only other user', o.revokeSessions(anna, { only: z1.sessionId }, now + 50));
  await see('revoke only', o.revokeSessions(zed, { only: z1.sessionId }, now + 50));
  const z4 = await a.createSession({ userId: zed, tokenHash: h('z4'), source: 'd', scope: 'full', now });
  if (z4.kind !== 'created') throw new Error('no session');
  await see('revoke except', o.revokeSessions(zed, { except: z4.sessionId }, now + 51));
  await see('change password', o.changePassword(zed, 'changed-hash', z4.sessionId, now + 52));
  await see('must change after', o.mustChangePassword(zed));

  // Session lifetimes: a renewal carries the device and scope; ended and disabled are refused.
  const l = store.sessionLifetimes;
  await see('lifetime find', l.findSession(z4.sessionId));
  await see('lifetime nobody', l.findSession(9999));
  await o.setSessionDevice(z4.sessionId, 'Firefox on Linux');
  const renewed = await see('renew', l.renewSession({ sessionId: z4.sessionId, tokenHash: h('r1'), now: now + 60 }));
  await see('renew ended', l.renewSession({ sessionId: z4.sessionId, tokenHash: h('r2'), now: now + 61 }));
  await see('renewed listed', o.listSessions(zed));
  await see('renewed found', a.findSession(h('r1')));
  const c1 = await a.createSession({ userId: elk, tokenHash: h('c1'), source: null, scope: 'chat', now });
  if (c1.kind !== 'created' || renewed.kind !== 'renewed') throw new Error('no session');
  await see('renew chat', l.renewSession({ sessionId: c1.sessionId, tokenHash: h('r3'), now: now + 62 }));
  await see('renewed chat', a.findSession(h('r3')));
  await a.setDisabled(zed, true, now + 63);
  const z5 = await a.createSession({ userId: zed, tokenHash: h('z5'), source: null, scope: 'full', now });
  await see('session for disabled', Promise.resolve(z5));

  // Admin rights: never the last one, never a bot.
  const r = store.adminRights;
  await see('admin nobody', r.setAdmin(9999, true));
  await see('admin bot', r.setAdmin(bot, true));
  await see('admin unchanged', r.setAdmin(anna, true));
  await see('admin drop boss', r.setAdmin(boss, false));
  await see('admin drop last', r.setAdmin(anna, false));
  await see('admin give elkin', r.setAdmin(elk, true));
  await see('admin drop anna', r.setAdmin(anna, false));
  await see('first admin after', a.firstActiveAdmin());

  // Directory links.
  const d = store.directoryLinks;
  await see('link', d.link(bob, 'guid-1', 'CN=bob,OU=Moscow'));
  await see('link taken', d.link(elk, 'guid-1', 'CN=elkin'));
  await see('link same again', d.link(bob, 'guid-1', 'CN=bob,OU=Kazan'));
  await see('link nobody', d.link(9999, 'guid-2', 'CN=x'));
  await see('link find', d.findByLogin('bob'));
  await see('link find nobody', d.findByLogin('nobody'));
  await see('link list', d.list());

  // Audit: filters and the detail's JSON.
  const au = store.audit;
  const rec = (
    at: number,
    actor: string,
    action: string,
    target: string | null,
    detail: Record<string, unknown> = {},
  ) => au.record({ at, actor, source: 'cli', action, target, detail });
  await see('audit 1', rec(now, 'cli:root', 'user.add', 'anna', { admin: true, note: 'Ёлка "quoted"' }));
  await see('audit 2', rec(now + 1, 'anna', 'user.disable', 'bob'));
  await see('audit 3', rec(now + 2, 'anna', 'users.import', null, { rows: 3 }));
  await see('audit 4', rec(now + 3, 'cli:root', 'room.rename', '#общий'));
  await see('audit 5', rec(now + 4, 'cli:root', 'user_add', 'x'));
  for (const [label, filter] of Object.entries({
    all: { limit: 100 },
    two: { limit: 2 },
    since: { since: now + 2, limit: 100 },
    until: { until: now + 2, limit: 100 },
    actor: { actor: 'anna', limit: 100 },
    prefix: { action: 'user.', limit: 100 },
    exact: { action: 'user.add', limit: 100 },
    target: { target: '#общий', limit: 100 },
    before: { beforeId: 3, limit: 100 },
    mixed: { actor: 'cli:root', action: 'user.', since: now, until: now + 10, limit: 1 },
  }))
    await see(`audit list ${label}`, au.list(filter));
  return seen;
}

describe.skipIf(!postgresAvailable)('PostgreSQL account stores', () => {
  it('answer a script of account changes exactly as the SQLite stores do', { timeout: 120_000 }, async () => {
    const onSqlite = await script('sqlite');
    const onPostgres = await script('postgres');
    expect(onPostgres).toEqual(onSqlite);
    // The script is not vacuous: a few answers known by heart.
    expect((onSqlite['search ёлк'] as { login: string }[]).map((u) => u.login)).toEqual(['elkin', 'anna']);
    const logins = (label: string) => (onSqlite[label] as { login: string }[]).map((u) => u.login);
    expect(logins('search ЕЛК')).toEqual(['elkin', 'anna']);
    expect(logins('search ann')).toEqual(['anna', 'zed.annov']);
    // By bytes, as SQLite's BINARY: Latin capitals, then small, then Ё (D0 81) before А (D0 90); disabled last.
    expect(logins('search инженер')).toEqual(['zed.annov', 'bob', 'elkin', 'anna', 'bob2']);
    expect(onSqlite['touched e1']).toMatchObject({ lastUsedAt: 1_700_000_000_003 });
    expect(onSqlite['redeem new again']).toEqual({ kind: 'refused', reason: 'used' });
    expect(onSqlite['admin drop last']).toBe('last_admin');
    expect(onSqlite['link taken']).toBe('id_taken');
    expect((onSqlite['audit list prefix'] as unknown[]).length).toBe(2);
  });
});
