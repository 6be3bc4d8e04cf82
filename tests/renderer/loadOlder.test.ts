// The "load older history" action: one load at a time per conversation, and an ask made while one
// is under way is carried out after it, not dropped (the list asks again the moment the state says
// the load is over, which is before the action's own await has returned).
import './pageGlobals.ts';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../common/client/Backend.ts';
import { setBackend } from '../../renderer/backend/currentBackend.ts';
import { loadOlder } from '../../renderer/actions/messaging.ts';

/** A backend whose loadOlder calls wait until the test ends each one. */
function recordingBackend() {
  const calls: { conversationId: number; end: () => void }[] = [];
  const backend = {
    loadOlder: (conversationId: number) => new Promise<void>((resolve) => calls.push({ conversationId, end: resolve })),
  } as unknown as Backend;
  return { backend, calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('loadOlder action', () => {
  it('asks once while a load is under way, then once more for the asks made meanwhile', async () => {
    const { backend, calls } = recordingBackend();
    setBackend(backend);
    const first = loadOlder(7);
    void loadOlder(7);
    void loadOlder(7);
    await settle();
    expect(calls.map((c) => c.conversationId)).toEqual([7]);
    calls[0]!.end();
    await first;
    await settle();
    // The two asks made during the first load become one more load, not two and not none.
    expect(calls.map((c) => c.conversationId)).toEqual([7, 7]);
    calls[1]!.end();
    await settle();
    expect(calls).toHaveLength(2);
  });

  it('a load with no ask meanwhile is not repeated; conversations do not wait for each other', async () => {
    const { backend, calls } = recordingBackend();
    setBackend(backend);
    const a = loadOlder(1);
    const b = loadOlder(2);
    await settle();
    expect(calls.map((c) => c.conversationId)).toEqual([1, 2]);
    calls[0]!.end();
    calls[1]!.end();
    await Promise.all([a, b]);
    await settle();
    expect(calls).toHaveLength(2);
  });
});
