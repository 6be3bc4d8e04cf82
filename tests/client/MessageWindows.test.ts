import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../common/client/ClientState.ts';
import { mergeBySeq } from '../../common/client/MessageWindows.ts';
import type { Message } from '../../common/protocol/model.ts';
import { messageWindowsSetup } from './messageWindowsSetup.ts';
import { message } from '../e2e/sampleState.ts';

const msg = (seq: number, conversationId = 1): Message =>
  message(seq, conversationId, `text ${seq}`, { clientId: `client-${seq}`, ts: seq * 1000 });
const seqs = (items: readonly MessageView[]) => items.map((m) => m.seq);

describe('mergeBySeq', () => {
  it('appends newer messages and merges older or overlapping ones in order without duplicates', () => {
    const a = mergeBySeq([], [msg(3), msg(5)]);
    expect(seqs(a)).toEqual([3, 5]);
    expect(seqs(mergeBySeq(a, [msg(7), msg(9)]))).toEqual([3, 5, 7, 9]);
    expect(seqs(mergeBySeq(a, [msg(1), msg(4), msg(5), msg(6)]))).toEqual([1, 3, 4, 5, 6]);
    expect(seqs(mergeBySeq(a, [msg(5), msg(3)]))).toEqual([3, 5]);
    expect(a.every((m) => m.status === 'sent')).toBe(true);
  });
});

describe('MessageWindows', () => {
  const setup = messageWindowsSetup;

  it('keeps outbox entries after the stored messages', () => {
    const pending: MessageView[] = [{ ...msg(1), seq: 0, clientId: 'pending-1', status: 'pending' }];
    const { store, windows } = setup(pending);
    windows.ensure(1);
    windows.merge(1, [msg(10), msg(11)]);
    expect(store.state.messages[1]!.items.map((m) => m.seq || m.clientId)).toEqual([10, 11, 'pending-1']);
  });

  it('drops the oldest messages beyond the bound and says older ones exist', () => {
    const { store, windows } = setup();
    windows.ensure(1);
    windows.addPage(1, [msg(1), msg(2)], false, true);
    expect(store.state.messages[1]!.hasOlder).toBe(false);
    windows.merge(
      1,
      [3, 4, 5, 6, 7].map((s) => msg(s)),
    );
    expect(seqs(store.state.messages[1]!.items)).toEqual([3, 4, 5, 6, 7]);
    expect(store.state.messages[1]!.hasOlder).toBe(true);
  });

  it('lets the conversation on screen grow to its larger bound, and trims it back when left', () => {
    const { store, windows } = setup();
    windows.ensure(1);
    windows.setActive(1);
    windows.merge(
      1,
      [1, 2, 3, 4, 5, 6, 7].map((s) => msg(s)),
    );
    expect(seqs(store.state.messages[1]!.items)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    windows.setActive(null);
    expect(seqs(store.state.messages[1]!.items)).toEqual([3, 4, 5, 6, 7]);
  });

  it('keeps what the user scrolled back to while on screen, up to the hard bound', () => {
    const { store, windows } = setup();
    windows.ensure(1);
    windows.setActive(1);
    windows.addPage(
      1,
      [11, 12, 13, 14, 15, 16, 17, 18].map((s) => msg(s)),
      true,
      true,
    );
    windows.addPage(
      1,
      [5, 6, 7, 8, 9, 10].map((s) => msg(s)),
      true,
      false,
    );
    expect(seqs(store.state.messages[1]!.items)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(windows.olderState(1)).toMatchObject({ before: 7, hasOlder: false, count: 12 });
    windows.merge(1, [msg(19)]);
    expect(seqs(store.state.messages[1]!.items)[0]).toBe(8);
    windows.setActive(2);
    expect(seqs(store.state.messages[1]!.items)).toEqual([15, 16, 17, 18, 19]);
    expect(windows.olderState(1).hasOlder).toBe(true);
  });

  it('ignores messages for conversations without a window', () => {
    const { store, windows } = setup();
    windows.merge(2, [msg(1, 2)]);
    expect(store.state.messages[2]).toBeUndefined();
    expect(windows.holds(2, 1)).toBe(false);
  });
});
