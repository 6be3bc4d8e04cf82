import { describe, expect, it } from 'vitest';
import { isOneEmoji } from '../../common/protocol/clientFrame.ts';

describe('a reaction is one emoji', () => {
  it.each(['👍', '❤️', '😂', '😮', '😢', '🙏', '✅', '👀', '👍🏽', '👨‍👩‍👧', '🇷🇺', '1️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤'])(
    'accepts %s',
    (emoji) => {
      expect(isOneEmoji(emoji)).toBe(true);
    },
  );
  it.each(['', 'a', '1', '#', '👍👍', 'ok', ' 👍', '👍 ', '<script>', 'Ж', '\u202e👍', '\u200d', '\ufe0f', '🇷'])(
    'refuses %j',
    (text) => {
      expect(isOneEmoji(text)).toBe(false);
    },
  );
});
