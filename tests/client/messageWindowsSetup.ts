// The start of the MessageWindows unit tests: a fresh store and windows over it with small
// limits, so trimming shows after a few pages.
import type { MessageView } from '../../common/client/ClientState.ts';
import { MessageWindows } from '../../common/client/MessageWindows.ts';
import { StateStore } from '../../common/client/StateStore.ts';

/** A store and MessageWindows over it (keep 5, active 8, hard 12) whose outbox holds `pending`. */
export function messageWindowsSetup(pending: MessageView[] = []): { store: StateStore; windows: MessageWindows } {
  const store = new StateStore();
  const windows = new MessageWindows(store, (id) => pending.filter((p) => p.conversationId === id), {
    keep: 5,
    activeMax: 8,
    hardMax: 12,
  });
  return { store, windows };
}
