import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SlashCommand } from '../../common/protocol/model.ts';
import { foldForSearch } from '../../common/text/foldForSearch.ts';
import { loadSlashCommands, slashCommands } from '../actions/botActions.ts';
import { insertPlain } from '../text/mentionEntities.ts';
import type { MentionText } from './useMentionText.ts';

const maxShown = 8;

/** What the message box needs to offer slash commands: see {@link useSlashCommands}. */
export interface SlashPicker {
  /** The commands matching what is typed after «/». */
  matches: SlashCommand[];
  open: boolean;
  chosen: number;
  /** Puts `/name ` in the box, ready for the arguments. */
  choose(command: SlashCommand): void;
  close(): void;
  /** The open list's keys (arrows, Enter or Tab, Escape); true when the key was its. */
  handleKey(e: KeyboardEvent): boolean;
}

/**
 * The «/» suggestions of a message box, after the @ list's pattern (useMentionPicker): while the
 * box holds only `/` and the start of a name, the registered commands whose names begin with it
 * (name, usage, description) are listed; the list is fetched from the hub the first time «/» is
 * typed. Escape hides it until the text changes.
 */
export function useSlashCommands(ref: RefObject<HTMLTextAreaElement>, mentionText: MentionText): SlashPicker {
  const display = mentionText.text.display;
  const typed = /^\/([\p{L}\p{N}_-]*)$/u.exec(display)?.[1] ?? null;
  const [, setActiveState] = useState(0);
  // Also kept in a ref: keys pressed faster than the list re-renders must count from the last one.
  const activeRef = useRef(0);
  const setActive = (n: number) => {
    activeRef.current = n;
    setActiveState(n);
  };
  const [hiddenFor, setHiddenFor] = useState<string | null>(null);
  // Fetched at the first «/» (a pasted `/остаток 12345` too, so that Enter finds it known).
  const slashFirst = display.startsWith('/');
  useEffect(() => {
    if (slashFirst) void loadSlashCommands();
  }, [slashFirst]);
  useEffect(() => setActive(0), [typed]);
  const q = typed === null ? null : foldForSearch(typed);
  const matches =
    q === null || hiddenFor === display
      ? []
      : (slashCommands.value ?? []).filter((c) => foldForSearch(c.name.slice(1)).startsWith(q)).slice(0, maxShown);
  const open = matches.length > 0;
  const chosen = Math.min(activeRef.current, Math.max(0, matches.length - 1));

  const choose = (command: SlashCommand) => {
    const el = ref.current;
    if (!el) return;
    mentionText.apply(insertPlain(mentionText.text, 0, mentionText.text.display.length, command.name), el);
    el.focus();
  };

  const handleKey = (e: KeyboardEvent): boolean => {
    if (!open || e.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const from = Math.min(activeRef.current, matches.length - 1);
      setActive((from + (e.key === 'ArrowDown' ? 1 : -1) + matches.length) % matches.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      e.preventDefault();
      choose(matches[Math.min(activeRef.current, matches.length - 1)]!);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setHiddenFor(display);
      return true;
    }
    return false;
  };

  return { matches, open, chosen, choose, close: () => setHiddenFor(display), handleKey };
}
