// The desktop path of the renderer: IpcBackend over the preload bridge (the Electron boundary,
// recorded here by a fake bridge) feeding the state signals through connectBackend.
import { describe, expect, it } from 'vitest';
import type { BackendMethod } from '../../common/client/Backend.ts';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, StatePatch } from '../../common/client/ClientState.ts';
import type { BesedaBridge } from '../../common/ipc/BesedaBridge.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { IpcBackend, isBridge } from '../../renderer/backend/IpcBackend.ts';
import { client, clientSnapshot } from '../../renderer/state/clientState.ts';
import { connectBackend } from '../../renderer/state/connectBackend.ts';

function conversation(id: number, name: string): Conversation {
  return {
    id,
    kind: 'open',
    name,
    topic: '',
    ownerId: 1,
    peerId: null,
    memberCount: 1,
    archived: false,
    createdAt: 0,
    lastSeq: 0,
    lastTs: 0,
    readSeq: 0,
    unread: 0,
    mentions: 0,
  };
}

/** A bridge that records calls and lets the test answer getState and push patches by hand. */
class RecordingBridge implements BesedaBridge {
  readonly calls: { method: BackendMethod; args: unknown[] }[] = [];
  readonly patchListeners = new Set<(patch: StatePatch) => void>();
  answerState: (state: ClientState) => void = () => {};

  invoke(method: BackendMethod, ...args: unknown[]): Promise<unknown> {
    this.calls.push({ method, args });
    if (method === 'getState') return new Promise<ClientState>((resolve) => (this.answerState = resolve));
    return Promise.resolve(undefined);
  }

  onPatch(listener: (patch: StatePatch) => void): () => void {
    this.patchListeners.add(listener);
    return () => this.patchListeners.delete(listener);
  }

  onNavigate(): () => void {
    return () => {};
  }

  push(patch: StatePatch): void {
    for (const listener of this.patchListeners) listener(patch);
  }
}

describe('IpcBackend', () => {
  it('passes every call through the bridge as (method, ...args)', async () => {
    const bridge = new RecordingBridge();
    const backend = new IpcBackend(bridge);
    await backend.send(5, 'привет');
    await backend.createRoom({ name: 'Склад', kind: 'closed', members: [2, 3] });
    await backend.setVisible(false);
    await backend.openExternal('https://example.com');
    expect(bridge.calls).toEqual([
      { method: 'send', args: [5, 'привет'] },
      { method: 'createRoom', args: [{ name: 'Склад', kind: 'closed', members: [2, 3] }] },
      { method: 'setVisible', args: [false] },
      { method: 'openExternal', args: ['https://example.com'] },
    ]);
  });

  it('recognises only a complete bridge', () => {
    expect(isBridge(new RecordingBridge())).toBe(true);
    expect(isBridge({ invoke: () => {} })).toBe(false);
    expect(isBridge(undefined)).toBe(false);
  });

  it('applies the snapshot, then the patches that arrived while it was on its way, then live ones', async () => {
    const bridge = new RecordingBridge();
    const connected = connectBackend(new IpcBackend(bridge));
    // Patches sent after the main process took the snapshot but before it reached the page.
    bridge.push({ conversations: { 7: conversation(7, 'Склад') }, totalUnread: 3 });
    bridge.push({ connection: 'connected' });
    bridge.answerState({
      ...emptyClientState(),
      connection: 'connecting',
      conversations: { 6: conversation(6, 'Бухгалтерия') },
    });
    const unsubscribe = await connected;
    expect(clientSnapshot().connection).toBe('connected');
    expect(Object.keys(clientSnapshot().conversations)).toEqual(['6', '7']);
    expect(client.totalUnread.value).toBe(3);

    const before = client.conversations.value;
    bridge.push({ totalUnread: 0 });
    // Untouched slices keep their identity, so components reading them do not re-render.
    expect(client.conversations.value).toBe(before);
    expect(client.totalUnread.value).toBe(0);

    bridge.push({ conversations: { 6: null } });
    expect(Object.keys(client.conversations.value)).toEqual(['7']);

    unsubscribe();
    bridge.push({ totalUnread: 9 });
    expect(client.totalUnread.value).toBe(0);
  });
});
