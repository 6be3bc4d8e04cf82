// The pure parts of the client's message actions: copies kept by rev, the optimistic overlay,
// the pinned list, reply quotes and the saved outbox's format (old and new).
import { describe, expect, it } from 'vitest';
import { applyAction, overlayActions } from '../../common/client/actionOverlay.ts';
import type { MessageView } from '../../common/client/ClientState.ts';
import { MessageWindows, mergeBySeq } from '../../common/client/MessageWindows.ts';
import type { OutboxAction } from '../../common/client/OutboxEntry.ts';
import { parseSavedOutbox } from '../../common/client/parseSavedOutbox.ts';
import { withPinChange } from '../../common/client/pinList.ts';
import { quoteOf } from '../../common/client/quoteOf.ts';
import { StateStore } from '../../common/client/StateStore.ts';
import type { Message } from '../../common/protocol/model.ts';
import { message } from '../e2e/sampleState.ts';

const msg = (seq: number, extra: Partial<Message> = {}): Message =>
  message(seq, 1, `text ${seq}`, { clientId: `client-${seq}`, ts: seq * 1000, ...extra });
const view = (m: Message): MessageView => ({ ...m, status: 'sent' });
const action = (kind: OutboxAction['kind'], seq: number, extra: Partial<OutboxAction> = {}): OutboxAction => ({
  clientId: `a-${kind}-${seq}`,
  kind,
  conversationId: 1,
  seq,
  createdAt: 50_000,
  ...extra,
});

describe('copies kept by rev', () => {
  it('merges a page replacing only copies with a newer rev', () => {
    const held = mergeBySeq([], [msg(3, { text: 'new', rev: 9 }), msg(5)]);
    const merged = mergeBySeq(held, [msg(3, { text: 'old', rev: 4 }), msg(4), msg(5, { text: 'edited', rev: 10 })]);
    expect(merged.map((m) => [m.seq, m.text])).toEqual([
      [3, 'new'],
      [4, 'text 4'],
      [5, 'edited'],
    ]);
    expect(mergeBySeq(held, [msg(3, { text: 'unchanged' })]).find((m) => m.seq === 3)!.text).toBe('new');
  });

  it('replaces a held message only with a newer rev, and refreshes the quotes of held replies to it', () => {
    const store = new StateStore();
    const windows = new MessageWindows(store, () => []);
    windows.ensure(1);
    windows.addPage(1, [msg(3), msg(4, { replyTo: { seq: 3, senderId: 2, text: 'text 3' } })], false, true);
    expect(windows.replace(1, msg(3, { text: 'правка', rev: 7 }))).toBe(true);
    expect(windows.replace(1, msg(3, { text: 'старое', rev: 6 }))).toBe(false);
    expect(windows.replace(1, msg(3, { text: 'то же', rev: 7 }))).toBe(false);
    expect(windows.replace(1, msg(99, { rev: 100 }))).toBe(false);
    const items = store.state.messages[1]!.items;
    expect(items[0]!.text).toBe('правка');
    expect(items[1]!.replyTo).toMatchObject({ seq: 3, text: 'правка' });
    windows.replace(1, msg(3, { text: '', deleted: { by: 2, at: 1 }, rev: 8 }));
    expect(store.state.messages[1]!.items[1]!.replyTo).toMatchObject({ seq: 3, text: '', deleted: true });
  });
});

describe('optimistic overlay', () => {
  it('shows each queued change, marks the latest kind, and is idempotent on a copy that already has it', () => {
    const base = view(
      msg(3, { files: [{ id: 'f1', name: 'a.png', size: 1, type: 'image/png', kind: 'image' }] as never }),
    );
    const edited = applyAction(base, action('edit', 3, { text: 'новый' }), 1);
    expect(edited).toMatchObject({ text: 'новый', editedAt: 50_000 });
    const reacted = applyAction(base, action('react', 3, { emoji: '👍', on: true }), 1);
    expect(reacted.reactions).toEqual([{ emoji: '👍', userIds: [1] }]);
    expect(applyAction(reacted, action('react', 3, { emoji: '👍', on: true }), 1)).toBe(reacted);
    expect(applyAction(reacted, action('react', 3, { emoji: '👍', on: false }), 1).reactions).toEqual([]);
    const two = view(msg(3, { reactions: [{ emoji: '👍', userIds: [5] }] }));
    expect(applyAction(two, action('react', 3, { emoji: '👍', on: true }), 1).reactions).toEqual([
      { emoji: '👍', userIds: [5, 1] },
    ]);
    const pinned = applyAction(base, action('pin', 3, { pinned: true }), 1);
    expect(pinned.pinned).toEqual({ by: 1, at: 50_000 });
    expect(applyAction(pinned, action('pin', 3, { pinned: true }), 1)).toBe(pinned);
    const deleted = applyAction(pinned, action('delete', 3), 1);
    expect(deleted).toMatchObject({ text: '', deleted: { by: 1, at: 50_000 } });
    expect(deleted.files).toBeUndefined();
    expect(deleted.pinned).toBeUndefined();
    expect(applyAction(deleted, action('edit', 3, { text: 'после удаления' }), 1).text).toBe('');

    const items = [view(msg(2)), base, view(msg(4))];
    expect(overlayActions(items, [], new Map(), 1)).toBe(items);
    const shown = overlayActions(
      items,
      [action('edit', 3, { text: 'раз' }), action('edit', 3, { text: 'два' }), action('pin', 3, { pinned: true })],
      new Map([[4, { kind: 'delete' as const, code: 'forbidden', message: 'no' }]]),
      1,
    );
    expect(shown[0]).toBe(items[0]);
    expect(shown[1]).toMatchObject({ text: 'два', pendingChange: 'pin', pinned: { by: 1 } });
    expect(shown[2]).toMatchObject({ text: 'text 4', changeError: { kind: 'delete', code: 'forbidden' } });
    expect(items[1]!.pendingChange).toBeUndefined();
  });
});

describe('pinned list', () => {
  it('adds newest pin first, replaces newer copies, removes unpinned and deleted messages', () => {
    let list: readonly Message[] = [];
    list = withPinChange(list, msg(3, { pinned: { by: 1, at: 100 }, rev: 10 }));
    list = withPinChange(list, msg(5, { pinned: { by: 1, at: 200 }, rev: 11 }));
    expect(list.map((m) => m.seq)).toEqual([5, 3]);
    const same = withPinChange(list, msg(3, { text: 'old', pinned: { by: 1, at: 100 }, rev: 9 }));
    expect(same).toBe(list);
    list = withPinChange(list, msg(3, { text: 'edited', pinned: { by: 1, at: 100 }, rev: 12 }));
    expect(list.map((m) => [m.seq, m.text])).toEqual([
      [5, 'text 5'],
      [3, 'edited'],
    ]);
    expect(withPinChange(list, msg(7, { rev: 13 }))).toBe(list);
    list = withPinChange(list, msg(5, { rev: 14 }));
    expect(list.map((m) => m.seq)).toEqual([3]);
    list = withPinChange(list, msg(3, { deleted: { by: 1, at: 1 }, rev: 15 }));
    expect(list).toEqual([]);
  });
});

describe('reply quotes built by the client', () => {
  it('cuts the text to 300 characters, names the first image and the file count, and says deleted', () => {
    const image = { id: 'f2', name: 'b.png', size: 1, type: 'image/png', kind: 'image' } as never;
    const file = { id: 'f1', name: 'a.pdf', size: 1, type: 'application/pdf', kind: 'file' } as never;
    const quote = quoteOf(msg(3, { text: 'ё'.repeat(400), displayName: 'Бот', files: [file, image] }));
    expect(quote).toMatchObject({ seq: 3, senderId: 2, displayName: 'Бот', fileCount: 2, image });
    expect([...quote.text]).toHaveLength(300);
    expect(quoteOf(msg(3, { deleted: { by: 2, at: 1 } }))).toEqual({ seq: 3, senderId: 2, text: '', deleted: true });
  });
});

describe('saved outbox', () => {
  const owner = { v: 1, hubUrl: 'https://hub', userId: 7 };
  const entry = { clientId: 'c1', conversationId: 1, text: 'привет', createdAt: 1, status: 'pending' };

  it('reads an outbox saved before message actions (no actions list)', () => {
    expect(parseSavedOutbox(JSON.stringify({ ...owner, entries: [entry] }))).toEqual({
      ...owner,
      entries: [entry],
      actions: [],
    });
  });

  it('keeps well-formed actions, replies and forwards, and drops damaged ones', () => {
    const good = [
      action('edit', 3, { text: 'x' }),
      action('delete', 3),
      action('react', 3, { emoji: '👍', on: false }),
      action('pin', 3, { pinned: true }),
    ];
    const bad = [
      action('edit', 3),
      action('react', 3, { emoji: '👍' }),
      action('pin', 3, { pinned: 'yes' as never }),
      { ...action('delete', 3), seq: 0 },
      { ...action('delete', 3), kind: 'destroy' },
      null,
      'edit',
    ];
    const reply = { ...entry, clientId: 'c2', replyTo: 3, quote: { seq: 3, senderId: 2, text: 'q' } };
    const forward = {
      ...entry,
      clientId: 'c3',
      text: '',
      forward: { seq: 3, fromConversationId: 1, text: 'orig', forwarded: { senderId: 2, ts: 5 } },
    };
    const damaged = [
      { ...entry, clientId: 'c4', replyTo: -1 },
      { ...entry, clientId: 'c5', quote: { seq: 3 } },
      { ...entry, clientId: 'c6', forward: { seq: 3 } },
    ];
    const parsed = parseSavedOutbox(
      JSON.stringify({ ...owner, entries: [entry, reply, forward, ...damaged], actions: [...good, ...bad] }),
    );
    expect(parsed!.entries.map((e) => e.clientId)).toEqual(['c1', 'c2', 'c3']);
    expect(parsed!.actions).toEqual(good);
    expect(parseSavedOutbox(JSON.stringify({ ...owner, entries: [], actions: 'x' }))!.actions).toEqual([]);
  });
});
