import type { Signal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import type { User } from '../../common/protocol/model.ts';
import { client } from '../state/clientState.ts';
import { fromWire, reconcile, toWire } from '../text/mentionEntities.ts';
import type { ComposerText, Replacement } from '../text/mentionEntities.ts';
import { usersByLogin } from '../text/mentions.ts';

// What each text signal (a conversation's draft, an edit in progress) shows, with its mention
// spans. Kept beside the signal, not in it: the signal holds the wire text (`@login`), which the
// draft store, the edit, the outbox and the hub all read.
// `set`: the text came from outside (not typed since), so it is shown again with names when more
// people become known (a draft restored before the member lists came).
// The box's recent texts with their names (newest last): a change that brings back one of them
// exactly (undo, redo, the event of `apply`'s own edit) brings its names back too.
const recent = new WeakMap<Signal<string>, ComposerText[]>();
const recentMax = 50;

function remember(wire: Signal<string>, text: ComposerText): void {
  const list = recent.get(wire) ?? [];
  list.push(text);
  if (list.length > recentMax) list.shift();
  recent.set(wire, list);
}

function recall(wire: Signal<string>, display: string): ComposerText | undefined {
  return recent.get(wire)?.findLast((t) => t.display === display);
}
const shown = new WeakMap<Signal<string>, { text: ComposerText; set: ReadonlyMap<string, User> | null }>();

/** The message box's view of a wire-text signal: see {@link useMentionText}. */
export interface MentionText {
  /** What the box shows and where the names are. */
  text: ComposerText;
  /** The box's text changed (typing, pasting, undo): entities follow or break, the signal gets the wire text. */
  input(el: HTMLTextAreaElement): void;
  /** Puts a changed text (a chosen mention) in the box and the signal, with the caret at `caret`. */
  apply(result: Replacement, el: HTMLTextAreaElement): void;
}

/**
 * Mentions by name over a wire-text signal. The box shows `@Имя Фамилия` where the signal has
 * `@login`; when the signal is set from elsewhere (a message taken for editing, a draft restored or
 * put back, the box cleared after sending) its `@login`s of known people are shown as names again.
 */
export function useMentionText(wire: Signal<string>): MentionText {
  const users = client.users.value;
  const byLogin = useMemo(() => usersByLogin(users), [users]);
  const value = wire.value;
  let entry = shown.get(wire);
  if (!entry || toWire(entry.text) !== value || (entry.set !== null && entry.set !== byLogin)) {
    entry = { text: fromWire(value, byLogin), set: byLogin };
    shown.set(wire, entry);
    remember(wire, entry.text);
  }
  const current = entry.text;
  return {
    text: current,
    input(el) {
      const next = recall(wire, el.value) ?? reconcile(shown.get(wire)?.text ?? current, el.value, el.selectionEnd);
      remember(wire, next);
      shown.set(wire, { text: next, set: null });
      wire.value = toWire(next);
    },
    apply(result, el) {
      // Typed into the box as the user's own edit, so Ctrl+Z takes the name back out (its input
      // event lands in `input` above, which then knows the new entity); else set directly.
      const { start, end, inserted } = result.replaced;
      remember(wire, result.text);
      el.focus();
      el.setSelectionRange(start, end);
      let typed = false;
      try {
        typed = document.execCommand('insertText', false, inserted) && el.value === result.text.display;
      } catch {
        typed = false;
      }
      if (!typed) {
        shown.set(wire, { text: result.text, set: null });
        wire.value = toWire(result.text);
        el.value = result.text.display;
      }
      el.setSelectionRange(result.caret, result.caret);
    },
  };
}
