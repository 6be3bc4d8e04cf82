import type { Backend } from '../../common/client/Backend.ts';
import type { StatePatch } from '../../common/client/ClientState.ts';
import { applyStatePatch, replaceClientState } from './clientState.ts';

/**
 * Feeds the state signals from a backend: the snapshot first, then every patch. Patches that
 * arrive while the snapshot is on its way are replayed after it; each patch carries whole values,
 * so replaying one the snapshot already contains changes nothing, and none is lost.
 */
export async function connectBackend(backend: Backend): Promise<() => void> {
  let buffered: StatePatch[] | null = [];
  const unsubscribe = backend.subscribe((patch) => {
    if (buffered) buffered.push(patch);
    else applyStatePatch(patch);
  });
  const snapshot = await backend.getState();
  replaceClientState(snapshot);
  const pending = buffered;
  buffered = null;
  for (const patch of pending) applyStatePatch(patch);
  return unsubscribe;
}
