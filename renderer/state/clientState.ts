import { batch, signal } from '@preact/signals';
import type { Signal } from '@preact/signals';
import { applyPatch, emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, StatePatch } from '../../common/client/ClientState.ts';

type Slices = { [K in keyof ClientState]: Signal<ClientState[K]> };

let current: ClientState = emptyClientState();

function sliceSignals(state: ClientState): Slices {
  const out: Partial<Record<keyof ClientState, Signal<unknown>>> = {};
  for (const key of Object.keys(state) as (keyof ClientState)[]) out[key] = signal(state[key]);
  return out as Slices;
}

/**
 * The client state as signals, one per {@link ClientState} slice, so a component re-renders only
 * when the slices it reads change. Written only by {@link applyStatePatch} and
 * {@link replaceClientState}; everything else reads.
 */
export const client: Readonly<Slices> = sliceSignals(current);

function publish(next: ClientState): void {
  const prev = current;
  current = next;
  batch(() => {
    for (const key of Object.keys(next) as (keyof ClientState)[]) {
      // applyPatch keeps untouched slices by reference, so only changed slices notify.
      if (next[key] !== prev[key]) (client[key] as Signal<unknown>).value = next[key];
    }
  });
}

/** Applies one patch from the backend. */
export function applyStatePatch(patch: StatePatch): void {
  publish(applyPatch(current, patch));
}

/** Replaces the whole state (the snapshot the backend gave at start). */
export function replaceClientState(state: ClientState): void {
  publish(state);
}

/** The current state as one plain value (for code outside components). */
export function clientSnapshot(): ClientState {
  return current;
}
