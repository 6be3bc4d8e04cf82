import type { Conversation, User } from '../../common/protocol/model.ts';
import { mayMentionAll as mayMentionAllBy } from '../../common/protocol/messagePermissions.ts';
import { foldForSearch } from '../../common/text/foldForSearch.ts';
import { charBefore } from './linkify.ts';

/** An @mention being typed: where its "@" is and what follows it so far. */
export interface MentionQuery {
  start: number;
  query: string;
}

/**
 * The @mention the caret is in, if any: "@" at the start or after whitespace, then letters,
 * digits, `.`, `_` or `-` up to the caret; one space may follow the first word, so a name can be
 * typed as it is said («@Мария Ив»).
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const match = /(^|\s)@([\p{L}\p{N}._-]*(?: [\p{L}\p{N}._-]*)?)$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/**
 * People to offer for a mention, compared by the one search rule (case and ё/е folded, so
 * «федорова» finds «Фёдорова»): logins or name words starting with the query first, then those
 * containing it; a query of two words matches the name from its start («мария ив»). Bots and
 * disabled accounts are left out; at most `limit`.
 */
export function matchUsers(users: readonly User[], query: string, excludeId: number | null, limit = 6): User[] {
  const q = foldForSearch(query);
  const scored: { user: User; score: number }[] = [];
  for (const user of users) {
    if (user.disabled || user.id === excludeId) continue;
    const login = foldForSearch(user.login);
    const name = foldForSearch(user.name);
    const words = name.split(/\s+/);
    let score = -1;
    if (login.startsWith(q)) score = 0;
    else if (name.startsWith(q) || words.some((w) => w.startsWith(q))) score = 1;
    else if (login.includes(q) || name.includes(q)) score = 2;
    if (score >= 0) scored.push({ user, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.user.name.localeCompare(b.user.name, 'ru'))
    .slice(0, limit)
    .map((s) => s.user);
}

// The hub's rule (hub/ops/parseMentions.ts): an @ that does not continue a word or an e-mail
// address, then a login-like token. The "does not continue" part is checked in code, not by a
// lookbehind, which WebKit before 16.4 (the legacy bundle's engines, docs/embedding.md) cannot parse.
const mentionPattern = /@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;
const continuesWord = /[\p{L}\p{N}_.@-]/u;
const allWords = new Set(['all', 'все']);

/** An `@login` in the text as the hub reads it: where it is and the word after the "@" as written. */
export interface WireMention {
  start: number;
  /** The login as written (`ivan`, `Ivan`); trailing `.`, `_`, `-` are punctuation unless a login has them. */
  word: string;
}

/** The `@login` words of a text in order (not `@all` / `@все`), as the hub would find them. */
export function wireMentions(text: string): WireMention[] {
  const out: WireMention[] = [];
  for (const match of text.matchAll(mentionPattern)) {
    // Every "@" is a match of its own (the token after it has none), so skipping one loses nothing.
    if (continuesWord.test(charBefore(text, match.index))) continue;
    const word = match[1]!;
    if (allWords.has(foldForSearch(word).replace(/[._-]+$/, ''))) continue;
    out.push({ start: match.index, word });
  }
  return out;
}

/**
 * The user a written `@word` means, the hub's way: the login as written (case folded), else
 * without trailing punctuation (`@ivan.` at the end of a sentence).
 */
export function userForWord(word: string, byLogin: ReadonlyMap<string, User>): { user: User; length: number } | null {
  const folded = word.toLocaleLowerCase('ru');
  const exact = byLogin.get(folded);
  if (exact) return { user: exact, length: word.length };
  const trimmed = folded.replace(/[._-]+$/, '');
  const user = byLogin.get(trimmed);
  return user ? { user, length: trimmed.length } : null;
}

/** Known users by their login in lower case (logins are unique on the hub, case-insensitively). */
export function usersByLogin(users: Record<number, User>): Map<string, User> {
  return new Map(Object.values(users).map((u) => [u.login.toLocaleLowerCase('ru'), u]));
}

/**
 * Whether the hub would let the user's `@all` notify the conversation (the shared rule of
 * common/protocol/messagePermissions.ts): a bot, a room's owner, an administrator in the general
 * room. Only then is `@all` offered.
 */
export function mayMentionAll(me: User | null, conversation: Conversation): boolean {
  return me !== null && mayMentionAllBy({ userId: me.id, isAdmin: me.isAdmin, isBot: me.isBot }, conversation);
}

/**
 * Whether the user may add people to the conversation (the room settings' rule): anyone in an
 * open room, the owner in a closed one; nobody in the general room (everyone is in it) or a
 * direct conversation.
 */
export function mayInvite(me: User | null, conversation: Conversation): boolean {
  if (!me || conversation.archived) return false;
  if (conversation.kind === 'open') return true;
  return conversation.kind === 'closed' && conversation.ownerId === me.id;
}

/**
 * The known people a wire text mentions who are not in the conversation (each once, in order):
 * before sending, the user is asked whether to invite them, or told they will not see it.
 */
export function mentionedOutsiders(
  wire: string,
  byLogin: ReadonlyMap<string, User>,
  isMember: (userId: number) => boolean,
  meId: number | null,
): User[] {
  const out: User[] = [];
  for (const m of wireMentions(wire)) {
    const user = userForWord(m.word, byLogin)?.user;
    if (!user || user.disabled || user.isBot || user.id === meId || isMember(user.id)) continue;
    if (!out.some((u) => u.id === user.id)) out.push(user);
  }
  return out;
}

/**
 * The text with each `@login` of a known person written as `@Name` (one-line previews: a reply's
 * quote, the pinned panel, the banner), the way the message itself shows it.
 */
export function namesForLogins(text: string, byLogin: ReadonlyMap<string, User>): string {
  let out = '';
  let at = 0;
  for (const m of wireMentions(text)) {
    const found = userForWord(m.word, byLogin);
    if (!found) continue;
    out += text.slice(at, m.start) + '@' + found.user.name;
    at = m.start + 1 + found.length;
  }
  return out + text.slice(at);
}
