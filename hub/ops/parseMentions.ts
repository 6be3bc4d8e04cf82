import type { AccountStore } from '../store/AccountStore.ts';

// An @ that does not continue a word or an e-mail address, then a login-like token.
const mentionPattern = /(?<![\p{L}\p{N}_.@-])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;
/** The words that mention everyone in the conversation. */
const allWords = new Set(['all', 'все']);

/**
 * The users a text mentions with `@login` (existing accounts only, each once, in order of first
 * mention) and whether it says `@all` / `@все`. Whether `@all` counts is the caller's decision.
 */
export async function parseMentions(
  accounts: AccountStore,
  text: string,
): Promise<{ mentions: number[]; saysAll: boolean }> {
  let saysAll = false;
  const candidates: [word: string, trimmed: string][] = [];
  for (const match of text.matchAll(mentionPattern)) {
    const word = match[1]!.toLocaleLowerCase('ru');
    // "@ivan." at the end of a sentence: the dot is punctuation unless a login has it.
    const trimmed = word.replace(/[._-]+$/, '');
    if (allWords.has(word) || allWords.has(trimmed)) {
      saysAll = true;
      continue;
    }
    candidates.push([word, trimmed]);
  }
  if (candidates.length === 0) return { mentions: [], saysAll };
  const existing = await accounts.findUserIdsByLogins([...new Set(candidates.flat())]);
  const found = new Map(existing.map((u) => [u.login, u.id]));
  const mentions: number[] = [];
  for (const [word, trimmed] of candidates) {
    const id = found.get(word) ?? found.get(trimmed);
    if (id !== undefined && !mentions.includes(id)) mentions.push(id);
  }
  return { mentions, saysAll };
}
