import type { User } from '../../common/protocol/model.ts';

/** An @mention being typed: where its "@" is and what follows it so far. */
export interface MentionQuery {
  start: number;
  query: string;
}

/**
 * The @mention the caret is in, if any: "@" at the start or after whitespace, then letters,
 * digits, `.`, `_` or `-` up to the caret.
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const match = /(^|\s)@([\p{L}\p{N}._-]*)$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/**
 * People to offer for a mention: logins or names starting with the query first, then those that
 * contain it; bots and disabled accounts excluded; at most `limit`.
 */
export function matchUsers(users: readonly User[], query: string, excludeId: number | null, limit = 6): User[] {
  const q = query.toLocaleLowerCase();
  const scored: { user: User; score: number }[] = [];
  for (const user of users) {
    if (user.disabled || user.id === excludeId) continue;
    const login = user.login.toLocaleLowerCase();
    const words = user.name.toLocaleLowerCase().split(/\s+/);
    let score = -1;
    if (login.startsWith(q)) score = 0;
    else if (words.some((w) => w.startsWith(q))) score = 1;
    else if (login.includes(q) || user.name.toLocaleLowerCase().includes(q)) score = 2;
    if (score >= 0) scored.push({ user, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.user.name.localeCompare(b.user.name, 'ru'))
    .slice(0, limit)
    .map((s) => s.user);
}

/** The text with the mention at `query` replaced by `@login ` and where the caret goes after it. */
export function insertMention(text: string, query: MentionQuery, login: string): { text: string; caret: number } {
  const before = text.slice(0, query.start);
  const after = text.slice(query.start + 1 + query.query.length).replace(/^\s*/, '');
  const inserted = `@${login} `;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}
