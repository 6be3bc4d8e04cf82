import { describe, expect, it } from 'vitest';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { ConversationStore } from '../../hub/store/ConversationStore.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { openTestHub } from './harness.ts';

const now = 1_700_000_000_000;

/** A hub with people in it, and its conversation store (SQLite's or PostgreSQL's, whichever the hub runs on). */
async function setUp(...logins: string[]) {
  const t = await openTestHub();
  const actors = [];
  for (const login of logins) actors.push(await t.user(login));
  const store: ConversationStore = (t.hub as SqliteHub).store.conversations;
  return { t, store, ids: actors.map((a) => a.userId), actors };
}

async function newRoom(store: ConversationStore, name: string, ownerId: number, invited: number[] = []) {
  const created = await store.createRoom(
    { kind: 'open', name, nameKey: roomNameKey(name), topic: '', ownerId, invited },
    now,
  );
  if (created.kind !== 'changed') throw new Error(`room not created: ${created.reason}`);
  return created.conversationId;
}

describe('conversation store: changes re-checked at commit', () => {
  it('refuses a join when the room was archived after the caller looked, and writes nothing', async () => {
    const { store, ids } = await setUp('owner', 'late');
    const [owner, late] = ids as [number, number];
    const room = await newRoom(store, 'Уходящая', owner);
    // The caller saw an open, active room; the last member leaves before the join commits.
    const left = await store.removeMember(room, owner, { by: 'self' }, now);
    expect(left).toMatchObject({ kind: 'changed', archived: true });
    const lastSeq = (await store.find(room))!.lastSeq;

    expect(await store.addMembers(room, [late], { by: 'self' }, now)).toEqual({
      kind: 'refused',
      reason: 'not_found',
    });
    expect(await store.memberIds(room)).toEqual([]);
    expect((await store.find(room))!.lastSeq).toBe(lastSeq);
  });

  it("refuses an owner's removal once the room changed hands, and the person stays", async () => {
    const { store, ids } = await setUp('owner', 'heir', 'guest');
    const [owner, heir, guest] = ids as [number, number, number];
    const room = await newRoom(store, 'Передача', owner, [heir, guest]);
    expect(await store.transferOwnership(room, owner, heir, now)).toMatchObject({ kind: 'changed' });

    const how = { by: 'owner', actorId: owner, expectedOwnerId: owner } as const;
    expect(await store.removeMember(room, guest, how, now)).toEqual({ kind: 'refused', reason: 'not_owner' });
    expect(await store.memberIds(room)).toContain(guest);
    // A second hand-over by the former owner is refused the same way.
    expect(await store.transferOwnership(room, owner, guest, now)).toEqual({
      kind: 'refused',
      reason: 'not_owner',
    });
  });

  it('refuses a rename to a name another room took meanwhile, topic change included', async () => {
    const { store, ids } = await setUp('owner');
    const [owner] = ids as [number];
    const room = await newRoom(store, 'Первая', owner);
    await newRoom(store, 'Вторая', owner);
    const before = (await store.find(room))!;

    const update = { actorId: owner, expectedOwnerId: owner, name: { name: 'ВТОРАЯ', key: roomNameKey('ВТОРАЯ') } };
    expect(await store.updateRoom(room, { ...update, topic: 'новая тема' }, now)).toEqual({
      kind: 'refused',
      reason: 'name_taken',
    });
    expect(await store.find(room)).toEqual(before);
  });

  it('refuses an invitation from someone no longer in the room, or naming an unknown person', async () => {
    const { store, ids } = await setUp('owner', 'former', 'friend');
    const [owner, former, friend] = ids as [number, number, number];
    const room = await newRoom(store, 'Приглашения', owner, [former]);
    await store.removeMember(room, former, { by: 'self' }, now);

    expect(await store.addMembers(room, [friend], { by: 'member', actorId: former }, now)).toEqual({
      kind: 'refused',
      reason: 'not_member',
    });
    expect(await store.addMembers(room, [friend, 987654], { by: 'member', actorId: owner }, now)).toEqual({
      kind: 'refused',
      reason: 'no_such_user',
    });
    expect(await store.memberIds(room)).toEqual([owner]);
  });

  it('adds people as a hub change: one joined message each, members already in skipped, markers past them', async () => {
    const { store, ids } = await setUp('owner', 'bot-a', 'bot-b');
    const [owner, a, b] = ids as [number, number, number];
    const room = await newRoom(store, 'Филиал', owner, [a]);

    const change = await store.addMembers(room, [a, b, b], { by: 'hub' }, now);
    if (change.kind !== 'changed') throw new Error(change.reason);
    expect(change.userIds).toEqual([b]);
    expect(change.messages.map((m) => m.system)).toEqual([{ event: 'joined', actorId: b }]);
    expect(change.memberIds).toEqual([owner, a, b].sort((x, y) => x - y));
    expect(change.views.map((v) => v.userId)).toEqual([b]);
    expect(change.views[0]!.conversation.readSeq).toBe(change.messages[0]!.seq);
    // Again: nothing new, nothing written.
    expect(await store.addMembers(room, [b], { by: 'hub' }, now)).toMatchObject({ userIds: [], messages: [] });
    // A hub removal of a non-member writes nothing either.
    const gone = await store.removeMember(room, 987654, { by: 'hub' }, now);
    expect(gone).toMatchObject({ kind: 'changed', userIds: [], messages: [], archived: false });
  });

  it('two people creating rooms with look-alike names at once: exactly one succeeds', async () => {
    const { t, actors } = await setUp('first', 'second');
    const [first, second] = actors as [(typeof actors)[0], (typeof actors)[0]];
    const results = await Promise.allSettled([
      t.hub.createRoom(first, { name: 'Склад', kind: 'open' }),
      t.hub.createRoom(second, { name: 'СКЛАД', kind: 'open' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
  });
});
