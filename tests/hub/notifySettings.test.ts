import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { person, type Person } from './connect.ts';

// conversations.notify over the real hub: the level and mute are the member's own, stored on the
// hub, heard by every device of theirs, carried by hello and the conversation list, and refused
// to anyone who is not a member.
let hub: TestHub;
let ivan: Person;
let maria: Person;
let oleg: Person;
beforeAll(async () => {
  hub = await startHub();
  ivan = await person(hub, 'ivan', 'Иван');
  maria = await person(hub, 'maria', 'Мария');
  oleg = await person(hub, 'oleg', 'Олег');
});
afterAll(async () => {
  await hub.stop();
});

const notify = (p: Person, params: Record<string, unknown>, socket = p.socket) =>
  socket.request<{ conversation: Conversation }>('conversations.notify', params).then((r) => r.conversation);
const listed = async (socket: TestSocket, id: number) =>
  (await socket.request<{ conversations: Conversation[] }>('conversations.list')).conversations.find(
    (c) => c.id === id,
  )!;
const room = (p: Person, name: string, kind: 'open' | 'closed', members: number[] = []) =>
  p.socket.request<{ conversation: Conversation }>('rooms.create', { name, kind, members }).then((r) => r.conversation);

describe('per-conversation notification settings on the hub', () => {
  it('stores the level and mute; every device of the user hears the conversation frame; hello and lists carry it', async () => {
    const second = await TestSocket.open(hub.wsUrl, ivan.token);
    const warehouse = await room(ivan, 'Склад уведомлений', 'open', [maria.id]);
    expect(warehouse.notify).toBeUndefined();
    expect(warehouse.mutedUntil).toBeUndefined();

    const heard = second.next(
      'conversation',
      (f) => f.conversation.id === warehouse.id && f.conversation.notify === 'none',
    );
    const answered = await notify(ivan, { conversationId: warehouse.id, notify: 'none' });
    expect(answered).toMatchObject({ id: warehouse.id, notify: 'none' });
    expect((await heard).conversation.mutedUntil).toBeUndefined();

    const until = Date.now() + 3_600_000;
    const muted = second.next(
      'conversation',
      (f) => f.conversation.id === warehouse.id && f.conversation.mutedUntil === until,
    );
    await notify(ivan, { conversationId: warehouse.id, mutedUntil: until });
    expect((await muted).conversation.notify).toBe('none');

    // A new connection's hello and the list carry both; Мария's view is untouched.
    const third = await TestSocket.open(hub.wsUrl, ivan.token);
    expect(third.hello.conversations.find((c) => c.id === warehouse.id)).toMatchObject({
      notify: 'none',
      mutedUntil: until,
    });
    expect(await listed(ivan.socket, warehouse.id)).toMatchObject({ notify: 'none', mutedUntil: until });
    const hers = await listed(maria.socket, warehouse.id);
    expect(hers.notify).toBeUndefined();
    expect(hers.mutedUntil).toBeUndefined();
    // Nobody else hears Иван's settings.
    expect(maria.socket.all('conversation').some((f) => f.conversation.notify === 'none')).toBe(false);

    // Forever (null), then unmute (0) and back to the default.
    expect((await notify(ivan, { conversationId: warehouse.id, mutedUntil: null })).mutedUntil).toBeNull();
    expect((await listed(second, warehouse.id)).mutedUntil).toBeNull();
    const back = await notify(ivan, { conversationId: warehouse.id, mutedUntil: 0, notify: 'default' });
    expect(back.notify).toBeUndefined();
    expect(back.mutedUntil).toBeUndefined();
    const reread = await listed(ivan.socket, warehouse.id);
    expect('notify' in reread || 'mutedUntil' in reread).toBe(false);
    second.close();
    third.close();
  });

  it('a timed mute past its time reads as not muted', async () => {
    const dm = (await ivan.socket.request<{ conversation: Conversation }>('direct.open', { userId: maria.id }))
      .conversation;
    const until = Date.now() + 1_500;
    expect((await notify(ivan, { conversationId: dm.id, mutedUntil: until })).mutedUntil).toBe(until);
    // Waits for the condition (the mute runs out on the hub's clock), not for a fixed time.
    await expect
      .poll(async () => 'mutedUntil' in (await listed(ivan.socket, dm.id)), { timeout: 30_000, interval: 300 })
      .toBe(false);
    const fresh = await TestSocket.open(hub.wsUrl, ivan.token);
    expect(fresh.hello.conversations.find((c) => c.id === dm.id)!.mutedUntil).toBeUndefined();
    fresh.close();
  });

  it('only members: a closed room or a direct conversation of others is not_found, an open room not joined forbidden', async () => {
    const closed = await room(ivan, 'Руководство уведомлений', 'closed', [maria.id]);
    const open = await room(ivan, 'Открытая уведомлений', 'open');
    const dm = (await ivan.socket.request<{ conversation: Conversation }>('direct.open', { userId: maria.id }))
      .conversation;
    await expect(notify(oleg, { conversationId: closed.id, notify: 'none' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(notify(oleg, { conversationId: dm.id, mutedUntil: null })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(notify(oleg, { conversationId: 999_999, notify: 'all' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(notify(oleg, { conversationId: open.id, notify: 'all' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(notify(ivan, { conversationId: open.id, notify: 'loud' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    // The refusals changed nothing for the members.
    expect((await listed(ivan.socket, closed.id)).notify).toBeUndefined();
    // After leaving, the settings cannot be changed either.
    await maria.socket.request('rooms.leave', { conversationId: closed.id });
    await expect(notify(maria, { conversationId: closed.id, notify: 'all' })).rejects.toMatchObject({
      code: 'not_found',
    });
    // The general room: everyone is a member and may set it.
    expect((await notify(oleg, { conversationId: oleg.generalId, notify: 'all' })).notify).toBe('all');
  });
});
