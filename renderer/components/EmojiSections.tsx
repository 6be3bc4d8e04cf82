import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { mayAddEmoji, reactedWith } from '../actions/reactions.ts';
import type { EmojiEntry } from '../text/emojiList.ts';

/** One titled group of the reaction picker's grid. */
export interface EmojiSection {
  key: string;
  label: string;
  entries: readonly EmojiEntry[];
}

/** The emoji's name in the UI language: its first word in that alphabet. */
export function emojiName(entry: EmojiEntry, lang: 'ru' | 'en'): string {
  const cyrillic = /[а-яё]/;
  return entry.words.find((w) => (lang === 'ru' ? cyrillic.test(w) : !cyrillic.test(w))) ?? entry.words[0] ?? '';
}

/**
 * The picker's grid: each section's heading and its emoji buttons, numbered across sections
 * (`data-index`) for the arrow keys. One roving tab stop (`current`); the user's own emoji on the
 * message pressed; those the hub's limit forbids marked `aria-disabled`.
 */
export function EmojiSections({
  sections,
  message,
  current,
  lang,
  onFocusCell,
  onChoose,
}: {
  sections: readonly EmojiSection[];
  message: MessageView;
  current: number;
  lang: 'ru' | 'en';
  onFocusCell: (index: number) => void;
  onChoose: (entry: EmojiEntry) => void;
}): JSX.Element {
  let index = 0;
  return (
    <>
      {sections.map((section) => (
        <section key={section.key} class="picker-section" aria-label={section.label}>
          <h3 class="picker-heading">{section.label}</h3>
          <div class="picker-grid" role="group" aria-label={section.label}>
            {section.entries.map((entry) => {
              const i = index++;
              const mine = reactedWith(message, entry.emoji);
              const name = emojiName(entry, lang);
              return (
                <button
                  key={entry.emoji}
                  type="button"
                  class={['emoji-cell', mine ? 'mine' : '', i === current ? 'active' : ''].filter(Boolean).join(' ')}
                  tabIndex={i === current ? 0 : -1}
                  aria-pressed={mine}
                  aria-disabled={!mayAddEmoji(message, entry.emoji) || undefined}
                  aria-label={name ? `${entry.emoji} ${name}` : entry.emoji}
                  title={name}
                  data-index={i}
                  data-emoji={entry.emoji}
                  onFocus={() => onFocusCell(i)}
                  onClick={() => onChoose(entry)}
                >
                  {entry.emoji}
                </button>
              );
            })}
          </div>
        </section>
      ))}
    </>
  );
}
