// Changes to stored messages reaching other clients: live (`message.updated`) and in the catch-up
// after being offline (`sync.updates`), into message windows, pins and announcements; an edit that
// newly mentions the user is told once and never counts as unread. Also pins.list, showMessage
// opening a window around an older message, and the pending views of replies and forwards. Real
// hub, real sockets.
import { describe, expect, it } from 'vitest';
import type { ClientState, MessageView } from '../../common/client/ClientState.ts';
import type { Message } from '../../common/protocol/model.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { generalId, signedIn, useClientHub } from './clientHarness.ts';
import { SwitchableLine } from './switchableLine.ts';

const { hub, track, fast } = useClientHub();

type Client = Awaited<ReturnType<typeof signedIn>>;

function shown(s: ClientState, conversationId: number, seq: number): MessageView | undefined {
  return s.messages[conversationId]?.items.find((m) => m.seq === seq);
}

/** A raw protocol connection of a user (quick to make changes with). */
async function rawSocket(login: string, password: string): Promise<TestSocket> {
  const { token } = await hub.login(login, password);
  return TestSocket.open(hub.wsUrl, token);
}

let clientIds = 0;
const cid = () => `t${++clientIds}-${'x'.repeat(10)}`;

async function post(socket: TestSocket, conversationId: number, text: string, extra: Record<string, unknown> = {}) {
  return (await socket.request<{ message: Message }>('send', { conversationId, clientId: cid(), text, ...extra }))
    .message;
}

async function change(socket: TestSocket, type: string, params: Record<string, unknown>): Promise<Message> {
  return (await socket.request<{ message: Message }>(type, { clientId: cid(), ...params })).message;
}

/** A room owned by `socket`'s user with these members. */
async function room(socket: TestSocket, name: string, members: number[]): Promise<number> {
  return (await socket.request<{ conversation: { id: number } }>('rooms.create', { name, kind: 'open', members }))
    .conversation.id;
}

/**
 * Opens a conversation on a visible client and waits until its newest page is there; `read`: marks
 * it seen and waits until it is read (the window must then hold every unread message).
 */
async function open(c: Client, conversationId: number, lastSeq: number, read = true): Promise<void> {
  await c.until((s) => conversationId in s.conversations, 'the conversation is known');
  await c.client.setVisible(true);
  await c.client.setActiveConversation(conversationId);
  await c.until((s) => !!shown(s, conversationId, lastSeq), 'window loaded');
  if (!read) return;
  // Only what the UI reports as seen is read (issue 14): the newest message was on screen.
  await c.client.markSeen(conversationId, lastSeq);
  await c.until((s) => s.conversations[conversationId]!.unread === 0, 'read');
}

describe('message updates into the client state', () => {
  it('catches up every kind of change after being offline, once, without unread or incoming messages', async () => {
    const anna = await rawSocket('anna', (await hub.addUser('anna', 'Анна')).password);
    const line = new SwitchableLine();
    const boris = track(await signedIn(hub, 'boris', { tuning: fast, createSocket: line.createSocket }));
    const mentioned: { messages: Message[]; source: string }[] = [];
    boris.client.onEditMention((messages, source) => mentioned.push({ messages, source }));
    const conv = await room(anna, 'Склад', [boris.id]);
    const sent: Message[] = [];
    for (const text of ['один', 'два', 'три', 'четыре', 'пять']) sent.push(await post(anna, conv, text));
    const [one, two, three, four, five] = sent as [Message, Message, Message, Message, Message];
    await change(anna, 'message.pin', { seq: five.seq, pinned: true });
    await open(boris, conv, five.seq);
    await boris.client.loadPins(conv);
    await boris.until((s) => s.pins[conv]?.map((m) => m.seq).join() === `${five.seq}`, 'pins loaded');
    const incomingBefore = boris.incoming.length;

    line.goOffline();
    await boris.until((s) => s.connection !== 'connected', 'boris is offline');
    await change(anna, 'message.edit', { seq: one.seq, text: 'один, @boris посмотри' });
    await change(anna, 'message.delete', { seq: two.seq });
    await change(anna, 'message.react', { seq: three.seq, emoji: '👍', on: true });
    await change(anna, 'message.pin', { seq: four.seq, pinned: true });
    await change(anna, 'message.edit', { seq: five.seq, text: 'пять, **изменено**' });

    line.goOnline();
    boris.client.notifyNetworkChange();
    const s = await boris.until(
      (s) =>
        s.connection === 'connected' &&
        shown(s, conv, one.seq)?.text === 'один, @boris посмотри' &&
        !!shown(s, conv, two.seq)?.deleted &&
        !!shown(s, conv, three.seq)?.reactions?.length &&
        !!shown(s, conv, four.seq)?.pinned &&
        shown(s, conv, five.seq)?.text === 'пять, **изменено**' &&
        s.pins[conv]?.length === 2,
      'boris caught up with every change',
    );
    expect(shown(s, conv, one.seq)!.editedAt).toBeGreaterThan(0);
    expect(shown(s, conv, two.seq)).toMatchObject({ text: '', deleted: { by: anna.hello.me.id } });
    expect(shown(s, conv, three.seq)!.reactions).toEqual([{ emoji: '👍', userIds: [anna.hello.me.id] }]);
    // Newest pin first; the pinned message's edit shows in the list too.
    expect(s.pins[conv]!.map((m) => [m.seq, m.text])).toEqual([
      [four.seq, 'четыре'],
      [five.seq, 'пять, **изменено**'],
    ]);
    // Updates are not messages: nothing unread, nothing new told, the window has no extra rows.
    expect(s.conversations[conv]!.unread).toBe(0);
    expect(s.conversations[conv]!.mentions).toBe(0);
    expect(s.conversations[conv]!.lastSeq).toBe(five.seq);
    expect(boris.incoming.slice(incomingBefore)).toEqual([]);
    expect(s.messages[conv]!.items.filter((m) => m.kind === 'text').map((m) => m.seq)).toEqual(sent.map((m) => m.seq));
    // The edit that mentions him is told once.
    expect(mentioned.map((m) => [m.source, m.messages.map((x) => x.seq)])).toEqual([['catchup', [one.seq]]]);

    // Back offline and online with nothing new: nothing is applied or told again.
    line.goOffline();
    await boris.until((s) => s.connection !== 'connected', 'offline again');
    line.goOnline();
    boris.client.notifyNetworkChange();
    await boris.until((s) => s.connection === 'connected', 'online again');
    await change(anna, 'message.react', { seq: one.seq, emoji: '✅', on: true });
    const later = await boris.until((s) => !!shown(s, conv, one.seq)?.reactions?.length, 'a live update after that');
    expect(mentioned).toHaveLength(1);
    expect(later.conversations[conv]!.unread).toBe(0);
    anna.close();
  });

  it('applies live updates: edits, pins, unpins and deletes follow; a mention already made is not told again', async () => {
    const anna = await rawSocket('alla', (await hub.addUser('alla', 'Алла')).password);
    const boris = track(await signedIn(hub, 'bogdan', { tuning: fast }));
    const mentioned: Message[] = [];
    boris.client.onEditMention((messages) => mentioned.push(...messages));
    const conv = await room(anna, 'Живые', [boris.id]);
    const m = await post(anna, conv, 'исходный');
    const other = await post(anna, conv, 'другой');
    await open(boris, conv, other.seq);
    await boris.client.loadPins(conv);
    await boris.until((s) => s.pins[conv]?.length === 0, 'no pins yet');

    await change(anna, 'message.pin', { seq: m.seq, pinned: true });
    await boris.until((s) => s.pins[conv]?.[0]?.seq === m.seq && !!shown(s, conv, m.seq)?.pinned, 'pinned live');
    const edited = await change(anna, 'message.edit', { seq: m.seq, text: 'правка для @bogdan' });
    let s = await boris.until((s) => shown(s, conv, m.seq)?.text === 'правка для @bogdan', 'edited live');
    expect(s.pins[conv]![0]!.text).toBe('правка для @bogdan');
    expect(shown(s, conv, m.seq)!.rev).toBe(edited.rev);
    expect(mentioned.map((x) => x.seq)).toEqual([m.seq]);

    // Edited again (he is mentioned already): no second notice.
    await change(anna, 'message.edit', { seq: m.seq, text: 'ещё правка для @bogdan' });
    await boris.until((s) => shown(s, conv, m.seq)?.text === 'ещё правка для @bogdan', 'edited again');
    expect(mentioned).toHaveLength(1);

    await change(anna, 'message.pin', { seq: other.seq, pinned: true });
    await boris.until(
      (s) => s.pins[conv]?.map((x) => x.seq).join() === `${other.seq},${m.seq}`,
      'two pins, newest first',
    );
    await change(anna, 'message.pin', { seq: other.seq, pinned: false });
    await boris.until((s) => s.pins[conv]?.map((x) => x.seq).join() === `${m.seq}`, 'unpinned');
    await change(anna, 'message.delete', { seq: m.seq });
    s = await boris.until((s) => s.pins[conv]?.length === 0 && !!shown(s, conv, m.seq)?.deleted, 'deleted: unpinned');
    expect(s.conversations[conv]!.unread).toBe(0);
    anna.close();
  });

  it('showMessage opens a window around an older message; false for one that is not in the conversation', async () => {
    const anna = await rawSocket('arina', (await hub.addUser('arina', 'Арина')).password);
    const boris = track(await signedIn(hub, 'bronislav', { tuning: { ...fast, historyPage: 20 } }));
    const conv = await room(anna, 'Длинная', [boris.id]);
    const first = await post(anna, conv, 'самое первое');
    let last = first;
    for (let i = 0; i < 99; i++) last = await post(anna, conv, `сообщение ${i}`);
    await open(boris, conv, last.seq, false);
    expect(shown(boris.state(), conv, first.seq)).toBeUndefined();

    expect(await boris.client.showMessage(conv, first.seq)).toBe(true);
    const s = boris.state();
    expect(shown(s, conv, first.seq)!.text).toBe('самое первое');
    const seqs = s.messages[conv]!.items.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // The first message is near the start of history (only the room's system lines before it):
    // nothing older; the newest are not in this window.
    expect(s.messages[conv]).toMatchObject({ hasOlder: false, hasNewer: true });
    expect(seqs.filter((seq) => seq < first.seq).every((seq) => shown(s, conv, seq)!.kind === 'system')).toBe(true);
    expect(seqs).not.toContain(last.seq);

    // A message of another conversation, a seq beyond the newest, a conversation the user is not in.
    const general = generalId(s);
    const elsewhere = await post(anna, general, 'в общем чате');
    expect(await boris.client.showMessage(conv, elsewhere.seq)).toBe(false);
    expect(await boris.client.showMessage(conv, elsewhere.seq + 1000)).toBe(false);
    expect(await boris.client.showMessage(987_654, first.seq)).toBe(false);
    anna.close();
  });

  it('shows a reply with its quote and a forward with the original while they wait, then the hub’s copies', async () => {
    const boris = await rawSocket('borislav', (await hub.addUser('borislav', 'Борислав')).password);
    const line = new SwitchableLine();
    const anna = track(await signedIn(hub, 'agniya', { tuning: fast, createSocket: line.createSocket }));
    const conv = await room(boris, 'Ответы', [anna.id]);
    const original = await post(boris, conv, '**Отгрузка** в пятницу');
    const target = await room(boris, 'Куда переслать', [anna.id]);
    await open(anna, conv, original.seq);
    await anna.until((s) => target in s.conversations, 'the target room is known');

    line.goOffline();
    await anna.until((s) => s.connection !== 'connected', 'offline');
    await anna.client.send(conv, 'принято', [], { replyTo: original.seq });
    await anna.client.forward(conv, original.seq, target);
    let s = anna.state();
    const reply = s.messages[conv]!.items.at(-1)!;
    expect(reply).toMatchObject({
      status: 'pending',
      text: 'принято',
      replyTo: { seq: original.seq, senderId: boris.hello.me.id, text: '**Отгрузка** в пятницу' },
    });
    const forward = s.messages[target]!.items.at(-1)!;
    expect(forward).toMatchObject({
      status: 'pending',
      text: '**Отгрузка** в пятницу',
      forwarded: { senderId: boris.hello.me.id, ts: original.ts },
    });

    line.goOnline();
    anna.client.notifyNetworkChange();
    await anna.client.setActiveConversation(target);
    s = await anna.until(
      (s) =>
        s.messages[conv]?.items.at(-1)?.status === 'sent' &&
        s.messages[target]?.items.some((m) => m.status === 'sent' && m.forwarded !== undefined) === true,
      'both stored',
    );
    expect(s.messages[conv]!.items.at(-1)).toMatchObject({
      text: 'принято',
      replyTo: { seq: original.seq, text: '**Отгрузка** в пятницу' },
    });
    expect(s.messages[target]!.items.find((m) => m.forwarded)).toMatchObject({
      text: '**Отгрузка** в пятницу',
      forwarded: { senderId: boris.hello.me.id },
    });
    boris.close();
  });
});
