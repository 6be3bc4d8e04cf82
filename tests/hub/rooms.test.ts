import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, RoomSummary } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { cid, person, type Person } from './connect.ts';

let hub: TestHub;
let owner: Person;
let member: Person;
let outsider: Person;
beforeAll(async () => {
  hub = await startHub();
  owner = await person(hub, 'olga', 'Ольга');
  member = await person(hub, 'maria', 'Мария');
  outsider = await person(hub, 'oleg', 'Олег');
});
afterAll(async () => {
  await hub.stop();
});

const create = (p: Person, name: string, kind: 'open' | 'closed', members: number[] = []) =>
  p.socket.request<{ conversation: Conversation }>('rooms.create', { name, kind, members }).then((r) => r.conversation);

describe('rooms over the protocol', () => {
  it('open rooms: anyone lists, searches and joins them; members can leave; the general room cannot be left', async () => {
    const room = await create(owner, 'Бухгалтерия', 'open');
    expect(room).toMatchObject({ kind: 'open', ownerId: owner.id });
    const found = await outsider.socket.request<{ rooms: RoomSummary[] }>('rooms.browse', { query: 'бухгал' });
    expect(found.rooms.map((r) => r.id)).toContain(room.id);
    const joined = await outsider.socket.request<{ conversation: Conversation }>('rooms.join', {
      conversationId: room.id,
    });
    expect(joined.conversation.id).toBe(room.id);
    await outsider.socket.request('rooms.leave', { conversationId: room.id });
    await expect(outsider.socket.request('rooms.leave', { conversationId: outsider.generalId })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('closed rooms are invisible to a non-member: list, search, history, members, typing, posting all refused', async () => {
    const room = await create(owner, 'Руководство', 'closed', [member.id]);
    const browse = await outsider.socket.request<{ rooms: RoomSummary[] }>('rooms.browse', { query: 'Руковод' });
    expect(browse.rooms.map((r) => r.id)).not.toContain(room.id);
    const list = await outsider.socket.request<{ conversations: Conversation[] }>('conversations.list');
    expect(list.conversations.map((c) => c.id)).not.toContain(room.id);
    for (const [type, params] of [
      ['history', { conversationId: room.id }],
      ['rooms.members', { conversationId: room.id }],
      ['typing', { conversationId: room.id }],
      ['send', { conversationId: room.id, clientId: cid(), text: 'можно?' }],
      ['rooms.join', { conversationId: room.id }],
      ['rooms.invite', { conversationId: room.id, userIds: [outsider.id] }],
      ['read', { conversationId: room.id, seq: 1 }],
    ] as const) {
      await expect(outsider.socket.request(type, params), type).rejects.toMatchObject({ code: 'not_found' });
    }
    // Activity inside does not leak to the outsider: no message, typing or member events.
    const before = outsider.socket.frames.length;
    await member.socket.request('typing', { conversationId: room.id });
    const msg = owner.socket.next('message', (f) => f.message.conversationId === room.id && f.message.kind === 'text');
    await member.socket.request('send', { conversationId: room.id, clientId: cid(), text: 'секрет' });
    await msg;
    await new Promise((r) => setTimeout(r, 200));
    const leaked = outsider.socket.frames
      .slice(before)
      .filter((f) => 'conversationId' in f && f.conversationId === room.id);
    expect(leaked).toEqual([]);
    expect(outsider.socket.all('message').some((f) => f.message.conversationId === room.id)).toBe(false);
  });

  it('closed rooms: members invite; only the owner removes, renames, sets the topic and hands over ownership', async () => {
    const room = await create(owner, 'Склад', 'closed', [member.id]);
    const added = outsider.socket.next('conversation', (f) => f.conversation.id === room.id);
    await member.socket.request('rooms.invite', { conversationId: room.id, userIds: [outsider.id] });
    expect((await added).conversation.kind).toBe('closed');
    await expect(
      member.socket.request('rooms.remove', { conversationId: room.id, userId: outsider.id }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      member.socket.request('rooms.update', { conversationId: room.id, name: 'Мой склад' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    const renamed = await owner.socket.request<{ conversation: Conversation }>('rooms.update', {
      conversationId: room.id,
      name: 'Склад №2',
      topic: 'Остатки и отгрузки',
    });
    expect(renamed.conversation).toMatchObject({ name: 'Склад №2', topic: 'Остатки и отгрузки' });
    const removed = outsider.socket.next('conversation.removed', (f) => f.conversationId === room.id);
    await owner.socket.request('rooms.remove', { conversationId: room.id, userId: outsider.id });
    expect((await removed).reason).toBe('removed');
    await expect(outsider.socket.request('history', { conversationId: room.id })).rejects.toMatchObject({
      code: 'not_found',
    });
    await owner.socket.request('rooms.transfer', { conversationId: room.id, userId: member.id });
    const after = await member.socket.request<{ conversations: Conversation[] }>('conversations.list');
    expect(after.conversations.find((c) => c.id === room.id)!.ownerId).toBe(member.id);
    // System messages record what happened, in order, for every member's history.
    const history = await member.socket.request<{ messages: Message[] }>('history', { conversationId: room.id });
    const events = history.messages.filter((m) => m.kind === 'system').map((m) => m.system!.event);
    expect(events).toEqual(expect.arrayContaining(['invited', 'renamed', 'removed', 'owner']));
  });

  it('archives a room whose last member leaves instead of losing it', async () => {
    const room = await create(owner, 'Временная', 'closed');
    await owner.socket.request('send', { conversationId: room.id, clientId: cid(), text: 'след' });
    await owner.socket.request('rooms.leave', { conversationId: room.id });
    const list = await owner.socket.request<{ conversations: Conversation[] }>('conversations.list');
    expect(list.conversations.map((c) => c.id)).not.toContain(room.id);
    // The name is free again for a new room, and the archived one still exists in the database.
    const again = await create(owner, 'Временная', 'closed');
    expect(again.id).not.toBe(room.id);
  });

  it('refuses a duplicate room name, case-insensitively in Cyrillic', async () => {
    await create(owner, 'Продажи', 'open');
    await expect(create(member, 'ПРОДАЖИ', 'open')).rejects.toMatchObject({ code: 'conflict' });
  });
});
