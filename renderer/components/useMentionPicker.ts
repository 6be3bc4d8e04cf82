import type { Signal } from '@preact/signals';
import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { client } from '../state/clientState.ts';
import { insertMention, matchUsers, mentionAt } from '../text/mentions.ts';
import type { MentionQuery } from '../text/mentions.ts';

/** A suggestion for an @mention: a person, or everyone in the room. */
export type Suggestion = { login: string; user: User | null };

function suggestionsFor(conversation: Conversation, query: MentionQuery | null): Suggestion[] {
  if (!query) return [];
  const me = client.me.value;
  const people = matchUsers(Object.values(client.users.value), query.query, me?.id ?? null).map((user) => ({
    login: user.login,
    user,
  }));
  const everyone = conversation.kind !== 'direct' && 'all'.startsWith(query.query.toLowerCase());
  return everyone ? [...people, { login: 'all', user: null }] : people;
}

/** What the message box needs to offer @mentions: see {@link useMentionPicker}. */
export interface MentionPicker {
  suggestions: Suggestion[];
  /** Whether the list is showing (there is something to suggest). */
  open: boolean;
  /** The index of the highlighted suggestion. */
  chosen: number;
  /** Looks at the caret again: is it in an @mention now, and which one. */
  followCaret(el: HTMLTextAreaElement): void;
  /** Puts the suggestion's login in place of the @mention being typed. */
  choose(suggestion: Suggestion): void;
  /** Closes the list. */
  close(): void;
  /** Handles the keys of the open list (arrows, Enter or Tab, Escape); true when the key was its. */
  handleKey(e: KeyboardEvent): boolean;
}

/**
 * The "@" suggestions of a message box: which @mention the caret is in, the people (and "all" in a
 * room) it could be, the highlighted one, and choosing one into the draft.
 */
export function useMentionPicker(
  conversation: Conversation,
  ref: RefObject<HTMLTextAreaElement>,
  draft: Signal<string>,
): MentionPicker {
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const suggestions = suggestionsFor(conversation, mention);
  const open = suggestions.length > 0;
  const chosen = Math.min(active, Math.max(0, suggestions.length - 1));

  const followCaret = (el: HTMLTextAreaElement) => {
    const next = el.selectionStart === el.selectionEnd ? mentionAt(el.value, el.selectionStart) : null;
    if (next?.start !== mention?.start) setActive(0);
    setMention(next);
  };

  const choose = (suggestion: Suggestion) => {
    const el = ref.current;
    if (!el || !mention) return;
    const result = insertMention(el.value, mention, suggestion.login);
    draft.value = result.text;
    el.value = result.text;
    el.setSelectionRange(result.caret, result.caret);
    setMention(null);
    el.focus();
  };

  const handleKey = (e: KeyboardEvent): boolean => {
    if (!open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((chosen + (e.key === 'ArrowDown' ? 1 : -1) + suggestions.length) % suggestions.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      e.preventDefault();
      choose(suggestions[chosen]!);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setMention(null);
      return true;
    }
    return false;
  };

  return { suggestions, open, chosen, followCaret, choose, close: () => setMention(null), handleKey };
}
