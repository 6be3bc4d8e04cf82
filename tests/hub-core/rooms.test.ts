import { describe, expect, it } from 'vitest';
import type { Actor, Hub } from '../../hub/ops/Hub.ts';
import { HubError } from '../../hub/ops/HubError.ts';
import { cid, openTestHub, storedRows } from './harness.ts';

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string } | 'ok'> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HubError) return { code: err.code, message: err.message };
    throw err;
  }
  return 'ok';
}

/** Every operation a client could attempt on a conversation id. */
function everyOperation(hub: Hub, who: Actor, conversationId: number, someone: number) {
  return {
    history: () => hub.history(who, { conversationId }),
    send: () => hub.send(who, { conversationId, clientId: cid(`probe-${conversationId}`), text: 'тук-тук' }),
    read: () => hub.markRead(who, { conversationId, seq: 1 }),
    typing: () => hub.typing(who, { conversationId }),
    members: () => hub.members(who, { conversationId }),
    join: () => hub.joinRoom(who, { conversationId }),
    leave: () => hub.leaveRoom(who, { conversationId }),
    invite: () => hub.invite(who, { conversationId, userIds: [someone] }),
    remove: () => hub.removeMember(who, { conversationId, userId: someone }),
    update: () => hub.updateRoom(who, { conversationId, name: 'Переименовано' }),
    transfer: () => hub.transferOwnership(who, { conversationId, userId: someone }),
  };
}

describe('closed rooms', () => {
  it('do not exist for a non-member: every operation answers exactly like a missing id', async () => {
    const t = await openTestHub();
    const owner = await t.user('owner');
    const insider = await t.user('insider');
    const outsider = await t.user('outsider');
    const room = await t.hub.createRoom(owner, {
      name: 'Тайная',
      kind: 'closed',
      members: [insider.userId],
    });
    await t.hub.send(owner, { conversationId: room.id, clientId: cid('secret'), text: 'секрет' });
    t.sink.clear();

    const real = everyOperation(t.hub, outsider, room.id, insider.userId);
    const missing = everyOperation(t.hub, outsider, 987654, insider.userId);
    for (const name of Object.keys(real) as (keyof typeof real)[]) {
      const got = await failure(real[name]());
      expect(got, name).toEqual(await failure(missing[name]()));
      expect(got, name).toMatchObject({ code: 'not_found' });
    }
    expect(await t.hub.browseRooms(outsider, { query: 'тайн' })).toEqual([]);
    expect(await t.hub.browseRooms(outsider, {})).toEqual([]);
    expect((await t.hub.sync(outsider, { since: 0 })).messages).toEqual([]);
    // Nothing leaked through events either.
    expect(
      t.sink.events.filter((e) => e.audience.to !== 'users' || e.audience.userIds.includes(outsider.userId)),
    ).toEqual([]);
    // Members see it in browse, marked as joined.
    expect(await t.hub.browseRooms(insider, { query: 'ТАЙН' })).toEqual([
      { id: room.id, kind: 'closed', name: 'Тайная', topic: '', memberCount: 2, joined: true },
    ]);
  });

  it('members invite; only the owner removes, renames, sets the topic and transfers ownership', async () => {
    const t = await openTestHub();
    const owner = await t.user('owner');
    const member = await t.user('member');
    const guest = await t.user('guest');
    const room = await t.hub.createRoom(owner, { name: 'Проект', kind: 'closed', members: [member.userId] });
    t.sink.clear();
    expect(await t.hub.invite(member, { conversationId: room.id, userIds: [guest.userId, owner.userId] })).toEqual({
      added: [guest.userId],
    });
    expect(t.sink.framesFor(guest.userId, 'conversation')).toMatchObject([{ conversation: { id: room.id } }]);
    expect(t.sink.framesFor(owner.userId, 'members')).toEqual([
      { type: 'members', conversationId: room.id, added: [guest.userId], removed: [] },
    ]);
    const invited = t.sink.framesFor(guest.userId, 'message');
    expect(invited.map((f) => f.message.system)).toEqual([
      { event: 'invited', actorId: member.userId, targetIds: [guest.userId] },
    ]);
    expect(invited[0]!.message).toMatchObject({ kind: 'system', text: '' });
    expect((await t.hub.invite(member, { conversationId: room.id, userIds: [guest.userId] })).added).toEqual([]);
    expect(
      (await failure(t.hub.invite(member, { conversationId: room.id, userIds: [424242] }))).valueOf(),
    ).toMatchObject({
      code: 'not_found',
    });

    for (const attempt of [
      () => t.hub.removeMember(member, { conversationId: room.id, userId: guest.userId }),
      () => t.hub.updateRoom(member, { conversationId: room.id, name: 'Моё' }),
      () => t.hub.updateRoom(member, { conversationId: room.id, topic: 'тема' }),
      () => t.hub.transferOwnership(member, { conversationId: room.id, userId: member.userId }),
    ]) {
      expect(await failure(attempt())).toMatchObject({ code: 'forbidden' });
    }

    t.sink.clear();
    const renamed = await t.hub.updateRoom(owner, { conversationId: room.id, name: 'Проект Б', topic: 'сроки' });
    expect(renamed).toMatchObject({ name: 'Проект Б', topic: 'сроки' });
    expect(t.sink.framesFor(member.userId, 'conversation')).toMatchObject([
      { conversation: { name: 'Проект Б', topic: 'сроки' } },
    ]);
    expect(t.sink.framesFor(member.userId, 'message').map((f) => f.message.system)).toEqual([
      { event: 'renamed', actorId: owner.userId, value: 'Проект Б' },
      { event: 'topic', actorId: owner.userId, value: 'сроки' },
    ]);

    t.sink.clear();
    await t.hub.removeMember(owner, { conversationId: room.id, userId: guest.userId });
    expect(t.sink.framesFor(guest.userId, 'conversation.removed')).toEqual([
      { type: 'conversation.removed', conversationId: room.id, reason: 'removed' },
    ]);
    expect(t.sink.framesFor(guest.userId, 'message')).toEqual([]);
    expect(t.sink.framesFor(member.userId, 'members')).toEqual([
      { type: 'members', conversationId: room.id, added: [], removed: [guest.userId] },
    ]);
    expect(await failure(t.hub.history(guest, { conversationId: room.id }))).toMatchObject({ code: 'not_found' });
    expect(await failure(t.hub.removeMember(owner, { conversationId: room.id, userId: owner.userId }))).toMatchObject({
      code: 'bad_request',
    });

    t.sink.clear();
    await t.hub.transferOwnership(owner, { conversationId: room.id, userId: member.userId });
    expect(t.sink.framesFor(owner.userId, 'conversation')).toMatchObject([
      { conversation: { ownerId: member.userId } },
    ]);
    expect(await t.hub.members(owner, { conversationId: room.id })).toEqual([
      { userId: owner.userId, role: 'member', joinedAt: expect.any(Number) },
      { userId: member.userId, role: 'owner', joinedAt: expect.any(Number) },
    ]);
    expect(await failure(t.hub.updateRoom(owner, { conversationId: room.id, topic: 'x' }))).toMatchObject({
      code: 'forbidden',
    });
    await expect(t.hub.updateRoom(member, { conversationId: room.id, topic: 'новая' })).resolves.toMatchObject({
      topic: 'новая',
    });
  });
});

describe('open rooms', () => {
  it('anyone browses and joins; non-members may not read or write; members leave', async () => {
    const t = await openTestHub();
    const owner = await t.user('owner');
    const walker = await t.user('walker');
    const room = await t.hub.createRoom(owner, { name: 'Курилка', kind: 'open', topic: 'обо всём' });
    expect(await t.hub.browseRooms(walker, { query: 'кур' })).toEqual([
      { id: room.id, kind: 'open', name: 'Курилка', topic: 'обо всём', memberCount: 1, joined: false },
    ]);
    expect(await t.hub.members(walker, { conversationId: room.id })).toHaveLength(1);
    for (const op of [
      () => t.hub.history(walker, { conversationId: room.id }),
      () => t.hub.send(walker, { conversationId: room.id, clientId: cid('w'), text: 'x' }),
      () => t.hub.typing(walker, { conversationId: room.id }),
      () => t.hub.markRead(walker, { conversationId: room.id, seq: 1 }),
      () => t.hub.invite(walker, { conversationId: room.id, userIds: [owner.userId] }),
    ]) {
      expect(await failure(op())).toMatchObject({ code: 'forbidden' });
    }

    t.sink.clear();
    const joined = await t.hub.joinRoom(walker, { conversationId: room.id });
    expect(joined).toMatchObject({ id: room.id, memberCount: 2, unread: 0 });
    expect(t.sink.framesFor(owner.userId, 'members')).toEqual([
      { type: 'members', conversationId: room.id, added: [walker.userId], removed: [] },
    ]);
    expect(t.sink.framesFor(owner.userId, 'message').map((f) => f.message.system?.event)).toEqual(['joined']);
    expect(t.sink.framesFor(walker.userId, 'conversation')).toHaveLength(1);
    expect(await failure(t.hub.joinRoom(walker, { conversationId: room.id }))).toMatchObject({ code: 'conflict' });

    t.sink.clear();
    await t.hub.leaveRoom(walker, { conversationId: room.id });
    expect(t.sink.framesFor(walker.userId, 'conversation.removed')).toEqual([
      { type: 'conversation.removed', conversationId: room.id, reason: 'left' },
    ]);
    expect(t.sink.framesFor(owner.userId, 'members')).toEqual([
      { type: 'members', conversationId: room.id, added: [], removed: [walker.userId] },
    ]);
    expect((await t.hub.listConversations(walker)).map((c) => c.id)).not.toContain(room.id);
  });

  it('when the owner leaves, the longest-standing member owns it; when the last leaves, it is archived', async () => {
    const clock = { now: 1_700_000_000_000 };
    const t = await openTestHub({ clock: () => clock.now });
    const owner = await t.user('owner');
    const first = await t.user('first');
    const second = await t.user('second');
    const room = await t.hub.createRoom(owner, { name: 'Эстафета', kind: 'open' });
    clock.now += 1000;
    await t.hub.joinRoom(first, { conversationId: room.id });
    clock.now += 1000;
    await t.hub.joinRoom(second, { conversationId: room.id });

    t.sink.clear();
    await t.hub.leaveRoom(owner, { conversationId: room.id });
    expect((await t.hub.listConversations(first)).find((c) => c.id === room.id)).toMatchObject({
      ownerId: first.userId,
      memberCount: 2,
    });
    expect(t.sink.framesFor(second.userId, 'conversation')).toMatchObject([
      { conversation: { ownerId: first.userId } },
    ]);
    expect(t.sink.framesFor(second.userId, 'message').map((f) => f.message.system)).toEqual([
      { event: 'left', actorId: owner.userId },
      { event: 'owner', actorId: owner.userId, targetIds: [first.userId] },
    ]);

    await t.hub.leaveRoom(second, { conversationId: room.id });
    await t.hub.leaveRoom(first, { conversationId: room.id });
    expect(await t.hub.browseRooms(owner, { query: 'эстафета' })).toEqual([]);
    expect(await failure(t.hub.joinRoom(owner, { conversationId: room.id }))).toMatchObject({ code: 'not_found' });
    // Kept, flagged: its messages are still in the database, and the name is free again.
    expect(await storedRows(t.hub, 'SELECT archived FROM conversations WHERE id = ?', room.id)).toEqual([
      { archived: 1 },
    ]);
    const [messages] = await storedRows<{ n: number }>(
      t.hub,
      'SELECT count(*) AS n FROM messages WHERE conversation_id = ?',
      room.id,
    );
    expect(messages!.n).toBeGreaterThan(3);
    const again = await t.hub.createRoom(owner, { name: 'ЭСТАФЕТА', kind: 'open' });
    expect(again.id).not.toBe(room.id);
  });

  it('room names are unique case-insensitively, Cyrillic included', async () => {
    const t = await openTestHub();
    const a = await t.user('anna');
    const b = await t.user('boris');
    const room = await t.hub.createRoom(a, { name: 'Бухгалтерия Ёлки', kind: 'open' });
    expect(await failure(t.hub.createRoom(b, { name: 'бухгалтерия ёлки', kind: 'closed' }))).toMatchObject({
      code: 'conflict',
    });
    expect(await failure(t.hub.createRoom(b, { name: '  БУХГАЛТЕРИЯ ЁЛКИ ', kind: 'open' }))).toMatchObject({
      code: 'conflict',
    });
    const other = await t.hub.createRoom(b, { name: 'Склад', kind: 'closed' });
    expect(await failure(t.hub.updateRoom(b, { conversationId: other.id, name: 'БУХГАЛТЕРИЯ ёлки' }))).toMatchObject({
      code: 'conflict',
    });
    // Changing only the case of its own name is fine.
    await expect(t.hub.updateRoom(a, { conversationId: room.id, name: 'бухгалтерия ёлки' })).resolves.toMatchObject({
      name: 'бухгалтерия ёлки',
    });
    expect(await failure(t.hub.createRoom(b, { name: '   ', kind: 'open' }))).toMatchObject({ code: 'bad_request' });
  });
});

describe('direct conversations', () => {
  it('exactly one per pair, visible to exactly those two, named after the other person', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna', { name: 'Анна' });
    const boris = await t.user('boris', { name: 'Борис' });
    const vera = await t.user('vera');
    t.sink.clear();
    const fromAnna = await t.hub.openDirect(anna, { userId: boris.userId });
    expect(fromAnna).toMatchObject({
      kind: 'direct',
      name: 'Борис',
      peerId: boris.userId,
      ownerId: null,
      memberCount: 2,
    });
    expect(t.sink.framesFor(boris.userId, 'conversation')).toMatchObject([
      { conversation: { id: fromAnna.id, name: 'Анна', peerId: anna.userId } },
    ]);
    const fromBoris = await t.hub.openDirect(boris, { userId: anna.userId });
    expect(fromBoris.id).toBe(fromAnna.id);
    expect(fromBoris.name).toBe('Анна');
    expect((await t.hub.openDirect(anna, { userId: boris.userId })).id).toBe(fromAnna.id);
    await Promise.all([
      t.hub.openDirect(vera, { userId: anna.userId }),
      t.hub.openDirect(anna, { userId: vera.userId }),
    ]);
    expect(await storedRows(t.hub, `SELECT count(*) AS n FROM conversations WHERE kind = 'direct'`)).toEqual([
      { n: 2 },
    ]);

    await t.hub.send(anna, { conversationId: fromAnna.id, clientId: cid('dm'), text: 'лично' });
    for (const [name, op] of Object.entries(everyOperation(t.hub, vera, fromAnna.id, anna.userId))) {
      expect(await failure(op()), name).toMatchObject({ code: 'not_found' });
    }
    expect((await t.hub.sync(vera, { since: 0 })).messages).toEqual([]);
    expect(await failure(t.hub.leaveRoom(anna, { conversationId: fromAnna.id }))).toMatchObject({
      code: 'bad_request',
    });
    expect(await failure(t.hub.openDirect(anna, { userId: anna.userId }))).toMatchObject({ code: 'bad_request' });
    expect(await failure(t.hub.openDirect(anna, { userId: 31337 }))).toMatchObject({ code: 'not_found' });
  });
});

describe('people directory', () => {
  it('searches login and name case-insensitively (Cyrillic too), enabled people first, paged', async () => {
    const t = await openTestHub();
    const me = await t.user('ivan.petrov', { name: 'Иван Петров' });
    await t.user('ivanova', { name: 'Мария Иванова' });
    await t.user('sidorov', { name: 'Пётр Сидоров' });
    await t.user('aivan', { name: 'Алексей' });
    await t.hub.setDisabled('aivan', true);

    const names = async (query: string, limit?: number, offset?: number) =>
      (await t.hub.searchUsers(me, { query, limit, offset })).map((u) => u.login);
    expect(await names('ИВАН')).toEqual(['ivan.petrov', 'ivanova']);
    expect(await names('иванова')).toEqual(['ivanova']);
    // ё and е are one letter in every search (issue 14): «ПЁТР» finds Пётр and Петров.
    expect(await names('ПЁТР')).toEqual(['ivan.petrov', 'sidorov']);
    expect(await names('Ivan')).toEqual(['ivan.petrov', 'ivanova', 'aivan']);
    expect(await names('ivan', 1, 1)).toEqual(['ivanova']);
    expect(await names('')).toHaveLength(4);
    expect(await names('%')).toEqual([]);

    const found = await t.hub.searchUsers(me, { query: 'сидор' });
    expect(found[0]).toEqual({
      id: expect.any(Number),
      login: 'sidorov',
      name: 'Пётр Сидоров',
      branch: null,
      isBot: false,
      isAdmin: false,
      disabled: false,
      presence: 'offline',
      lastSeen: null,
    });
    const got = await t.hub.getUsers(me, { ids: [found[0]!.id, me.userId, 999] });
    expect(got.map((u) => u.login).sort()).toEqual(['ivan.petrov', 'sidorov']);
  });
});
