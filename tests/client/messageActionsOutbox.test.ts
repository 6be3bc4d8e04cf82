// The outbox carries changes to stored messages (edit, delete, react, pin) as well as messages:
// shown at once, kept across a restart, sent exactly once when connected, undone when refused.
// Real hub, real sockets, real storage files.
import { describe, expect, it } from 'vitest';
import type { ClientState, MessageView } from '../../common/client/ClientState.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { signedIn, testClient, useClientHub } from './clientHarness.ts';
import { SwitchableLine } from './switchableLine.ts';

const { hub, track, fast } = useClientHub();

/** The message with this seq as a client shows it. */
function shown(s: ClientState, conversationId: number, seq: number): MessageView | undefined {
  return s.messages[conversationId]?.items.find((m) => m.seq === seq);
}

/** The saved actions in a client's storage file. */
function savedActions(storage: { readNow(): Record<string, string> }): { kind: string; seq: number }[] {
  const raw = storage.readNow()['beseda.outbox'];
  return raw ? ((JSON.parse(raw) as { actions?: { kind: string; seq: number }[] }).actions ?? []) : [];
}

/** A room of `owner` with `members`, created over a raw socket. */
async function room(login: string, password: string, name: string, members: number[]): Promise<number> {
  const { token } = await hub.login(login, password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  try {
    const { conversation } = await socket.request<{ conversation: { id: number } }>('rooms.create', {
      name,
      kind: 'open',
      members,
    });
    return conversation.id;
  } finally {
    socket.close();
  }
}

/** Sends and waits until the hub stored it; returns its seq. */
async function stored(c: Awaited<ReturnType<typeof signedIn>>, conversationId: number, text: string): Promise<number> {
  await c.client.send(conversationId, text);
  const s = await c.until(
    (s) => !!s.messages[conversationId]?.items.some((m) => m.text === text && m.status === 'sent'),
    `«${text}» stored`,
  );
  return s.messages[conversationId]!.items.find((m) => m.text === text)!.seq;
}

/**
 * Two people signed in (the first on `line`), a room of both made by the first, open on the
 * first's screen with `texts` stored from it (their seqs in order), then open on the second's.
 */
async function pairInRoom(logins: [string, string], name: string, line: SwitchableLine, texts: string[]) {
  const anna = track(await signedIn(hub, logins[0], { tuning: fast, createSocket: line.createSocket }));
  const boris = track(await signedIn(hub, logins[1], { tuning: fast }));
  const conv = await room(logins[0], anna.password, name, [boris.id]);
  await anna.until((s) => conv in s.conversations, `${logins[0]} has the room`);
  await anna.client.setActiveConversation(conv);
  const seqs: number[] = [];
  for (const text of texts) seqs.push(await stored(anna, conv, text));
  await boris.until((s) => conv in s.conversations, `${logins[1]} has the room`);
  await boris.client.setActiveConversation(conv);
  return { anna, boris, conv, seqs };
}

describe('message actions in the outbox', () => {
  it('shows changes made offline at once, keeps them across a restart, and sends each exactly once when back', async () => {
    const line = new SwitchableLine();
    const { anna, boris, conv, seqs } = await pairInRoom(['anna', 'boris'], 'Склад', line, [
      'первое',
      'второе',
      'третье',
    ]);
    const [first, second, third] = seqs as [number, number, number];
    await boris.until((s) => !!shown(s, conv, third), 'boris sees the messages');

    line.goOffline();
    await anna.until((s) => s.connection !== 'connected', 'anna is offline');
    await anna.client.editMessage(conv, first, 'первое, **исправлено**');
    await anna.client.deleteMessage(conv, second);
    await anna.client.react(conv, third, '👍', true);
    await anna.client.pin(conv, third, true);

    // Shown at once, marked as not acknowledged yet.
    let s = anna.state();
    expect(shown(s, conv, first)).toMatchObject({ text: 'первое, **исправлено**', pendingChange: 'edit' });
    expect(shown(s, conv, first)!.editedAt).toBeGreaterThan(0);
    expect(shown(s, conv, second)).toMatchObject({ text: '', pendingChange: 'delete', deleted: { by: anna.id } });
    expect(shown(s, conv, third)).toMatchObject({
      pendingChange: 'pin',
      reactions: [{ emoji: '👍', userIds: [anna.id] }],
      pinned: { by: anna.id },
    });
    // Durable as soon as the calls resolved.
    expect(savedActions(anna.storage).map((a) => [a.kind, a.seq])).toEqual([
      ['edit', first],
      ['delete', second],
      ['react', third],
      ['pin', third],
    ]);

    // The app restarts while still offline: the changes are still there.
    anna.dispose();
    const line2 = new SwitchableLine(true);
    const anna2 = track(await testClient({ storage: anna.storage, tuning: fast, createSocket: line2.createSocket }));
    expect(savedActions(anna2.storage)).toHaveLength(4);
    expect(line.frames('message.edit')).toEqual([]);

    line2.goOnline();
    anna2.client.notifyNetworkChange();
    await anna2.client.setActiveConversation(conv);
    s = await anna2.until(
      (s) =>
        s.connection === 'connected' &&
        shown(s, conv, first)?.text === 'первое, **исправлено**' &&
        shown(s, conv, first)?.pendingChange === undefined &&
        !!shown(s, conv, third)?.pinned &&
        shown(s, conv, third)?.pendingChange === undefined &&
        !!shown(s, conv, second)?.deleted,
      'anna2 sent the changes and holds the hub’s copies',
    );
    expect(shown(s, conv, first)!.rev).toBeGreaterThan(first);
    await anna2.client.flushStorage();
    expect(savedActions(anna2.storage)).toEqual([]);
    // One frame each: nothing was sent twice.
    for (const type of ['message.edit', 'message.delete', 'message.react', 'message.pin'])
      expect(line2.frames(type), type).toHaveLength(1);

    // Another member sees them, live.
    const b = await boris.until(
      (s) =>
        shown(s, conv, first)?.text === 'первое, **исправлено**' &&
        !!shown(s, conv, second)?.deleted &&
        !!shown(s, conv, third)?.pinned &&
        shown(s, conv, third)?.reactions?.[0]?.userIds.includes(anna.id) === true,
      'boris sees every change',
    );
    expect(shown(b, conv, second)).toMatchObject({ text: '' });
    expect(shown(b, conv, second)!.files).toBeUndefined();
  });

  it('sends a change again with the same clientId after a lost answer, and the hub applies it once', async () => {
    const line = new SwitchableLine();
    const { anna, boris, conv, seqs } = await pairInRoom(['alla', 'bogdan'], 'Потеря ответа', line, ['до правки']);
    const seq = seqs[0]!;

    // The hub applies the edit, and the line drops before its answer arrives.
    line.cutOnce(
      (frame) => frame.includes('"message"') && frame.includes('после правки') && !frame.includes('message.updated'),
    );
    await anna.client.editMessage(conv, seq, 'после правки');
    const s = await anna.until(
      (s) =>
        s.connection === 'connected' &&
        shown(s, conv, seq)?.text === 'после правки' &&
        shown(s, conv, seq)?.pendingChange === undefined,
      'acknowledged after the reconnect',
      20_000,
    );
    const edits = line.frames('message.edit');
    expect(edits.length).toBe(2);
    expect(edits[1]!.clientId).toBe(edits[0]!.clientId);
    // The repeat was answered with the message as it was: one update, one rev.
    const b = await boris.until((s) => shown(s, conv, seq)?.text === 'после правки', 'boris has the edit');
    expect(shown(b, conv, seq)!.rev).toBe(shown(s, conv, seq)!.rev);
    const { token } = await hub.login('bogdan', boris.password);
    const raw = await TestSocket.open(hub.wsUrl, token);
    try {
      const page = await raw.request<{ updates: { kind: string; message: { seq: number } }[] }>('sync', {
        since: seq,
        limit: 100,
      });
      expect(page.updates.filter((u) => u.message.seq === seq && u.kind === 'edit')).toHaveLength(1);
    } finally {
      raw.close();
    }
  });

  it('shows the hub’s state again with changeError when a change is refused, until dismissed', async () => {
    const anna = track(await signedIn(hub, 'arina', { tuning: fast }));
    const boris = track(await signedIn(hub, 'bronislav', { tuning: fast }));
    const conv = await room('arina', anna.password, 'Отказы', [boris.id]);
    await boris.until((s) => conv in s.conversations, 'boris has the room');
    await boris.client.setActiveConversation(conv);
    await anna.client.setActiveConversation(conv);
    const annas = await stored(anna, conv, 'сообщение Арины');
    await boris.until((s) => !!shown(s, conv, annas), 'boris sees it');

    // Boris may not edit Arina's message: shown at once, then undone by the hub's refusal.
    const editing = boris.client.editMessage(conv, annas, 'подделка');
    expect(shown(boris.state(), conv, annas)).toMatchObject({ text: 'подделка', pendingChange: 'edit' });
    await editing;
    let s = await boris.until((s) => !!shown(s, conv, annas)?.changeError, 'the refusal shows');
    expect(shown(s, conv, annas)).toMatchObject({
      text: 'сообщение Арины',
      changeError: { kind: 'edit', code: 'forbidden' },
    });
    expect(shown(s, conv, annas)!.pendingChange).toBeUndefined();
    expect(shown(s, conv, annas)!.editedAt).toBeUndefined();
    expect(shown(s, conv, annas)!.changeError!.message).not.toBe('');

    // Nor delete it (not the owner of the room, not an administrator).
    await boris.client.deleteMessage(conv, annas);
    s = await boris.until((s) => shown(s, conv, annas)?.changeError?.kind === 'delete', 'the delete refused');
    expect(shown(s, conv, annas)).toMatchObject({ text: 'сообщение Арины', changeError: { code: 'forbidden' } });
    expect(shown(s, conv, annas)!.deleted).toBeUndefined();

    await boris.client.dismissChangeError(conv, annas);
    s = await boris.until((s) => shown(s, conv, annas)?.changeError === undefined, 'dismissed');
    expect(shown(s, conv, annas)!.text).toBe('сообщение Арины');
    // Nothing changed on the hub: Arina's copy is as she wrote it.
    expect(shown(anna.state(), conv, annas)).toMatchObject({ text: 'сообщение Арины' });
    expect(shown(anna.state(), conv, annas)!.rev).toBeUndefined();
  });

  it('sets the room’s pin rule; a member’s pin under `owners` is refused and undone, the owner’s goes through', async () => {
    const anna = track(await signedIn(hub, 'ada', { tuning: fast }));
    const boris = track(await signedIn(hub, 'bazhen', { tuning: fast }));
    const conv = await room('ada', anna.password, 'Закрепы', [boris.id]);
    await anna.client.setActiveConversation(conv);
    const seq = await stored(anna, conv, 'важное');
    await anna.client.updateRoom(conv, { pinRule: 'owners' });
    expect(anna.state().conversations[conv]!.pinRule).toBe('owners');
    await boris.until((s) => s.conversations[conv]?.pinRule === 'owners', 'boris learns the rule');
    await boris.client.setActiveConversation(conv);
    await boris.until((s) => !!shown(s, conv, seq), 'boris sees the message');

    await boris.client.pin(conv, seq, true);
    expect(shown(boris.state(), conv, seq)).toMatchObject({ pendingChange: 'pin', pinned: { by: boris.id } });
    const refused = await boris.until((s) => !!shown(s, conv, seq)?.changeError, 'refused');
    expect(shown(refused, conv, seq)).toMatchObject({ changeError: { kind: 'pin', code: 'forbidden' } });
    expect(shown(refused, conv, seq)!.pinned).toBeUndefined();

    await anna.client.pin(conv, seq, true);
    await boris.until((s) => shown(s, conv, seq)?.pinned?.by === anna.id, 'the owner’s pin reaches boris');
    await anna.until(
      (s) => shown(s, conv, seq)?.pinned !== undefined && !shown(s, conv, seq)?.pendingChange,
      'acknowledged',
    );
  });

  it('refuses locally what the hub would refuse for sure: no change to a pending message, no non-emoji reaction', async () => {
    const anna = track(await signedIn(hub, 'agata', { tuning: fast }));
    const conv = await room('agata', anna.password, 'Локально', []);
    await anna.until((s) => conv in s.conversations, 'room known');
    await expect(anna.client.editMessage(conv, 0, 'x')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(anna.client.react(conv, 5, 'ok', true)).rejects.toMatchObject({ code: 'bad_request' });
    const seq = await stored(anna, conv, 'текст');
    await expect(anna.client.editMessage(conv, seq, '   ')).rejects.toMatchObject({ code: 'bad_request' });
    await anna.client.flushStorage();
    expect(savedActions(anna.storage)).toEqual([]);
  });
});
