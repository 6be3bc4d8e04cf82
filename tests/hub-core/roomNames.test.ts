// Room names that look alike are one name: the folding itself (common/protocol/roomNameKey.ts),
// the checks a new name passes, the hub refusing squatters of the general room's name, branch
// rooms that belong to the hub, and schema step 5 re-keying the rooms of an existing database.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRoomName } from '../../common/protocol/checkRoomName.ts';
import { isGeneralRoomAlias, roomNameKey } from '../../common/protocol/roomNameKey.ts';
import { migrations } from '../../hub/db/migrations.ts';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { HubError } from '../../hub/ops/HubError.ts';
import { dbOf, onPostgres, openTestHub, storedRows, tempDir } from './harness.ts';

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string } | 'ok'> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HubError) return { code: err.code, message: err.message };
    throw err;
  }
  return 'ok';
}

const general = 'Общий чат';

/** «Общий чат» written so that it looks the same (or nearly) to a person. */
const disguises: Record<string, string> = {
  'Latin O and a': 'Oбщий чaт',
  'a Latin o': 'oбщий чат',
  'capitals and doubled space': 'ОБЩИЙ  ЧАТ',
  'no-break space': 'Общий\u00a0чат',
  'narrow no-break space': 'Общий\u202fчат',
  'ideographic space and tabs': ' Общий\u3000\tчат ',
  'zero-width space in a word': 'Об\u200bщий чат',
  'zero-width joiner': 'Общий\u200d чат',
  'zero-width non-joiner': 'Общ\u200cий чат',
  'byte-order mark': '\ufeffОбщий чат',
  'soft hyphen': 'Об\u00adщий чат',
  'right-to-left override': '\u202eОбщий чат\u202c',
  'isolates and marks': '\u2067Общий чат\u2069\u200f',
  'word joiner': 'Общий\u2060 чат',
  'full-width O': 'Ｏбщий чат',
  'stress mark': 'Общий ча\u0301т',
  'Greek omicron and alpha': 'οбщий чαт',
};

describe('roomNameKey', () => {
  it.each(Object.entries(disguises))('folds «Общий чат» with %s to the same key', (_, name) => {
    expect(roomNameKey(name)).toBe(roomNameKey(general));
  });

  it('keeps names that read differently apart', () => {
    expect(roomNameKey('Общии чат')).not.toBe(roomNameKey(general));
    expect(roomNameKey('Общий чат 2')).not.toBe(roomNameKey(general));
    expect(roomNameKey('Общийчат')).not.toBe(roomNameKey(general));
    expect(roomNameKey('Мой')).not.toBe(roomNameKey('Мои'));
    expect(roomNameKey('Склад-1')).not.toBe(roomNameKey('Склад-2'));
  });

  it('folds case with Russian rules, ё with е, look-alike letters, digits and dashes', () => {
    expect(roomNameKey('ЁЛКИ')).toBe(roomNameKey('елки'));
    expect(roomNameKey('Cклад')).toBe(roomNameKey('Склад'));
    expect(roomNameKey('BOT')).toBe(roomNameKey('вот'));
    expect(roomNameKey('PHP')).toBe(roomNameKey('РНР'));
    expect(roomNameKey('Офис 3')).toBe(roomNameKey('Офис З'));
    expect(roomNameKey('0тдел')).toBe(roomNameKey('Отдел'));
    expect(roomNameKey('Mail')).toBe(roomNameKey('MaiI'));
    expect(roomNameKey('Київ')).toBe(roomNameKey('Kиiв'));
    expect(roomNameKey('Склад — Север')).toBe(roomNameKey('Склад - Север'));
    expect(roomNameKey('Straße')).toBe(roomNameKey('STRASSE'));
    expect(roomNameKey('')).toBe('');
  });

  it('knows the general room by its aliases, compared by key', () => {
    for (const alias of ['general', 'all', 'ALL', 'Все', 'Общий чат', 'Oбщий чaт']) {
      expect(isGeneralRoomAlias(alias), alias).toBe(true);
    }
    expect(isGeneralRoomAlias('Бухгалтерия')).toBe(false);
  });
});

describe('checkRoomName', () => {
  it('refuses bidi controls and invisible characters with a clear reason', () => {
    expect(checkRoomName('\u202eОбщий чат')).toMatchObject({ ok: false, problem: 'bidi', reason: /U\+202E/ });
    expect(checkRoomName('Склад\u2066')).toMatchObject({ ok: false, problem: 'bidi' });
    expect(checkRoomName('Об\u200bщий')).toMatchObject({ ok: false, problem: 'invisible', reason: /U\+200B/ });
    for (const ch of ['\u200c', '\u200d', '\ufeff', '\u00ad', '\u2060', '\u180e', '\u0007', '\u3164'])
      expect(checkRoomName(`Склад${ch}1`), `U+${ch.codePointAt(0)!.toString(16)}`).toMatchObject({
        ok: false,
        problem: 'invisible',
      });
  });

  it('keeps emoji whole (their joiners and variation selectors) and collapses spaces', () => {
    expect(checkRoomName('🏳️‍🌈 Прайд')).toMatchObject({ ok: true, name: '🏳️‍🌈 Прайд' });
    expect(checkRoomName('👩🏽‍💻 Разработка ❤️')).toMatchObject({ ok: true });
    expect(checkRoomName('  Отдел\u00a0\u00a0продаж\t')).toMatchObject({ ok: true, name: 'Отдел продаж' });
  });

  it('refuses empty, too long, digits only, a # or @ prefix, and the general room aliases', () => {
    expect(checkRoomName(' \u00a0 ')).toMatchObject({ ok: false, problem: 'empty' });
    expect(checkRoomName('\u0301')).toMatchObject({ ok: false, problem: 'empty' });
    expect(checkRoomName('я'.repeat(81))).toMatchObject({ ok: false, problem: 'too_long' });
    expect(checkRoomName('я'.repeat(80))).toMatchObject({ ok: true });
    expect(checkRoomName('2024')).toMatchObject({ ok: false, problem: 'digits' });
    expect(checkRoomName('#Склад')).toMatchObject({ ok: false, problem: 'prefix' });
    expect(checkRoomName('@ivanov')).toMatchObject({ ok: false, problem: 'prefix' });
    for (const alias of ['all', 'General', 'ВСЕ', 'Oбщий чaт'])
      expect(checkRoomName(alias), alias).toMatchObject({ ok: false, problem: 'reserved' });
    expect(checkRoomName('Общий чат', { general: true })).toMatchObject({ ok: true });
  });
});

describe('room names in the hub', () => {
  it('nobody can create or rename a room to anything that looks like the general room', async () => {
    const t = await openTestHub();
    const squatter = await t.user('squatter');
    for (const [how, name] of Object.entries(disguises)) {
      const result = await failure(t.hub.createRoom(squatter, { name, kind: 'open' }));
      expect(result, how).not.toBe('ok');
      expect(['conflict', 'bad_request'], how).toContain((result as { code: string }).code);
    }
    for (const alias of ['all', 'general', 'Все'])
      expect(await failure(t.hub.createRoom(squatter, { name: alias, kind: 'open' }))).toMatchObject({
        code: 'conflict',
      });
    const own = await t.hub.createRoom(squatter, { name: 'Курилка', kind: 'open' });
    expect(await failure(t.hub.updateRoom(squatter, { conversationId: own.id, name: 'Oбщий чaт' }))).toMatchObject({
      code: 'conflict',
    });
    // Other look-alikes of an existing room are refused the same way.
    expect(await failure(t.hub.createRoom(squatter, { name: 'Kурилкa', kind: 'closed' }))).toMatchObject({
      code: 'conflict',
      message: /looks the same/,
    });
    // Names are stored as shown, spaces made plain.
    expect((await t.hub.createRoom(squatter, { name: 'Отдел\u00a0продаж', kind: 'open' })).name).toBe('Отдел продаж');
    // The directory search folds the query the same way (a Latin c finds «Склад»).
    await t.hub.createRoom(squatter, { name: 'Склад', kind: 'open' });
    expect((await t.hub.browseRooms(squatter, { query: 'cклад' })).map((r) => r.name)).toEqual(['Склад']);
  });

  it("the general room's current name and its first name are both taken", async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    const person = await t.user('person');
    const generalId = (await t.hub.listConversations(admin)).find((c) => c.kind === 'general')!.id;
    await t.hub.updateRoom(admin, { conversationId: generalId, name: 'Вся компания' });
    expect(await failure(t.hub.createRoom(person, { name: 'Вся кoмпания', kind: 'open' }))).toMatchObject({
      code: 'conflict',
    });
    expect(await failure(t.hub.createRoom(person, { name: 'Общий чат', kind: 'open' }))).toMatchObject({
      code: 'conflict',
    });
    // The general room cannot take another room's name either; it can take back its own.
    await t.hub.createRoom(person, { name: 'Склад', kind: 'open' });
    expect(await failure(t.hub.updateRoom(admin, { conversationId: generalId, name: 'СКЛАД' }))).toMatchObject({
      code: 'conflict',
    });
    await expect(t.hub.updateRoom(admin, { conversationId: generalId, name: 'Общий чат' })).resolves.toMatchObject({
      name: 'Общий чат',
    });
  });

  it('integrations find the general room by its aliases and never a look-alike', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    const generalId = (await t.hub.listConversations(admin)).find((c) => c.kind === 'general')!.id;
    const names = ['Общий чат', '#general', 'all', 'Oбщий чaт', 'general'];
    for (const [i, name] of names.entries()) {
      const { bot } = await t.hub.addBot({ login: `bot-${i}`, rooms: [name] });
      expect(
        bot.rooms.map((r) => r.id),
        name,
      ).toEqual([generalId]);
    }
    const { hook } = await t.hub.addHook({ room: '#Общий чат' });
    expect(hook.roomId).toBe(generalId);
  });
});

describe('branch rooms', () => {
  it('a room someone made with the branch name is not adopted; the hub makes and owns its own', async () => {
    const t = await openTestHub();
    const admin = await t.user('admin', { isAdmin: true });
    const squatter = await t.user('squatter');
    const fake = await t.hub.createRoom(squatter, { name: 'Офис Казань', kind: 'open', topic: 'Пишите сюда' });
    await t.hub.syncUser(null, { login: 'ivanov', name: 'Иванов', branch: 'Офис Казань' });
    const ivanov = (await t.hub.listAccounts()).find((a) => a.login === 'ivanov')!;
    const squatterView = await t.hub.members(squatter, { conversationId: fake.id });
    expect(squatterView.map((m) => m.userId)).not.toContain(ivanov.id);
    const [branchId] = await branchIds(t);
    const room = await storedRows(t.hub, 'SELECT name, owner_id FROM conversations WHERE id = ?', branchId);
    expect(room).toEqual([{ name: 'Офис Казань (филиал)', owner_id: null }]);
    // Announcements to the branch go to the hub's room.
    const sent = await t.hub.announce(null, { to: 'branch:Офис Казань', text: 'Проверка', from: 'admin' });
    expect(sent.conversationId).toBe(branchId);

    // The squatter joins the open branch room, but owns nothing in it.
    await t.hub.joinRoom(squatter, { conversationId: branchId! });
    // Each refusal is caught as it is made (failure() at once): awaiting them one by one would leave
    // the later ones' rejections unhandled meanwhile.
    const denied = {
      remove: failure(t.hub.removeMember(squatter, { conversationId: branchId!, userId: ivanov.id })),
      topic: failure(t.hub.updateRoom(squatter, { conversationId: branchId!, topic: 'Моя комната' })),
      rename: failure(t.hub.updateRoom(squatter, { conversationId: branchId!, name: 'Моя комната' })),
      transfer: failure(t.hub.transferOwnership(squatter, { conversationId: branchId!, userId: squatter.userId })),
    };
    for (const [what, p] of Object.entries(denied)) expect(await p, what).toMatchObject({ code: 'forbidden' });
    expect((await t.hub.members(squatter, { conversationId: branchId! })).every((m) => m.role === 'member')).toBe(true);
    // An administrator may do what an owner could, except hand the room to a person.
    const inRoom = await t.hub.members(admin, { conversationId: branchId! });
    if (!inRoom.some((m) => m.userId === admin.userId)) await t.hub.joinRoom(admin, { conversationId: branchId! });
    await t.hub.updateRoom(admin, { conversationId: branchId!, topic: 'Филиал в Казани' });
    await t.hub.removeMember(admin, { conversationId: branchId!, userId: squatter.userId });
    expect(
      await failure(t.hub.transferOwnership(admin, { conversationId: branchId!, userId: ivanov.id })),
    ).toMatchObject({ code: 'forbidden' });
  });

  it('never fails to make a branch room, whatever names are taken', async () => {
    const t = await openTestHub();
    const squatter = await t.user('squatter');
    await t.hub.createRoom(squatter, { name: 'Офис Тверь', kind: 'closed' });
    await t.hub.createRoom(squatter, { name: 'Офис Тверь (филиал)', kind: 'open' });
    await t.hub.createRoom(squatter, { name: 'Oфис Tверь (филиал 2)', kind: 'open' });
    await t.hub.syncUser(null, { login: 'petrov', name: 'Петров', branch: 'Офис Тверь' });
    // A branch named like the general room's alias gets a room of its own too.
    await t.hub.syncUser(null, { login: 'sidorov', name: 'Сидоров', branch: 'all' });
    const names = [];
    for (const id of await branchIds(t)) {
      const [row] = await storedRows<{ name: string }>(t.hub, 'SELECT name FROM conversations WHERE id = ?', id);
      names.push(row!.name);
    }
    expect(names).toEqual(['Офис Тверь (филиал 3)', 'all (филиал)']);
  });
});

/** The branch rooms, oldest first (branch rooms are only ever made, so the newest has the highest id). */
async function branchIds(t: { hub: Parameters<typeof dbOf>[0] }): Promise<number[]> {
  const rows = await storedRows<{ id: number }>(t.hub, 'SELECT conversation_id AS id FROM branch_rooms ORDER BY id');
  return rows.map((r) => r.id);
}

// An SQLite database file of an older schema: the PostgreSQL store starts at SQLite's step 19.
describe.skipIf(onPostgres)('schema step 5', () => {
  it('re-keys existing rooms; the newer of two look-alikes is renamed with a system message', async () => {
    const file = path.join(tempDir(), 'hub.db');
    const before = openDatabase(file, { now: 1000, migrations: migrations.filter((m) => m.version < 5) });
    const user = (login: string, admin = 0) =>
      Number(
        before
          .prepare(
            `INSERT INTO users (login, name, search_key, password_hash, is_admin, created_at) VALUES (?, ?, ?, 'x', ?, 1)`,
          )
          .run(login, login, login, admin).lastInsertRowid,
      );
    const anna = user('anna');
    const boris = user('boris');
    const admin = user('admin', 1);
    let at = 2000;
    const room = (name: string, owner: number, archived = 0) => {
      const id = Number(
        before
          .prepare(
            `INSERT INTO conversations (kind, name, name_key, owner_id, archived, created_at, last_ts)
             VALUES ('open', ?, ?, ?, ?, ?, ?)`,
          )
          .run(name, `${name}|old`, owner, archived, at, at).lastInsertRowid,
      );
      at += 1000;
      before.prepare('INSERT INTO members (conversation_id, user_id, joined_at) VALUES (?, ?, 1)').run(id, owner);
      return id;
    };
    const ids = {
      sklad: room('Склад', anna),
      latin: room('Cклад', boris),
      two: room('Склад (2)', boris),
      all: room('all', boris),
      hidden: room('Об\u200bщий чат', boris),
      archived: room('СКЛАД', boris, 1),
      kazan: room('Офис Казань', boris),
    };
    before.prepare(`INSERT INTO branch_rooms (branch_key, conversation_id) VALUES ('офис казань', ?)`).run(ids.kazan);
    before.close();

    const t = await openTestHub({}, file);
    const db = dbOf(t.hub);
    const row = (id: number) =>
      db.prepare('SELECT name, name_key, owner_id FROM conversations WHERE id = ?').get(id) as {
        name: string;
        name_key: string;
        owner_id: number | null;
      };
    expect(row(ids.sklad).name).toBe('Склад');
    expect(row(ids.two).name).toBe('Склад (2)');
    expect(row(ids.latin).name).toBe('Cклад (3)');
    expect(row(ids.all).name).toBe('all (2)');
    expect(row(ids.hidden).name).toBe('Об\u200bщий чат (2)');
    expect(row(ids.archived)).toMatchObject({ name: 'СКЛАД', name_key: roomNameKey('Склад') });
    expect(row(ids.kazan)).toMatchObject({ name: 'Офис Казань', owner_id: null });
    const generalRow = db.prepare(`SELECT name, name_key FROM conversations WHERE kind = 'general'`).get();
    expect(generalRow).toEqual({ name: 'Общий чат', name_key: roomNameKey('Общий чат') });

    // Each renamed room says so in its history, as the administrator's doing.
    const renames = db
      .prepare(
        `SELECT conversation_id AS room, sender_id AS actor, system FROM messages WHERE kind = 'system' ORDER BY seq`,
      )
      .all() as { room: number; actor: number; system: string }[];
    expect(renames.map((r) => [r.room, r.actor, JSON.parse(r.system)])).toEqual([
      [ids.latin, admin, { event: 'renamed', actorId: admin, value: 'Cклад (3)' }],
      [ids.all, admin, { event: 'renamed', actorId: admin, value: 'all (2)' }],
      [ids.hidden, admin, { event: 'renamed', actorId: admin, value: 'Об\u200bщий чат (2)' }],
    ]);
    // The unique index covers the general room now: a look-alike cannot even be written directly.
    expect(() =>
      db.prepare('UPDATE conversations SET name_key = ? WHERE id = ?').run(roomNameKey('Общий чат'), ids.two),
    ).toThrow(/UNIQUE/);
  });
});
