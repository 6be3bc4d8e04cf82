import { effect } from '@preact/signals';
import type { Signal } from '@preact/signals';
import { backend } from '../backend/currentBackend.ts';
import { client, clientSnapshot } from './clientState.ts';

/** Typing pauses this long before the draft is handed to the backend (which keeps it on disk). */
const saveDelayMs = 400;

const pending = new Map<number, { text: string; timer: ReturnType<typeof setTimeout> }>();
/** The composer signals of this page, by conversation (filled from the saved drafts until typed into). */
const watched = new Map<number, { draft: Signal<string>; touched: boolean }>();

/** The saved draft of a conversation ('' when none): what a new composer signal starts with. */
export function savedDraft(conversationId: number): string {
  return clientSnapshot().drafts[conversationId] ?? '';
}

function save(conversationId: number, text: string): void {
  pending.delete(conversationId);
  try {
    void backend()
      .saveDraft(conversationId, text)
      .catch(() => undefined);
  } catch {
    // No backend yet or any more (signed out): nothing to keep.
  }
}

/**
 * Keeps a composer signal's text as the conversation's draft (saved after a short pause, so the
 * sidebar shows «Черновик:» and the text survives a reload and a restart). Called once per signal.
 */
export function watchDraft(conversationId: number, draft: Signal<string>): void {
  const entry = { draft, touched: false };
  watched.set(conversationId, entry);
  let first = true;
  effect(() => {
    const text = draft.value;
    if (first) {
      first = false;
      return;
    }
    if (watched.get(conversationId) !== entry) return;
    entry.touched = true;
    const waiting = pending.get(conversationId);
    if (waiting) clearTimeout(waiting.timer);
    if (text.trim() === '' && !(conversationId in client.drafts.peek())) {
      pending.delete(conversationId);
      return;
    }
    // Sending empties the box: the draft goes at once (a reload right after must not bring it back).
    if (text === '') return save(conversationId, text);
    pending.set(conversationId, { text, timer: setTimeout(() => save(conversationId, text), saveDelayMs) });
  });
}

/** Saves what is still waiting (the page is being hidden or closed). */
export function flushDrafts(): void {
  for (const [conversationId, { text, timer }] of [...pending]) {
    clearTimeout(timer);
    save(conversationId, text);
  }
}

/** Forgets the page's composer signals and what waits to be saved (sign-out). */
export function forgetDraftSignals(): void {
  for (const { timer } of pending.values()) clearTimeout(timer);
  pending.clear();
  watched.clear();
}

// Saved drafts arrive after start (the backend loads them from storage): composers opened
// before that and not typed into yet take them.
effect(() => {
  const drafts = client.drafts.value;
  for (const [conversationId, entry] of watched) {
    const saved = drafts[conversationId];
    if (!entry.touched && saved && entry.draft.peek() === '') {
      entry.draft.value = saved;
      entry.touched = false;
    }
  }
});

if (typeof addEventListener === 'function') addEventListener('pagehide', flushDrafts);
