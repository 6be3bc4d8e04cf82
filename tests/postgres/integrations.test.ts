// The integrations area of the store (IntegrationStore: bots, webhooks, announcements, embed links,
// branch rooms, directory sync) through the hub's own operations, on the hub-core harness: on
// SQLite by default, on PostgreSQL with BESEDA_TEST_STORE=postgres — the same expectations on
// both. Every store method is reached; the races check that PostgreSQL's concurrent transactions
// answer as SQLite's one write lock does (one winner, distinct logins and hook ids).
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../hub/ops/Hub.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import {
  fakeClock,
  newPostgresDatabase,
  onPostgres,
  openTestHub,
  storedRows,
  type TestHub,
} from '../hub-core/harness.ts';

/** What a rejected promise rejected with (a HubError carries `code`). */
function failure(p: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  return p.then(
    () => ({ code: 'resolved' }),
    (err: { code?: string; message?: string }) => err,
  );
}

/** The ids of the conversations a user is a member of, as stored. */
async function memberOf(t: TestHub, userId: number): Promise<number[]> {
  const rows = await storedRows<{ id: number }>(
    t.hub,
    'SELECT conversation_id AS id FROM members WHERE user_id = ? ORDER BY conversation_id',
    userId,
  );
  return rows.map((r) => r.id);
}

async function generalOf(t: TestHub, actor: Actor): Promise<number> {
  return (await t.hub.listConversations(actor)).find((c) => c.kind === 'general')!.id;
}

describe('bots', () => {
  it('add, list, grant, rotate, revoke: rights only added, tokens replaced, the account disabled and re-enabled', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    const general = await generalOf(t, admin);
    const room = await t.hub.createRoom(admin, { name: 'Склад', kind: 'open' });
    const { bot, token } = await t.hub.addBot({ login: 'onec', name: '1С', rooms: ['all'] });
    expect(bot).toMatchObject({ login: 'onec', name: '1С', canEmbed: false, canManageUsers: false, active: true });
    expect(bot.rooms.map((r) => r.id)).toEqual([general]);
    expect((await t.hub.authenticateIntegration(token))?.userId).toBe(bot.id);
    expect(await failure(t.hub.addBot({ login: 'onec' }))).toMatchObject({ code: 'conflict' });

    const granted = await t.hub.grantBot('onec', { rooms: ['Склад'], canEmbed: true });
    expect(granted).toMatchObject({ canEmbed: true, canManageUsers: false });
    expect(granted.rooms.map((r) => r.id)).toEqual([general, room.id]);
    // Rights are only ever added: a grant without one keeps it.
    expect(await t.hub.grantBot('onec', { canManageUsers: true })).toMatchObject({
      canEmbed: true,
      canManageUsers: true,
    });
    expect(await failure(t.hub.grantBot('nobody', {}))).toMatchObject({ code: 'not_found' });

    const rotated = await t.hub.rotateBotToken('onec');
    expect(await t.hub.authenticateIntegration(token)).toBeNull();
    expect((await t.hub.authenticateIntegration(rotated.token))?.userId).toBe(bot.id);
    await t.hub.revokeBot('onec');
    expect(await t.hub.authenticateIntegration(rotated.token)).toBeNull();
    expect((await t.hub.listBots()).find((b) => b.login === 'onec')).toMatchObject({ active: false });
    const again = await t.hub.rotateBotToken('onec');
    expect(again.bot.active).toBe(true);
    expect((await t.hub.authenticateIntegration(again.token))?.userId).toBe(bot.id);

    await t.hub.addBot({ login: 'alpha' });
    expect((await t.hub.listBots()).map((b) => b.login)).toEqual(['alpha', 'onec']);
  });

  it('concurrent additions of one login: exactly one bot, the others refused as taken', async () => {
    const t = await openTestHub();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => t.hub.addBot({ login: 'racer' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    expect((await t.hub.listBots()).map((b) => b.login)).toEqual(['racer']);
  });
});

describe('webhooks', () => {
  it('add, post, list, revoke: the hook bot is named after the hook id and disabled with it', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    const general = await generalOf(t, admin);
    const { hook, secret } = await t.hub.addHook({ room: 'all', name: 'Zabbix' });
    expect(hook).toMatchObject({ id: 1, botLogin: 'hook-1', roomId: general, name: 'Zabbix', revoked: false });
    const sender = await t.hub.hookSender(secret);
    const posted = await t.hub.postToHook(secret, { text: 'диск заполнен' });
    expect(posted).toMatchObject({ conversationId: general, senderId: sender.userId, text: 'диск заполнен' });
    expect(await memberOf(t, sender.userId)).toEqual([general]);
    expect(await failure(t.hub.addHook({ room: 'Нет такой' }))).toMatchObject({ code: 'not_found' });

    const store = (t.hub as SqliteHub).store.integrations;
    expect(await store.findHook(1)).toMatchObject({
      id: 1,
      botId: sender.userId,
      roomName: 'Общий чат',
      revoked: false,
    });
    expect(await store.findHook(2)).toBeUndefined();
    await t.hub.revokeHook(1);
    expect(await store.findHook(1)).toMatchObject({ revoked: true });
    expect((await t.hub.listHooks()).map((h) => [h.id, h.revoked])).toEqual([[1, true]]);
    expect(await failure(t.hub.hookSender(secret))).toMatchObject({ code: 'not_found' });
    expect((await t.hub.listAccounts()).find((a) => a.login === 'hook-1')).toMatchObject({ disabled: true });
    expect(await failure(t.hub.revokeHook(7))).toMatchObject({ code: 'not_found' });
  });

  it('a person holding hook-N does not stop a hook; concurrent additions get distinct ids and logins', async () => {
    const t = await openTestHub();
    await t.user('hook-1');
    const first = await t.hub.addHook({ room: 'all' });
    expect(first.hook).toMatchObject({ id: 1, botLogin: 'hook-2' });
    await Promise.all(Array.from({ length: 5 }, () => t.hub.addHook({ room: 'all' })));
    const hooks = await t.hub.listHooks();
    expect(hooks.map((h) => h.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(hooks.map((h) => h.botLogin)).size).toBe(6);
  });
});

describe('announcements', () => {
  it('pending, confirmed once (the first time kept), reported by name; only announcements count', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    const admin = await t.user('admin', { isAdmin: true });
    const anna = await t.user('anna', { name: 'Анна' });
    const boris = await t.user('boris', { name: 'Борис' });
    await t.hub.addBot({ login: 'robot', rooms: ['all'] });
    clock.advance(1000);
    const sent = await t.hub.announce(null, { to: 'all', text: 'Собрание в 15:00', from: 'admin' });
    expect(sent.kind).toBe('announcement');
    expect((await t.hub.pendingAnnouncements(anna)).map((m) => m.seq)).toEqual([sent.seq]);
    expect(await t.hub.pendingAnnouncements(admin)).toEqual([]);

    clock.advance(1000);
    const confirmedAt = clock();
    await t.hub.confirmAnnouncement(anna, { seq: sent.seq });
    clock.advance(1000);
    await t.hub.confirmAnnouncement(anna, { seq: sent.seq });
    expect(await t.hub.pendingAnnouncements(anna)).toEqual([]);
    const status = await t.hub.announcementStatus(null, sent.seq);
    expect(status).toMatchObject({ seq: sent.seq, senderId: admin.userId });
    expect(status.confirmed).toEqual([{ userId: anna.userId, login: 'anna', name: 'Анна', at: confirmedAt }]);
    expect(status.pending.map((r) => r.login)).toEqual(['boris']);
    expect(await failure(t.hub.announcementStatus(boris, sent.seq))).toMatchObject({ code: 'forbidden' });

    const plain = await t.hub.postMessage(admin, { to: 'all', text: 'не объявление' });
    expect(await failure(t.hub.confirmAnnouncement(boris, { seq: plain.seq }))).toMatchObject({ code: 'not_found' });
  });
});

describe('embed links', () => {
  it('opened once, its code redeemed once into a chat session; a disabled person is refused', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    const anna = await t.user('anna');
    await t.user('boris');
    const link = await t.hub.createEmbedLink(admin, { login: 'anna' });
    const code = await t.hub.openEmbedLink(link.secret);
    expect(code).toEqual(expect.any(String));
    expect(await t.hub.openEmbedLink(link.secret)).toBeNull();
    const signedIn = await t.hub.redeemEmbedCode(code!, '127.0.0.1');
    expect(signedIn.user.id).toBe(anna.userId);
    expect(await failure(t.hub.redeemEmbedCode(code!, '127.0.0.1'))).toMatchObject({ code: 'unauthorized' });
    const sessions = await storedRows<{ scope: string }>(
      t.hub,
      "SELECT scope FROM sessions WHERE user_id = ? AND source LIKE 'embed %'",
      anna.userId,
    );
    expect(sessions).toEqual([{ scope: 'chat' }]);

    // A bot given the right may make links (its rights are read by its account id); one without may not.
    const embedder = await t.hub.authenticateIntegration((await t.hub.addBot({ login: 'onec', canEmbed: true })).token);
    await t.hub.createEmbedLink(embedder!, { login: 'anna' });
    const plain = await t.hub.authenticateIntegration((await t.hub.addBot({ login: 'plain' })).token);
    expect(await failure(t.hub.createEmbedLink(plain!, { login: 'anna' }))).toMatchObject({ code: 'forbidden' });

    const late = await t.hub.createEmbedLink(admin, { login: 'boris' });
    const lateCode = await t.hub.openEmbedLink(late.secret);
    await t.hub.deactivateUser(null, 'boris');
    expect(await failure(t.hub.redeemEmbedCode(lateCode!, '127.0.0.1'))).toMatchObject({ code: 'account_disabled' });
  });

  it('a link opened by several requests at once hands out one code', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    await t.user('anna');
    const link = await t.hub.createEmbedLink(admin, { login: 'anna' });
    const codes = await Promise.all(Array.from({ length: 6 }, () => t.hub.openEmbedLink(link.secret)));
    expect(codes.filter((c) => c !== null)).toHaveLength(1);
  });

  it('links expired long ago are forgotten when a new one is made', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    const admin = await t.user('admin', { isAdmin: true });
    await t.user('anna');
    const old = await t.hub.createEmbedLink(admin, { login: 'anna', ttlSeconds: 60 });
    clock.advance(30 * 24 * 3600_000);
    await t.hub.createEmbedLink(admin, { login: 'anna' });
    expect(await storedRows(t.hub, 'SELECT id FROM embed_links')).toHaveLength(1);
    expect(await t.hub.openEmbedLink(old.secret)).toBeNull();
  });
});

describe('directory', () => {
  it('creates, updates, moves between branch rooms, disables; administrators and bots are refused', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    const general = await generalOf(t, admin);
    const made = await t.hub.syncUser(null, {
      login: 'petrov',
      name: 'Петров',
      branch: 'Казань',
      position: 'Кладовщик',
    });
    expect(made).toMatchObject({ created: true, user: { login: 'petrov', branch: 'Казань' } });
    const kazan = (await t.hub.announce(null, { to: 'branch:Казань', text: 'x', from: 'admin' })).conversationId;
    expect(await memberOf(t, made.user.id)).toEqual([general, kazan]);
    expect(await t.hub.syncUser(null, { login: 'petrov', name: 'Петров' })).toMatchObject({ created: false });
    // An account made by an administrator joins its branch's room too; a bot never does.
    const sid = await t.hub.createUser({ login: 'sid', name: 'Сид', branch: 'Казань' });
    expect(await memberOf(t, sid.user.id)).toEqual([general, kazan]);

    await t.hub.syncUser(null, { login: 'petrov', name: 'Петров П.', branch: 'Тверь' });
    const tver = (await t.hub.announce(null, { to: 'branch:Тверь', text: 'x', from: 'admin' })).conversationId;
    expect(await memberOf(t, made.user.id)).toEqual([general, tver]);
    expect(await failure(t.hub.syncUser(null, { login: 'admin', name: 'Захват' }))).toMatchObject({
      code: 'forbidden',
    });
    await t.hub.addBot({ login: 'robot' });
    expect(await failure(t.hub.deactivateUser(null, 'robot'))).toMatchObject({ code: 'conflict' });

    expect(await t.hub.deactivateUser(null, 'petrov')).toMatchObject({ disabled: true });
    expect(await t.hub.deactivateUser(null, 'petrov')).toMatchObject({ disabled: true });
  });

  it('an import is all or nothing: a line naming an administrator writes nobody', async () => {
    const t = await openTestHub();
    await t.user('admin', { isAdmin: true });
    const refused = await t.hub.importUsers('login,name,branch\nsidorov,Сидоров,Омск\nadmin,Админ,Омск\n');
    expect(refused).toMatchObject({ ok: false, errors: [{ line: 3 }] });
    expect((await t.hub.listAccounts()).map((a) => a.login)).toEqual(['admin']);
    const report = await t.hub.importUsers('login,name,branch\nsidorov,Сидоров,Омск\nkozlov,Козлов,Омск\n');
    expect(report).toEqual({ ok: true, created: 2, updated: 0, unchanged: 0 });
  });

  it('by external id: linked, found, and namesakes synced at once get different logins', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    await t.user('ivanov');
    const linked = await t.hub.syncUserByExternalId(admin, { externalId: 'e-0', login: 'ivanov', name: 'Иванов' });
    expect(linked).toMatchObject({ created: false, user: { login: 'ivanov', externalId: 'e-0' } });
    expect((await t.hub.findUserByExternalId(admin, 'e-0')).login).toBe('ivanov');
    const other = await failure(t.hub.syncUserByExternalId(admin, { externalId: 'e-9', login: 'ivanov', name: 'И' }));
    expect(other).toMatchObject({ code: 'conflict' });

    const name = 'Петров Пётр Петрович';
    const made = await Promise.all(
      ['e-1', 'e-2', 'e-3', 'e-4'].map((externalId) => t.hub.syncUserByExternalId(admin, { externalId, name })),
    );
    expect(made.every((m) => m.created)).toBe(true);
    expect(new Set(made.map((m) => m.user.login)).size).toBe(4);
    // The same external id at once: one account, created once.
    const same = await Promise.all([1, 2, 3].map(() => t.hub.syncUserByExternalId(admin, { externalId: 'e-5', name })));
    expect(same.filter((m) => m.created)).toHaveLength(1);
    expect(new Set(same.map((m) => m.user.id)).size).toBe(1);
  });
});

describe.runIf(onPostgres)('two hub nodes on one PostgreSQL database', () => {
  it('namesakes and webhooks added through both nodes at once stay distinct', async () => {
    const storeUrl = await newPostgresDatabase();
    const a = await openTestHub({ storeUrl });
    const b = await openTestHub({ storeUrl });
    const admin = await a.user('admin', { isAdmin: true });
    const adminB = (await b.hub.login('admin', 'pw-admin-secret', '127.0.0.1')).actor;
    const name = 'Сидоров Сидор Сидорович';
    const made = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        n % 2
          ? a.hub.syncUserByExternalId(admin, { externalId: `x-${n}`, name })
          : b.hub.syncUserByExternalId(adminB, { externalId: `x-${n}`, name }),
      ),
    );
    expect(new Set(made.map((m) => m.user.login)).size).toBe(6);
    await Promise.all([a, b, a, b].map((t) => t.hub.addHook({ room: 'all' })));
    const hooks = await a.hub.listHooks();
    expect(hooks.map((h) => h.id)).toEqual([1, 2, 3, 4]);
    expect(hooks.map((h) => h.botLogin)).toEqual(['hook-1', 'hook-2', 'hook-3', 'hook-4']);
  });
});
