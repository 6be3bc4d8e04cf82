/**
 * The invisible characters that change the order text is laid out in, by their Unicode
 * abbreviations: embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). An
 * override turns `\u202Egnp.exe` into what reads as `exe.png`, so a sender could disguise a file
 * name, a link or their own name with them.
 */
const shown: Readonly<Record<string, string>> = {
  '\u202a': 'LRE',
  '\u202b': 'RLE',
  '\u202c': 'PDF',
  '\u202d': 'LRO',
  '\u202e': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};

// The marks (LRM, RLM, ALM) are included: placed first in a text shown with `dir="auto"` they make
// the whole paragraph right-to-left, which reverses the order of its words.
const controls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * How {@link neutraliseBidi} treats direction controls: `show` replaces embeddings, overrides and
 * isolates with a visible marker such as `⟨RLO⟩` (the trick stays visible, the reordering is gone);
 * `strip` removes them (for a one-line native notification, where every character counts). Marks
 * (LRM, RLM, ALM) are removed in both modes: they are invisible and common in pasted text, and
 * removing them removes their effect.
 */
export type BidiMode = 'show' | 'strip';

/**
 * Text from other people (names, room names, topics, messages, previews, notifications) as it may
 * be shown: without the bidirectional control characters that could make it read differently
 * from what it is. Every place where user text becomes visible goes through this.
 */
export function neutraliseBidi(text: string, mode: BidiMode = 'show'): string {
  return text.replace(controls, (c) => (mode === 'show' && shown[c] ? `⟨${shown[c]}⟩` : ''));
}
