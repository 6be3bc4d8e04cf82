import { describe, expect, it } from 'vitest';
import { TestSocket } from '../helpers/TestSocket.ts';
import { generalId, signedIn, texts, useClientHub } from './clientHarness.ts';

const { hub, track, fast } = useClientHub();

/** What a fresh connection's hello says about a user's unread count in a conversation. */
async function hubUnread(login: string, password: string, conversationId: number): Promise<number> {
  const { token } = await hub.login(login, password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  socket.close();
  return socket.hello.conversations.find((c) => c.id === conversationId)!.unread;
}

describe('unread and read markers', () => {
  it('clears unread on the same person’s other device once the messages are really seen', async () => {
    const anna = track(await signedIn(hub, 'anna', { tuning: fast }));
    const boris1 = track(await signedIn(hub, 'boris', { tuning: fast }));
    const boris2 = track(await signedIn(hub, 'boris', { tuning: fast, password: boris1.password }));
    const general = generalId(anna.state());
    const base = boris2.state().conversations[general]!.unread;

    await anna.client.send(general, 'первое');
    await boris1.until((s) => s.conversations[general]!.unread === base + 1, 'boris1 unread');
    await boris2.until((s) => s.conversations[general]!.unread === base + 1, 'boris2 unread');
    expect(boris2.state().totalUnread).toBe(boris2.state().conversations[general]!.unread);

    // On screen but the window is hidden: nothing is read.
    await boris1.client.setActiveConversation(general);
    await boris1.until((s) => texts(s, general).includes('первое'), 'boris1 loaded it');
    await boris1.client.searchUsers('anna'); // a round trip: any read boris1 sent is processed by now
    expect(await hubUnread('boris', boris1.password, general)).toBe(base + 1);
    expect(boris1.state().conversations[general]!.unread).toBe(base + 1);

    // Visible: still nothing is read until the UI says the message was seen (issue 14).
    await boris1.client.setVisible(true);
    await boris1.client.searchUsers('anna');
    expect(boris1.state().conversations[general]!.unread).toBe(base + 1);
    expect(await hubUnread('boris', boris1.password, general)).toBe(base + 1);

    // Seen: read now, and the other device hears it.
    const first = boris1.state().messages[general]!.items.find((m) => m.text === 'первое')!.seq;
    await boris1.client.markSeen(general, first);
    expect(boris1.state().conversations[general]!.unread).toBe(0);
    await boris2.until((s) => s.conversations[general]!.unread === 0 && s.totalUnread === 0, 'boris2 cleared');
    const readSeq = boris2.state().conversations[general]!.readSeq;
    expect(readSeq).toBe(first);
    expect(readSeq).toBe(boris1.state().conversations[general]!.lastSeq);

    // A new message on screen is unread until it is seen too.
    await anna.client.send(general, 'второе');
    await boris1.until((s) => texts(s, general).includes('второе'), 'boris1 got the second');
    expect(boris1.state().conversations[general]!.unread).toBe(1);
    const second = boris1.state().messages[general]!.items.find((m) => m.text === 'второе')!.seq;
    await boris1.client.markSeen(general, second);
    expect(boris1.state().conversations[general]!.unread).toBe(0);
    await boris2.until(
      (s) => s.conversations[general]!.readSeq === second && s.conversations[general]!.unread === 0,
      'boris2 hears that the second is read too',
    );
    expect(await hubUnread('boris', boris1.password, general)).toBe(0);
  });

  it('counts mentions and direct messages separately from plain unread', async () => {
    const owner = track(await signedIn(hub, 'olga', { tuning: fast }));
    const reader = track(await signedIn(hub, 'rita', { tuning: fast }));
    const room = await owner.client.createRoom({ name: 'Бухгалтерия', kind: 'open', members: [reader.id] });
    await reader.until((s) => room.id in s.conversations, 'rita is in the room');
    await owner.client.send(room.id, 'просто так');
    await owner.client.send(room.id, '@rita посмотри');
    await reader.until((s) => s.conversations[room.id]!.unread === 2, 'two unread');
    expect(reader.state().conversations[room.id]!.mentions).toBe(1);

    const direct = await owner.client.openDirect(reader.id);
    await owner.client.send(direct.id, 'лично');
    const s = await reader.until((s) => s.conversations[direct.id]?.unread === 1, 'a direct message');
    expect(s.conversations[direct.id]!.mentions).toBe(1);
    expect(s.conversations[direct.id]!.peerId).toBe(owner.id);
    expect(s.totalMentions).toBe(2);
    // The peer of a direct conversation is known (for names and presence).
    await reader.until((s) => s.users[owner.id]?.login === 'olga', 'olga known');
    // Incoming listeners hear every one of them live, once.
    const heard = reader.incoming.flatMap((i) => i.messages.map((m) => m.text));
    expect(heard.filter((t) => ['просто так', '@rita посмотри', 'лично'].includes(t))).toEqual([
      'просто так',
      '@rita посмотри',
      'лично',
    ]);
  });
});

describe('history window', () => {
  it('loads the newest page when a conversation is opened and older pages on demand, in order', async () => {
    const writer = track(await signedIn(hub, 'pisar', { tuning: fast }));
    const reader = track(await signedIn(hub, 'chitatel', { tuning: { ...fast, historyPage: 40 } }));
    const room = await writer.client.createRoom({ name: 'Архив', kind: 'open', members: [reader.id] });
    const { token } = await hub.login('pisar', writer.password);
    const raw = await TestSocket.open(hub.wsUrl, token);
    const all = Array.from({ length: 130 }, (_, i) => `строка ${i}`);
    for (let i = 0; i < all.length; i += 10) {
      await Promise.all(
        all
          .slice(i, i + 10)
          .map((text, j) => raw.request('send', { conversationId: room.id, clientId: `hist-${i + j}-xxxxxxxx`, text })),
      );
    }
    raw.close();
    await reader.until((s) => room.id in s.conversations, 'room known');

    await reader.client.setActiveConversation(room.id);
    let s = await reader.until((s) => texts(s, room.id).length === 40, 'first page');
    expect(texts(s, room.id)).toEqual(all.slice(-40));
    expect(s.messages[room.id]!.hasOlder).toBe(true);
    while (reader.state().messages[room.id]!.hasOlder) await reader.client.loadOlder(room.id);
    s = reader.state();
    expect(texts(s, room.id)).toEqual(all);
    expect(s.messages[room.id]!.loadingOlder).toBe(false);
    const seqs = s.messages[room.id]!.items.map((m) => m.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    // The system message that opened the room is there too, first.
    expect(s.messages[room.id]!.items[0]!.kind).toBe('system');
  });
});

describe('presence, typing, rooms and people', () => {
  it('shows typing for about five seconds and stops it when the message arrives', async () => {
    const anna = track(await signedIn(hub, 'tanya', { tuning: fast }));
    const boris = track(await signedIn(hub, 'timur', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.typing(general);
    await boris.until((s) => s.typing[general]?.includes(anna.id) ?? false, 'typing shown');
    // Boris had never seen Tanya: her name is fetched, so the UI can say who is typing.
    await boris.until((s) => s.users[anna.id]?.login === 'tanya', 'typist looked up');
    const shownAt = Date.now();
    await boris.until((s) => !(s.typing[general]?.includes(anna.id) ?? false), 'typing expires', 8000);
    expect(Date.now() - shownAt).toBeGreaterThan(3000);

    await anna.client.typing(general);
    await boris.until((s) => s.typing[general]?.includes(anna.id) ?? false, 'typing again');
    await anna.client.send(general, 'готово');
    const s = await boris.until(
      (s) => !(s.typing[general]?.includes(anna.id) ?? false),
      'typing ends with the message',
      1000,
    );
    expect(s.typing[general]).toBeUndefined();
  });

  it('follows presence of known users and the status the user chooses', async () => {
    const anna = track(await signedIn(hub, 'polina', { tuning: fast }));
    const boris = track(await signedIn(hub, 'pavel', { tuning: fast }));
    const found = await boris.client.searchUsers('polina');
    expect(found.map((u) => u.login)).toContain('polina');
    expect(boris.state().users[anna.id]?.presence).toBe('online');
    await anna.client.setStatus('dnd');
    expect(anna.state().me?.presence).toBe('dnd');
    await boris.until((s) => s.users[anna.id]?.presence === 'dnd', 'boris sees dnd');
    await anna.client.setStatus('online');
    // Idle at her only device: away for others, and back to online on activity.
    await anna.client.setIdle(true);
    expect(anna.state().me?.presence).toBe('away');
    await boris.until((s) => s.users[anna.id]?.presence === 'away', 'boris sees away');
    await anna.client.setIdle(false);
    await boris.until((s) => s.users[anna.id]?.presence === 'online', 'boris sees online again');
  });

  it('joins, lists members, follows member changes and leaves rooms', async () => {
    const owner = track(await signedIn(hub, 'semen', { tuning: fast }));
    const guest = track(await signedIn(hub, 'stepan', { tuning: fast }));
    const room = await owner.client.createRoom({ name: 'Отдел продаж', kind: 'open', topic: 'План' });
    expect(owner.state().conversations[room.id]).toMatchObject({ name: 'Отдел продаж', topic: 'План', memberCount: 1 });
    const rooms = await guest.client.browseRooms('продаж');
    expect(rooms.map((r) => r.id)).toContain(room.id);
    await guest.client.joinRoom(room.id);
    expect(guest.state().conversations[room.id]).toBeDefined();
    await owner.until((s) => s.conversations[room.id]!.memberCount === 2, 'owner sees two members');
    const members = await owner.client.members(room.id);
    expect(members.map((m) => m.userId).sort()).toEqual([owner.id, guest.id].sort());
    expect(owner.state().users[guest.id]?.login).toBe('stepan');
    await owner.client.updateRoom(room.id, { name: 'Продажи' });
    await guest.until((s) => s.conversations[room.id]?.name === 'Продажи', 'guest sees the new name');

    await guest.client.setActiveConversation(room.id);
    await guest.client.leaveRoom(room.id);
    expect(guest.state().conversations[room.id]).toBeUndefined();
    expect(guest.state().activeConversationId).toBeNull();
    await owner.until((s) => s.conversations[room.id]!.memberCount === 1, 'owner sees one member');
    await expect(guest.client.send(room.id, 'я ушёл')).resolves.toBeUndefined();
    await guest.until(
      (s) => s.messages[room.id]?.items.some((m) => m.status === 'failed') ?? false,
      'a message to a room left fails',
    );
  });

  it('opens only web and mail links outside the app', async () => {
    const anna = track(await signedIn(hub, 'ulyana', { tuning: fast }));
    await anna.client.openExternal('https://example.org/a?b=c');
    await anna.client.openExternal('mailto:it@example.org');
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'ms-settings:', 'data:text/html,x']) {
      await expect(anna.client.openExternal(bad)).rejects.toMatchObject({ code: 'bad_request' });
    }
    expect(anna.opened).toEqual(['https://example.org/a?b=c', 'mailto:it@example.org']);
  });
});
