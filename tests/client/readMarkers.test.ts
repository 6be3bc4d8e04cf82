// Read markers move only as far as the user has seen (issue 14): opening a conversation with a
// backlog marks nothing; Backend.markSeen(conversation, seq) moves the marker to exactly that seq
// (never back, never past what the window holds, never across messages the window lacks), and the
// user's other device and the hub agree on the count left.
import { describe, expect, it } from 'vitest';
import type { ClientState } from '../../common/client/ClientState.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { signedIn, texts, useClientHub } from './clientHarness.ts';
import { SwitchableLine } from './switchableLine.ts';

const { hub, track, fast } = useClientHub();

/** What a fresh connection's hello says about the user's marker and counts in a conversation. */
async function onHub(
  login: string,
  password: string,
  conversationId: number,
): Promise<{ readSeq: number; unread: number; mentions: number }> {
  const { token } = await hub.login(login, password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  socket.close();
  const c = socket.hello.conversations.find((c) => c.id === conversationId)!;
  return { readSeq: c.readSeq, unread: c.unread, mentions: c.mentions };
}

/**
 * Sends `count` messages as `login` into a conversation (raw socket), one after another: the hub
 * orders concurrent sends by when each is validated (one naming someone waits for the name lookup),
 * and these tests count messages by their place in the backlog. Returns their texts.
 */
async function backlog(
  login: string,
  password: string,
  conversationId: number,
  count: number,
  prefix: string,
  tag: string,
) {
  const { token } = await hub.login(login, password);
  const raw = await TestSocket.open(hub.wsUrl, token);
  const all = Array.from({ length: count }, (_, i) => (i === 60 ? `@reader ${prefix} ${i}` : `${prefix} ${i}`));
  for (const [i, text] of all.entries()) {
    await raw.request('send', { conversationId, clientId: `${tag}-${i}-xxxxxxxx`, text });
  }
  raw.close();
  return all;
}

function seqOf(s: ClientState, conversationId: number, text: string): number {
  return s.messages[conversationId]!.items.find((m) => m.text === text)!.seq;
}

describe('read markers move only as far as the user has seen', () => {
  it('opening marks nothing; markSeen moves the marker to exactly that seq, and the other device follows', async () => {
    const writer = track(await signedIn(hub, 'pisatel', { tuning: fast }));
    const reader = track(await signedIn(hub, 'reader', { tuning: { ...fast, historyPage: 200 } }));
    const other = track(await signedIn(hub, 'reader', { tuning: fast, password: reader.password }));
    const room = await writer.client.createRoom({ name: 'Склад', kind: 'open', members: [reader.id] });
    await reader.until((s) => room.id in s.conversations, 'the room is known');
    const before = reader.state().conversations[room.id]!.readSeq;
    const all = await backlog('pisatel', writer.password, room.id, 127, 'накладная', 'nakl');
    await reader.until((s) => s.conversations[room.id]!.unread === 127, '127 unread');
    await other.until((s) => s.conversations[room.id]?.unread === 127, '127 unread on the other device');

    // Open and visible, the whole backlog loaded: still nothing is read.
    await reader.client.setVisible(true);
    await reader.client.setActiveConversation(room.id);
    let s = await reader.until((s) => texts(s, room.id).includes(all[126]!), 'the backlog is loaded');
    await reader.client.searchUsers('pisatel'); // a round trip: any read sent is processed by now
    expect(s.conversations[room.id]!.unread).toBe(127);
    expect(s.conversations[room.id]!.readSeq).toBe(before);
    expect(await onHub('reader', reader.password, room.id)).toMatchObject({
      readSeq: before,
      unread: 127,
      mentions: 1,
    });

    // Seen up to the 40th: the marker is exactly there, here, on the hub and on the other device.
    const seq40 = seqOf(s, room.id, all[39]!);
    await reader.client.markSeen(room.id, seq40);
    s = reader.state();
    expect(s.conversations[room.id]).toMatchObject({ readSeq: seq40, unread: 87, mentions: 1 });
    await other.until(
      (s) => s.conversations[room.id]!.readSeq === seq40 && s.conversations[room.id]!.unread === 87,
      'the other device hears the marker at the 40th',
    );
    expect(other.state().totalUnread).toBe(87);
    expect(await onHub('reader', reader.password, room.id)).toEqual({ readSeq: seq40, unread: 87, mentions: 1 });

    // Never back.
    await reader.client.markSeen(room.id, seqOf(s, room.id, all[10]!));
    expect(reader.state().conversations[room.id]!.readSeq).toBe(seq40);

    // Past the mention: it no longer counts.
    const seq70 = seqOf(s, room.id, all[69]!);
    await reader.client.markSeen(room.id, seq70);
    expect(reader.state().conversations[room.id]).toMatchObject({ readSeq: seq70, unread: 57, mentions: 0 });
    await other.until((s) => s.conversations[room.id]!.mentions === 0, 'the mention is read on the other device');
    expect(await onHub('reader', reader.password, room.id)).toEqual({ readSeq: seq70, unread: 57, mentions: 0 });

    // Never past what the window holds: a seq beyond the newest lands on the newest held.
    const newest = seqOf(s, room.id, all[126]!);
    await reader.client.markSeen(room.id, newest + 1_000_000);
    expect(reader.state().conversations[room.id]).toMatchObject({ readSeq: newest, unread: 0, mentions: 0 });
    await other.until((s) => s.conversations[room.id]!.unread === 0, 'all read on the other device');
    expect((await onHub('reader', reader.password, room.id)).readSeq).toBe(newest);

    // A new message while on screen and visible is unread until seen.
    await writer.client.send(room.id, 'ещё одна');
    s = await reader.until((s) => texts(s, room.id).includes('ещё одна'), 'the new one arrived');
    expect(s.conversations[room.id]!.unread).toBe(1);
    await reader.client.setVisible(false);
    await reader.client.setVisible(true);
    expect(reader.state().conversations[room.id]!.unread).toBe(1);
    await reader.client.markSeen(room.id, seqOf(s, room.id, 'ещё одна'));
    expect(reader.state().conversations[room.id]!.unread).toBe(0);
    await other.until((s) => s.conversations[room.id]!.unread === 0, 'the new one read on the other device');
  });

  it('does not move across messages the window lacks: the newest page of a long backlog is not the unread start', async () => {
    const writer = track(await signedIn(hub, 'avtor', { tuning: fast }));
    const reader = track(await signedIn(hub, 'chitatel', { tuning: { ...fast, historyPage: 40 } }));
    const room = await writer.client.createRoom({ name: 'Отгрузки', kind: 'open', members: [reader.id] });
    await reader.until((s) => room.id in s.conversations, 'the room is known');
    const before = reader.state().conversations[room.id]!.readSeq;
    const all = await backlog('avtor', writer.password, room.id, 127, 'отгрузка', 'otgr');
    await reader.until((s) => s.conversations[room.id]!.unread === 127, '127 unread');

    await reader.client.setVisible(true);
    await reader.client.setActiveConversation(room.id);
    let s = await reader.until((s) => texts(s, room.id).length === 40, 'the newest page');
    // Seeing the newest page does not read the 87 messages above it that were never loaded.
    await reader.client.markSeen(room.id, seqOf(s, room.id, all[126]!));
    await reader.client.searchUsers('avtor');
    expect(reader.state().conversations[room.id]).toMatchObject({ readSeq: before, unread: 127 });
    expect((await onHub('chitatel', reader.password, room.id)).unread).toBe(127);

    // Once the window reaches the marker, seeing moves it.
    while (!texts(reader.state(), room.id).includes(all[0]!)) await reader.client.loadOlder(room.id);
    s = reader.state();
    await reader.client.markSeen(room.id, seqOf(s, room.id, all[99]!));
    expect(reader.state().conversations[room.id]).toMatchObject({ unread: 27 });
    expect((await onHub('chitatel', reader.password, room.id)).unread).toBe(27);
  });
  it('keeps what was seen while offline and sends it after the reconnect', async () => {
    const writer = track(await signedIn(hub, 'pochta', { tuning: fast }));
    const line = new SwitchableLine();
    const reader = track(await signedIn(hub, 'offlain', { tuning: fast, createSocket: line.createSocket }));
    const room = await writer.client.createRoom({ name: 'Пропажи', kind: 'open', members: [reader.id] });
    await reader.until((s) => room.id in s.conversations, 'the room is known');
    const all = await backlog('pochta', writer.password, room.id, 30, 'письмо', 'pism');
    await reader.until((s) => s.conversations[room.id]!.unread === 30, '30 unread');
    await reader.client.setVisible(true);
    await reader.client.setActiveConversation(room.id);
    const s = await reader.until((s) => texts(s, room.id).includes(all[29]!), 'loaded');
    const seq10 = seqOf(s, room.id, all[9]!);

    line.goOffline();
    await reader.until((s) => s.connection !== 'connected', 'offline');
    await reader.client.markSeen(room.id, seq10);
    expect(reader.state().conversations[room.id]).toMatchObject({ readSeq: seq10, unread: 20 });
    expect((await onHub('offlain', reader.password, room.id)).unread).toBe(30);

    line.goOnline();
    await reader.until((s) => s.connection === 'connected', 'back online', 20_000);
    await reader.until(
      (s) => s.conversations[room.id]!.readSeq === seq10 && s.conversations[room.id]!.unread === 20,
      'the marker where it was seen',
    );
    for (let i = 0; i < 100 && (await onHub('offlain', reader.password, room.id)).readSeq !== seq10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await onHub('offlain', reader.password, room.id)).toMatchObject({ readSeq: seq10, unread: 20 });
  });
});
