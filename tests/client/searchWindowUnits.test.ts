// Message windows opened around an older message (issue 14): the detached run, what live
// messages do to it, paging forward to the newest, and dropping it when the conversation is left.
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { Message } from '../../common/protocol/model.ts';
import { messageWindowsSetup } from './messageWindowsSetup.ts';
import { message } from '../e2e/sampleState.ts';

const msg = (seq: number, conversationId = 1): Message =>
  message(seq, conversationId, `text ${seq}`, { clientId: `client-${seq}`, ts: seq * 1000 });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
const seqs = (items: readonly MessageView[]) => items.map((m) => m.seq || m.clientId);

const setup = messageWindowsSetup;

describe('a window opened around an older message', () => {
  it('replaces the held run, says hasNewer, and takes no live message after its end', () => {
    const { store, windows } = setup();
    windows.setActive(1);
    windows.ensure(1);
    windows.addPage(1, range(90, 95), true, true);
    const epoch = windows.epoch(1);
    windows.replaceRun(1, range(20, 24), true, true);
    expect(windows.epoch(1)).not.toBe(epoch);
    let w = store.state.messages[1]!;
    expect(seqs(w.items)).toEqual([20, 21, 22, 23, 24]);
    expect(w).toMatchObject({ hasOlder: true, hasNewer: true });
    expect(windows.isDetached(1)).toBe(true);

    windows.merge(1, [msg(96)]);
    expect(seqs(store.state.messages[1]!.items)).toEqual([20, 21, 22, 23, 24]);
    // A copy of a held message (an edit) still replaces it.
    windows.merge(1, [{ ...msg(22), text: 'изменено', rev: 5 }]);
    expect(store.state.messages[1]!.items.find((m) => m.seq === 22)!.text).toBe('изменено');

    windows.addNewerPage(1, range(25, 27), true);
    w = store.state.messages[1]!;
    expect(seqs(w.items)).toEqual([20, 21, 22, 23, 24, 25, 26, 27]);
    expect(w.hasNewer).toBe(true);
    windows.addNewerPage(1, range(28, 29), false);
    w = store.state.messages[1]!;
    expect(w.hasNewer).toBeUndefined();
    expect(windows.isDetached(1)).toBe(false);
    // Live again: new messages are appended (the oldest dropped beyond the bound).
    windows.merge(1, [msg(30)]);
    expect(seqs(store.state.messages[1]!.items).at(-1)).toBe(30);
  });

  it('shows loadingNewer only while loading, and keeps outbox entries at the end', () => {
    const pending: MessageView[] = [{ ...msg(1), seq: 0, clientId: 'pending-1', status: 'pending' }];
    const { store, windows } = setup(pending);
    windows.replaceRun(1, range(10, 12), false, true);
    windows.setLoadingNewer(1, true);
    expect(store.state.messages[1]).toMatchObject({ loadingNewer: true, hasNewer: true, hasOlder: false });
    windows.setLoadingNewer(1, false);
    expect('loadingNewer' in store.state.messages[1]!).toBe(false);
    expect(seqs(store.state.messages[1]!.items)).toEqual([10, 11, 12, 'pending-1']);
    expect(windows.heldAfter(1, 10).map((m) => m.seq)).toEqual([11, 12]);
  });

  it('is dropped when the user leaves the conversation (it opens at the newest next time); a live one is kept', () => {
    const { store, windows } = setup();
    windows.setActive(1);
    windows.replaceRun(1, range(10, 12), true, true);
    windows.ensure(2);
    windows.addPage(2, range(50, 52), false, true);
    windows.setActive(2);
    expect(store.state.messages[1]).toBeUndefined();
    expect(windows.has(1)).toBe(false);
    windows.replaceRun(2, range(40, 41), true, false);
    windows.setActive(1);
    expect(seqs(store.state.messages[2]!.items)).toEqual([40, 41]);
    expect(windows.isLoaded(2)).toBe(true);
  });
});
