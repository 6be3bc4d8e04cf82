import type { Entry, GenderEntry, PluralEntry } from './Entry.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';

/** The UI languages. */
export type Lang = 'ru' | 'en';

/** A key of the string tables. */
export type MessageKey = keyof typeof ru;

/** Values for `{name}` placeholders; `n` also picks the plural form, `gender` the verb form. */
export type Params = Record<string, string | number> & { gender?: Gender };

/** Grammatical gender of a person, as far as we can tell from the name (`x`: cannot tell). */
export type Gender = 'm' | 'f' | 'x';

const tables: Record<Lang, Record<MessageKey, Entry>> = { ru, en };
const pluralRules = new Map<Lang, Intl.PluralRules>();

/** The string `key` in `lang` with its placeholders filled in. */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  return translateParts(lang, key, params)
    .map((part) => part.text)
    .join('');
}

/** A piece of a filled-in string: the string's own words, or the value of placeholder `param`. */
export interface TextPart {
  text: string;
  /** Set when this piece is a placeholder's value (often someone's name: the UI isolates it). */
  param?: string;
}

/**
 * The string `key` in `lang` cut at its placeholders, so the UI can show each value (a name, a
 * room name) as its own isolated element rather than as letters mixed into the sentence.
 */
export function translateParts(lang: Lang, key: MessageKey, params: Params = {}): TextPart[] {
  const template = pick(lang, tables[lang][key] ?? ru[key], params);
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
  const plural = entry as PluralEntry;
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  const form = rules.select(Number(params.n ?? 0)) as keyof PluralEntry;
  return plural[form] ?? plural.other;
}
