import type { Entry, Gender, GenderEntry, PluralEntry } from './Entry.ts';
import type { Lang } from './Lang.ts';
import { plural } from './plural.ts';

/** Values for `{name}` placeholders; `n` also picks the plural form, `gender` the verb form. */
export type Params = Record<string, string | number> & { gender?: Gender };

/** A piece of a filled-in string: the string's own words, or the value of placeholder `param`. */
export interface TextPart {
  text: string;
  /** Set when this piece is a placeholder's value (often someone's name: the UI isolates it). */
  param?: string;
}

/** `entry` in `lang` with its placeholders filled in. */
export function fillEntry(lang: Lang, entry: Entry, params: Params = {}): string {
  return entryParts(lang, entry, params)
    .map((part) => part.text)
    .join('');
}

/**
 * `entry` in `lang` cut at its placeholders, so a UI can show each value (a name, a room name) as
 * its own isolated element rather than as letters mixed into the sentence. A placeholder with no
 * value in `params` stays as it is written.
 */
export function entryParts(lang: Lang, entry: Entry, params: Params = {}): TextPart[] {
  const template = pick(lang, entry, params);
  const parts: TextPart[] = [];
  let from = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const name = match[1]!;
    if (!(name in params)) continue;
    if (match.index > from) parts.push({ text: template.slice(from, match.index) });
    parts.push({ text: String(params[name]), param: name });
    from = match.index + match[0].length;
  }
  if (from < template.length) parts.push({ text: template.slice(from) });
  return parts;
}

function pick(lang: Lang, entry: Entry, params: Params): string {
  if (typeof entry === 'string') return entry;
  if ('x' in entry) return (entry as GenderEntry)[params.gender ?? 'x'];
  return plural(lang, Number(params.n ?? 0), entry as PluralEntry);
}
