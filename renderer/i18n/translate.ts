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
  const entry = tables[lang][key] ?? ru[key];
  return fill(pick(lang, entry, params), params);
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

function fill(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
