import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { members, searchUsers } from '../actions/rooms.ts';
import { applyStatePatch, client } from '../state/clientState.ts';
import { entityAt, insertEntity, insertPlain } from '../text/mentionEntities.ts';
import { matchUsers, mayInvite, mayMentionAll, mentionAt } from '../text/mentions.ts';
import type { MentionQuery } from '../text/mentions.ts';
import { foldForSearch } from '../../common/text/foldForSearch.ts';
import type { MentionText } from './useMentionText.ts';

/** A suggestion for an @mention: a person (and whether they are in the conversation), or everyone. */
export type Suggestion = { login: string; user: User | null; member: boolean };

const maxSuggestions = 8;

/**
 * Who is in the conversation, as far as the page knows: everyone in the general room, the two
 * people of a direct one, a room's member list (fetched, which also makes their names known to
 * the page; the general room's too, for that).
 */
export function useMemberIds(conversation: Conversation): (userId: number) => boolean {
  const room = conversation.kind === 'open' || conversation.kind === 'closed';
  // The general room's list too: everyone is in it, and fetching it makes their names known here.
  const listed = room || conversation.kind === 'general';
  const [list, setList] = useState<{ conversationId: number; ids: ReadonlySet<number> } | null>(null);
  useEffect(() => {
    if (!listed) return;
    let current = true;
    void members(conversation.id).then((result) => {
      if (current && result) setList({ conversationId: conversation.id, ids: new Set(result.map((m) => m.userId)) });
    });
    return () => {
      current = false;
    };
  }, [conversation.id, conversation.memberCount, listed]);
  const me = client.me.value;
  if (conversation.kind === 'general') return () => true;
  if (conversation.kind === 'direct') return (id) => id === conversation.peerId || id === me?.id;
  // Until the list comes, nobody is taken for an outsider (no question on sending, no tag).
  if (list?.conversationId !== conversation.id) return () => true;
  const ids = list.ids;
  return (id) => ids.has(id);
}

function suggestionsFor(
  conversation: Conversation,
  query: MentionQuery | null,
  isMember: (userId: number) => boolean,
): Suggestion[] {
  if (!query) return [];
  const me = client.me.value;
  const people = matchUsers(Object.values(client.users.value), query.query, me?.id ?? null, 50).filter((u) => !u.isBot);
  // Members first; then people who could be added, where the user may add them (elsewhere a
  // mention of them would reach nobody, so they are not offered).
  const members = people.filter((u) => isMember(u.id));
  const others = mayInvite(me, conversation) ? people.filter((u) => !isMember(u.id)) : [];
  const out: Suggestion[] = [...members, ...others]
    .slice(0, maxSuggestions)
    .map((user) => ({ login: user.login, user, member: isMember(user.id) }));
  const q = foldForSearch(query.query);
  const everyone =
    conversation.kind !== 'direct' && mayMentionAll(me, conversation) && ['all', 'все'].some((w) => w.startsWith(q));
  return everyone ? [...out, { login: 'all', user: null, member: true }] : out;
}

/**
 * Asks the hub's directory for people matching the @query (a moment after typing stops), so
 * people the page has not met yet can be offered too; they join the known users.
 */
function useDirectory(query: string | null, wanted: boolean): void {
  useEffect(() => {
    if (!wanted || query === null || query.trim() === '') return;
    let current = true;
    const timer = setTimeout(() => {
      void searchUsers(query.trim()).then((users) => {
        if (current && users?.length) applyStatePatch({ users: Object.fromEntries(users.map((u) => [u.id, u])) });
      });
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, wanted]);
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
  /** Puts the suggestion in place of the @mention being typed: a person's name, or `@all`. */
  choose(suggestion: Suggestion): void;
  /** Closes the list. */
  close(): void;
  /** Whether a user is in the conversation (as far as the page knows). */
  isMember(userId: number): boolean;
  /** Handles the keys of the open list (arrows, Enter or Tab, Escape); true when the key was its. */
  handleKey(e: KeyboardEvent): boolean;
}

/**
 * The "@" suggestions of a message box: which @mention the caret is in, the people it could be
 * (matched by the one folding rule: «федорова» finds «Фёдорова»; members first, then people who
 * could be added; "all" only where the hub would honour it), the highlighted one, and choosing one
 * into the text as a name.
 */
export function useMentionPicker(
  conversation: Conversation,
  ref: RefObject<HTMLTextAreaElement>,
  mentionText: MentionText,
): MentionPicker {
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const isMember = useMemberIds(conversation);
  const me = client.me.value;
  // Offline the directory cannot answer (and a failed search would only raise a notice).
  const online = client.connection.value === 'connected';
  useDirectory(mention?.query ?? null, online && (conversation.kind === 'general' || mayInvite(me, conversation)));
  const suggestions = suggestionsFor(conversation, mention, isMember);
  const open = suggestions.length > 0;
  const chosen = Math.min(active, Math.max(0, suggestions.length - 1));

  const followCaret = (el: HTMLTextAreaElement) => {
    const caret = el.selectionStart;
    const inName = entityAt(mentionText.text, caret) !== undefined;
    let next = caret === el.selectionEnd && !inName ? mentionAt(el.value, caret) : null;
    // "@Анна Фёдорова к": the "@" of a chosen name does not start a new @query.
    if (next && mentionText.text.entities.some((e) => e.start === next!.start)) next = null;
    if (next?.start !== mention?.start) setActive(0);
    setMention(next);
  };

  const choose = (suggestion: Suggestion) => {
    const el = ref.current;
    if (!el || !mention) return;
    const end = mention.start + 1 + mention.query.length;
    const result = suggestion.user
      ? insertEntity(mentionText.text, mention.start, end, suggestion.user)
      : insertPlain(mentionText.text, mention.start, end, '@all');
    mentionText.apply(result, el);
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

  return { suggestions, open, chosen, followCaret, choose, close: () => setMention(null), handleKey, isMember };
}
