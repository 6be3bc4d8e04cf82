import { describe, expect, it } from 'vitest';
import { applyPatch, emptyClientState, type StatePatch } from '../../common/client/ClientState.ts';
import { StateStore } from '../../common/client/StateStore.ts';
import type { Conversation } from '../../common/protocol/model.ts';

const conversation = (id: number, unread: number, mentions = 0, archived = false): Conversation => ({
  id,
  kind: 'open',
  name: `room ${id}`,
  topic: '',
  ownerId: 1,
  peerId: null,
  memberCount: 2,
  archived,
  createdAt: 0,
  lastSeq: 10,
  lastTs: 0,
  readSeq: 0,
  unread,
  mentions,
});

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('StateStore', () => {
  it('coalesces a burst of changes into one patch with only the changed entries', async () => {
    const store = new StateStore();
    const patches: StatePatch[] = [];
    store.subscribe((p) => patches.push(p));
    for (let i = 1; i <= 500; i++) store.setConversation(i % 5, conversation(i % 5, i));
    store.set('connection', 'connected');
    expect(patches).toHaveLength(0);
    await tick();
    expect(patches).toHaveLength(1);
    const patch = patches[0]!;
    expect(Object.keys(patch.conversations!).sort()).toEqual(['0', '1', '2', '3', '4']);
    expect(patch.connection).toBe('connected');
    expect(patch.users).toBeUndefined();
    expect(patch.messages).toBeUndefined();
  });

  it('keeps totals as the sum over conversations that are not archived', async () => {
    const store = new StateStore();
    store.setConversation(1, conversation(1, 3, 1));
    store.setConversation(2, conversation(2, 4, 2));
    store.setConversation(3, conversation(3, 100, 100, true));
    expect(store.state.totalUnread).toBe(7);
    expect(store.state.totalMentions).toBe(3);
    store.setConversation(2, null);
    expect(store.state.totalUnread).toBe(3);
  });

  it('yields patches that rebuild the same state with applyPatch, including removals and resets', async () => {
    const store = new StateStore();
    let mirror = emptyClientState();
    store.subscribe((p) => (mirror = applyPatch(mirror, p)));
    store.setConversation(1, conversation(1, 2));
    store.setConversation(2, conversation(2, 5));
    store.setTyping(1, [7, 8]);
    await tick();
    store.setConversation(1, null);
    store.setTyping(1, []);
    store.set('activeConversationId', 2);
    await tick();
    expect(mirror).toEqual(store.snapshot());
    expect(mirror.typing).toEqual({});
    store.reset({ hubUrl: 'https://hub', connection: 'signed-out' });
    store.setConversation(9, conversation(9, 1));
    await tick();
    expect(mirror).toEqual(store.snapshot());
    expect(Object.keys(mirror.conversations)).toEqual(['9']);
    expect(mirror.totalUnread).toBe(1);
  });

  it('hands out snapshots that later changes do not alter', () => {
    const store = new StateStore();
    store.setConversation(1, conversation(1, 1));
    const before = store.snapshot();
    store.setConversation(2, conversation(2, 1));
    store.setConversation(1, null);
    expect(Object.keys(before.conversations)).toEqual(['1']);
  });

  it('sends nothing for a change that changes nothing', async () => {
    const store = new StateStore();
    const patches: StatePatch[] = [];
    store.subscribe((p) => patches.push(p));
    store.set('connection', 'signed-out');
    store.setConversation(5, null);
    await tick();
    expect(patches).toHaveLength(0);
  });
});
