// Who may edit, delete, react to and pin which message (docs/protocol.md, "Message actions"),
// over the real protocol: a real hub on an ephemeral port, real WebSocket clients, a real SQLite
// file. Every refusal is checked with its code; every permitted action with its result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../common/protocol/model.ts';
import { cid } from './connect.ts';
import { act, closeOffice, openOffice, type Office, refused, say, seen } from './messageActionsHelpers.ts';

let o: Office;
beforeAll(async () => {
  o = await openOffice(['--edit-window', '24h', '--max-reactions', '3', '--max-text-bytes', '2000']);
});
afterAll(async () => {
  await closeOffice(o);
});

describe('limits', () => {
  it('announces the edit window and the reaction limit in hello', () => {
    expect(o.author.socket.hello.limits).toMatchObject({
      editWindowMs: 24 * 60 * 60 * 1000,
      maxReactionsPerMessage: 3,
    });
  });
});

describe('message.edit', () => {
  it('lets only the author edit, and tells outsiders nothing about closed rooms and direct conversations', async () => {
    const m = await say(o.author, o.closed, 'Счёт 17 оплачен');
    for (const p of [o.member, o.owner, o.admin])
      await refused(act(p, 'message.edit', { seq: m.seq, text: 'чужая правка' }), 'forbidden', /author/);
    await refused(act(o.outsider, 'message.edit', { seq: m.seq, text: 'x' }), 'not_found');
    const edited = await act(o.author, 'message.edit', { seq: m.seq, text: 'Счёт 17 оплачен частично' });
    expect(edited).toMatchObject({ seq: m.seq, text: 'Счёт 17 оплачен частично', editedAt: expect.any(Number) });
    expect(edited.rev).toBeGreaterThan(m.seq);
    expect(await seen(o.member, m)).toMatchObject({ text: 'Счёт 17 оплачен частично', rev: edited.rev });

    const d = await say(o.author, o.direct, 'лично');
    await refused(act(o.member, 'message.edit', { seq: d.seq, text: 'x' }), 'forbidden');
    await refused(act(o.admin, 'message.edit', { seq: d.seq, text: 'x' }), 'not_found');
    const open = await say(o.author, o.open, 'в открытой комнате');
    await refused(act(o.outsider, 'message.edit', { seq: open.seq, text: 'x' }), 'forbidden', /join/);
    await refused(act(o.author, 'message.edit', { seq: 999_999_999, text: 'x' }), 'not_found');
  });

  it('refuses system messages, announcements, forwarded and deleted messages', async () => {
    const { messages } = await o.owner.socket.request<{ messages: Message[] }>('history', {
      conversationId: o.closed,
    });
    const system = messages.find((m) => m.kind === 'system')!;
    await refused(act(o.owner, 'message.edit', { seq: system.seq, text: 'x' }), 'forbidden', /system/);

    const announced = (await o.hub.admin_('announce', {
      to: String(o.closed),
      text: 'Инвентаризация в пятницу',
      from: o.admin.login,
    })) as { message: Message };
    await refused(act(o.admin, 'message.edit', { seq: announced.message.seq, text: 'x' }), 'forbidden');

    const original = await say(o.author, o.closed, 'переслать это');
    const forwarded = await say(o.author, o.open, '', { forward: original.seq });
    await refused(act(o.author, 'message.edit', { seq: forwarded.seq, text: 'x' }), 'forbidden', /forwarded/);

    const gone = await say(o.author, o.closed, 'удалю');
    await act(o.author, 'message.delete', { seq: gone.seq });
    await refused(act(o.author, 'message.edit', { seq: gone.seq, text: 'x' }), 'not_found', /deleted/);
  });

  it('applies the send text rules: the byte limit, and empty text only beside files', async () => {
    const m = await say(o.author, o.closed, 'коротко');
    await refused(act(o.author, 'message.edit', { seq: m.seq, text: 'я'.repeat(1001) }), 'too_long', /2000/);
    await refused(act(o.author, 'message.edit', { seq: m.seq, text: '   ' }), 'bad_request', /empty/);
    const unchanged = await act(o.author, 'message.edit', { seq: m.seq, text: 'коротко' });
    expect(unchanged.rev).toBeUndefined();
  });
});

describe('message.delete', () => {
  it('lets the author, the room owner and an administrator delete in a room, nobody else', async () => {
    for (const [who, allowed] of [
      [o.author, true],
      [o.owner, true],
      [o.admin, true],
      [o.member, false],
    ] as const) {
      const m = await say(o.author, o.closed, `удалить: ${who.login}`);
      if (!allowed) {
        await refused(act(who, 'message.delete', { seq: m.seq }), 'forbidden');
        expect((await seen(o.author, m))?.deleted).toBeUndefined();
        continue;
      }
      const deleted = await act(who, 'message.delete', { seq: m.seq });
      expect(deleted).toMatchObject({ seq: m.seq, text: '', deleted: { by: who.id, at: expect.any(Number) } });
    }
    const m = await say(o.author, o.closed, 'тайна');
    await refused(act(o.outsider, 'message.delete', { seq: m.seq }), 'not_found');
    const open = await say(o.author, o.open, 'открыто');
    await refused(act(o.outsider, 'message.delete', { seq: open.seq }), 'forbidden');
  });

  it('in the general room: the author and administrators; a room owner is nobody special there', async () => {
    const m = await say(o.author, o.general, 'всем привет');
    await refused(act(o.owner, 'message.delete', { seq: m.seq }), 'forbidden');
    await refused(act(o.member, 'message.delete', { seq: m.seq }), 'forbidden');
    expect(await act(o.admin, 'message.delete', { seq: m.seq })).toMatchObject({ deleted: { by: o.admin.id } });
  });

  it('in a direct conversation only the author; an administrator outside it learns nothing', async () => {
    const m = await say(o.author, o.direct, 'между нами');
    await refused(act(o.member, 'message.delete', { seq: m.seq }), 'forbidden');
    await refused(act(o.admin, 'message.delete', { seq: m.seq }), 'not_found');
    expect(await act(o.author, 'message.delete', { seq: m.seq })).toMatchObject({ deleted: { by: o.author.id } });
  });

  it('never deletes system messages; announcements only by their sender or an administrator', async () => {
    const { messages } = await o.admin.socket.request<{ messages: Message[] }>('history', { conversationId: o.open });
    const system = messages.find((m) => m.kind === 'system')!;
    await refused(act(o.admin, 'message.delete', { seq: system.seq }), 'forbidden', /system/);
    await refused(act(o.owner, 'message.delete', { seq: system.seq }), 'forbidden', /system/);
    const { message } = (await o.hub.admin_('announce', {
      to: String(o.closed),
      text: 'Собрание в 15:00',
      from: o.admin.login,
    })) as { message: Message };
    await refused(act(o.owner, 'message.delete', { seq: message.seq }), 'forbidden', /announcement/);
    expect(await act(o.admin, 'message.delete', { seq: message.seq })).toMatchObject({ deleted: { by: o.admin.id } });
  });

  it('deleting a deleted message changes nothing', async () => {
    const m = await say(o.author, o.closed, 'дважды');
    const first = await act(o.author, 'message.delete', { seq: m.seq });
    const again = await act(o.owner, 'message.delete', { seq: m.seq });
    expect(again).toEqual(first);
  });
});

describe('message.react', () => {
  it('lets every member react, refuses outsiders, system messages, deleted messages and text', async () => {
    const m = await say(o.author, o.closed, 'Отчёт готов');
    let last!: Message;
    for (const p of [o.author, o.member, o.owner, o.admin])
      last = await act(p, 'message.react', { seq: m.seq, emoji: '👍', on: true });
    expect(last.reactions).toEqual([{ emoji: '👍', userIds: [o.author.id, o.member.id, o.owner.id, o.admin.id] }]);
    await refused(act(o.outsider, 'message.react', { seq: m.seq, emoji: '👍', on: true }), 'not_found');
    const open = await say(o.author, o.open, 'склад');
    await refused(act(o.outsider, 'message.react', { seq: open.seq, emoji: '👍', on: true }), 'forbidden');
    await refused(act(o.author, 'message.react', { seq: m.seq, emoji: 'ok', on: true }), 'bad_request', /emoji/);
    const { messages } = await o.owner.socket.request<{ messages: Message[] }>('history', { conversationId: o.closed });
    const system = messages.find((x) => x.kind === 'system')!;
    await refused(act(o.owner, 'message.react', { seq: system.seq, emoji: '👍', on: true }), 'forbidden');
    const gone = await say(o.author, o.closed, 'исчезнет');
    await act(o.author, 'message.delete', { seq: gone.seq });
    await refused(act(o.member, 'message.react', { seq: gone.seq, emoji: '👍', on: true }), 'not_found', /deleted/);
    const d = await say(o.author, o.direct, 'спасибо!');
    expect(await act(o.member, 'message.react', { seq: d.seq, emoji: '🙏', on: true })).toMatchObject({
      reactions: [{ emoji: '🙏', userIds: [o.member.id] }],
    });
    await refused(act(o.admin, 'message.react', { seq: d.seq, emoji: '🙏', on: true }), 'not_found');
  });

  it('answers the same state for a reaction already there, takes one back, and caps distinct emoji', async () => {
    const m = await say(o.author, o.closed, 'лимит реакций');
    const first = await act(o.member, 'message.react', { seq: m.seq, emoji: '❤️', on: true });
    const same = await act(o.member, 'message.react', { seq: m.seq, emoji: '❤️', on: true });
    expect(same).toEqual(first);
    await act(o.member, 'message.react', { seq: m.seq, emoji: '😂', on: true });
    await act(o.member, 'message.react', { seq: m.seq, emoji: '👨‍👩‍👧', on: true });
    await refused(act(o.owner, 'message.react', { seq: m.seq, emoji: '🙏', on: true }), 'too_many_reactions', /3/);
    // An emoji already there is no new one.
    const more = await act(o.owner, 'message.react', { seq: m.seq, emoji: '😂', on: true });
    expect(more.reactions?.find((r) => r.emoji === '😂')?.userIds).toEqual([o.member.id, o.owner.id]);
    const back = await act(o.member, 'message.react', { seq: m.seq, emoji: '❤️', on: false });
    expect(back.reactions?.map((r) => r.emoji)).toEqual(['😂', '👨‍👩‍👧']);
    const none = await act(o.member, 'message.react', { seq: m.seq, emoji: '❤️', on: false });
    expect(none).toEqual(back);
  });
});

describe('message.pin and pins.list', () => {
  it('lets both people of a direct conversation pin', async () => {
    const m = await say(o.author, o.direct, 'адрес склада');
    expect(await act(o.member, 'message.pin', { seq: m.seq, pinned: true })).toMatchObject({
      pinned: { by: o.member.id },
    });
    expect((await act(o.author, 'message.pin', { seq: m.seq, pinned: false })).pinned).toBeUndefined();
    await refused(act(o.admin, 'message.pin', { seq: m.seq, pinned: true }), 'not_found');
  });

  it('in the general room only administrators pin, and its rule cannot be changed', async () => {
    const m = await say(o.author, o.general, 'правила');
    await refused(act(o.author, 'message.pin', { seq: m.seq, pinned: true }), 'forbidden', /administrator/);
    expect(await act(o.admin, 'message.pin', { seq: m.seq, pinned: true })).toMatchObject({
      pinned: { by: o.admin.id },
    });
    await refused(
      o.admin.socket.request('rooms.update', { conversationId: o.general, pinRule: 'members' }),
      'bad_request',
    );
  });

  it('in a room any member pins until the owner says owners only; then the owner and administrators', async () => {
    const a = await say(o.author, o.closed, 'первое');
    const b = await say(o.author, o.closed, 'второе');
    const listed = await o.author.socket.request<{ conversations: Conversation[] }>('conversations.list');
    expect(listed.conversations.find((c) => c.id === o.closed)?.pinRule).toBe('members');
    await act(o.member, 'message.pin', { seq: a.seq, pinned: true });
    await refused(
      o.member.socket.request('rooms.update', { conversationId: o.closed, pinRule: 'owners' }),
      'forbidden',
    );
    const frame = o.member.socket.next(
      'conversation',
      (f) => f.conversation.id === o.closed && f.conversation.pinRule === 'owners',
    );
    const { conversation } = await o.owner.socket.request<{ conversation: Conversation }>('rooms.update', {
      conversationId: o.closed,
      pinRule: 'owners',
    });
    expect(conversation.pinRule).toBe('owners');
    await frame;
    await refused(act(o.member, 'message.pin', { seq: b.seq, pinned: true }), 'forbidden', /owner/);
    await refused(act(o.member, 'message.pin', { seq: a.seq, pinned: false }), 'forbidden');
    await act(o.owner, 'message.pin', { seq: b.seq, pinned: true });
    await act(o.admin, 'message.pin', { seq: a.seq, pinned: false });
    await act(o.admin, 'message.pin', { seq: a.seq, pinned: true });
    // An administrator who is not the owner may set the rule too.
    const back = await o.admin.socket.request<{ conversation: Conversation }>('rooms.update', {
      conversationId: o.closed,
      pinRule: 'members',
    });
    expect(back.conversation.pinRule).toBe('members');
    await act(o.member, 'message.pin', { seq: b.seq, pinned: false });

    const { messages } = await o.member.socket.request<{ messages: Message[] }>('pins.list', {
      conversationId: o.closed,
    });
    expect(messages.map((m) => m.seq)).toEqual([a.seq]);
    await act(o.member, 'message.pin', { seq: b.seq, pinned: true });
    const newest = await o.author.socket.request<{ messages: Message[] }>('pins.list', { conversationId: o.closed });
    expect(newest.messages.map((m) => m.seq)).toEqual([b.seq, a.seq]);
    expect(newest.messages[0]).toMatchObject({ text: 'второе', pinned: { by: o.member.id } });
    await refused(o.outsider.socket.request('pins.list', { conversationId: o.closed }), 'not_found');
    await refused(o.outsider.socket.request('pins.list', { conversationId: o.open }), 'forbidden');
  });

  it('refuses system and deleted messages, and answers the same state when already so', async () => {
    const { messages } = await o.owner.socket.request<{ messages: Message[] }>('history', { conversationId: o.open });
    await refused(
      act(o.owner, 'message.pin', { seq: messages.find((m) => m.kind === 'system')!.seq, pinned: true }),
      'forbidden',
    );
    const m = await say(o.author, o.open, 'закреп');
    const pinned = await act(o.member, 'message.pin', { seq: m.seq, pinned: true });
    expect(await act(o.owner, 'message.pin', { seq: m.seq, pinned: true })).toEqual(pinned);
    await act(o.author, 'message.delete', { seq: m.seq });
    await refused(act(o.member, 'message.pin', { seq: m.seq, pinned: true }), 'not_found', /deleted/);
    const { messages: pins } = await o.member.socket.request<{ messages: Message[] }>('pins.list', {
      conversationId: o.open,
    });
    expect(pins.map((p) => p.seq)).not.toContain(m.seq);
  });
});

describe('bad input', () => {
  it('answers bad_request for a malformed action and keeps serving', async () => {
    const m = await say(o.author, o.closed, 'ввод');
    await refused(o.author.socket.request('message.edit', { clientId: 'short', seq: m.seq, text: 'x' }), 'bad_request');
    await refused(
      o.author.socket.request('message.react', { clientId: cid(), seq: m.seq, emoji: '👍👍', on: true }),
      'bad_request',
    );
    await refused(o.author.socket.request('message.pin', { clientId: cid(), seq: 'x', pinned: true }), 'bad_request');
    expect(await act(o.author, 'message.edit', { seq: m.seq, text: 'ввод 2' })).toMatchObject({ text: 'ввод 2' });
  });
});
