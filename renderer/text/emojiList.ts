/**
 * The emoji the reaction picker offers, by category, each with search words in Russian and
 * English (written for this app: a few hundred common ones, not the whole Unicode list; the
 * lines themselves are in emojiPeopleNature.ts and emojiThings.ts).
 */
import { emojiPeopleNature } from './emojiPeopleNature.ts';
import { emojiThings } from './emojiThings.ts';

/** The picker's categories, in the order shown. */
export const emojiCategoryIds = [
  'smileys',
  'people',
  'animals',
  'food',
  'activities',
  'travel',
  'objects',
  'symbols',
  'flags',
] as const;

/** One category of the picker. */
export type EmojiCategoryId = (typeof emojiCategoryIds)[number];

/** One emoji and the words it is found by (lower case, Russian and English). */
export interface EmojiEntry {
  emoji: string;
  words: readonly string[];
}

const raw: Record<EmojiCategoryId, string> = { ...emojiPeopleNature, ...emojiThings };

function parse(lines: string): EmojiEntry[] {
  return lines
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [emoji, ...words] = line.split(' ');
      return { emoji: emoji!, words: words.map((w) => w.replace(/_/g, ' ').toLocaleLowerCase()) };
    });
}

/** The picker's emoji by category, in the order shown. */
export const emojiCategories: readonly { id: EmojiCategoryId; entries: readonly EmojiEntry[] }[] = emojiCategoryIds.map(
  (id) => ({ id, entries: parse(raw[id]) }),
);

/**
 * The emoji whose words start with every word of the query (any word, in either language;
 * «сер» finds ❤️ by «сердце», "thumbs up" finds 👍); an emoji typed into the search is found as
 * itself. Emoji named exactly by the query come first (`heart`: ❤️ before 🥰 "hearts"), `first`
 * (the default reactions) before the rest, then in the list's order.
 */
export function searchEmoji(query: string, first: readonly string[] = []): EmojiEntry[] {
  const q = query.trim();
  const parts = q.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return [];
  const found: { entry: EmojiEntry; rank: number; order: number }[] = [];
  for (const category of emojiCategories) {
    for (const entry of category.entries) {
      const order = found.length;
      if (entry.emoji === q) {
        found.push({ entry, rank: -1, order });
        continue;
      }
      const words = entry.words.flatMap((w) => [w, ...w.split(/[\s-]+/)]);
      if (!parts.every((p) => words.some((w) => w.startsWith(p)))) continue;
      const exact = parts.every((p) => words.includes(p));
      const preferred = first.indexOf(entry.emoji);
      found.push({ entry, rank: (exact ? 0 : 2) + (preferred >= 0 ? 0 : 1), order });
    }
  }
  return found.sort((a, b) => a.rank - b.rank || a.order - b.order).map((f) => f.entry);
}
