/** One piece of a search result's snippet: plain text, or a matched word to mark. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

/** A snippet of a message around its matched words: the pieces, and whether text was cut off before or after. */
export interface Snippet {
  parts: SnippetPart[];
  cutStart: boolean;
  cutEnd: boolean;
}

/**
 * The part of a message's text a search result shows: about `length` characters starting a little
 * before the first matched word (at a word boundary), line breaks and runs of spaces shown as one
 * space, split into plain and matched pieces by the hub's highlight offsets ([start, end) in UTF-16
 * code units of `text`). Offsets out of range or out of order are ignored; a surrogate pair is
 * never split. Pure: the pieces become text nodes and `<mark>` elements, never HTML.
 */
export function searchSnippet(
  text: string,
  highlights: readonly (readonly [number, number])[],
  length = 160,
  before = 40,
): Snippet {
  const marks: [number, number][] = [];
  let prevEnd = 0;
  for (const [s, e] of highlights) {
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(e) || s < prevEnd || e <= s || e > text.length) continue;
    marks.push([s, e]);
    prevEnd = e;
  }
  const firstHit = marks[0]?.[0] ?? 0;
  let start = Math.max(0, firstHit - before);
  if (start > 0) {
    // Start at a word: after the nearest space before `start`, if it is not far back.
    const space = text.lastIndexOf(' ', start);
    if (space >= 0 && start - space < 20) start = space + 1;
    else if (isLowSurrogate(text, start)) start--;
  }
  let end = Math.min(text.length, Math.max(start + length, marks[0]?.[1] ?? 0));
  if (end < text.length && isLowSurrogate(text, end)) end++;

  const parts: SnippetPart[] = [];
  let at = start;
  const push = (from: number, to: number, hit: boolean) => {
    if (to <= from) return;
    const piece = text.slice(from, to).replace(/\s+/g, ' ');
    const last = parts.at(-1);
    if (last && last.hit === hit) last.text += piece;
    else parts.push({ text: piece, hit });
  };
  for (const [s, e] of marks) {
    if (e <= start || s >= end) continue;
    push(at, Math.max(at, s), false);
    push(Math.max(at, s), Math.min(e, end), true);
    at = Math.min(e, end);
  }
  push(at, end, false);
  if (parts[0] && !parts[0].hit && start === 0) parts[0].text = parts[0].text.trimStart();
  return { parts, cutStart: start > 0, cutEnd: end < text.length };
}

function isLowSurrogate(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  return c >= 0xdc00 && c <= 0xdfff;
}
