import { describe, expect, it } from 'vitest';
import { isOneEmoji } from '../../common/protocol/clientFrame.ts';
import { emojiCategories, searchEmoji } from '../../renderer/text/emojiList.ts';

const all = emojiCategories.flatMap((c) => c.entries);

describe('the reaction picker emoji list', () => {
  it('has a few hundred emoji, each one the hub accepts as a reaction, none twice', () => {
    expect(all.length).toBeGreaterThan(300);
    const refused = all.filter((e) => !isOneEmoji(e.emoji)).map((e) => e.emoji);
    expect(refused).toEqual([]);
    expect(new Set(all.map((e) => e.emoji)).size).toBe(all.length);
  });

  it('names every emoji in Russian and in English', () => {
    const missing = all.filter(
      (e) => !e.words.some((w) => /[а-яё]/.test(w)) || !e.words.some((w) => /[a-z0-9]/.test(w)),
    );
    expect(missing.map((e) => e.emoji)).toEqual([]);
  });

  it('has the default reactions in it', () => {
    for (const emoji of ['👍', '❤️', '😂', '😮', '😢', '🙏', '✅', '👀']) {
      expect(all.some((e) => e.emoji === emoji)).toBe(true);
    }
  });

  it('finds emoji by the start of a word in either language, every word of the query', () => {
    const emojis = (q: string) => searchEmoji(q).map((e) => e.emoji);
    expect(emojis('сердце')).toContain('❤️');
    expect(emojis('серд')).toContain('💔');
    expect(emojis('heart')).toContain('❤️');
    expect(emojis('спасибо')).toEqual(['🙏']);
    expect(emojis('thumbs up')).toEqual(['👍']);
    expect(emojis('палец вверх')).toEqual(['👍']);
    expect(emojis('ПИЦЦА')).toEqual(['🍕']);
    expect(emojis('🍕')).toEqual(['🍕']);
    expect(emojis('qzxv')).toEqual([]);
    expect(emojis('   ')).toEqual([]);
  });

  it('puts emoji named exactly by the query first, the default reactions before the rest', () => {
    const emojis = (q: string) => searchEmoji(q, ['👍', '❤️']).map((e) => e.emoji);
    const heart = emojis('heart');
    expect(heart[0]).toBe('❤️');
    // "hearts" (🥰) only starts with the query: after every exact "heart".
    expect(heart.indexOf('🥰')).toBeGreaterThan(heart.indexOf('💔'));
    expect(emojis('сердце')[0]).toBe('❤️');
  });
});
