import type { PluralEntry } from './Entry.ts';
import type { Lang } from './Lang.ts';

const pluralRules = new Map<Lang, Intl.PluralRules>();

/**
 * The form of `forms` that goes with the count `n` in `lang`, by the language's own plural rules
 * (`Intl.PluralRules`: Russian 1 беседа, 2 беседы, 5 бесед, 21 беседа; English 1 message, 0 or 2
 * messages); `other` when the entry lacks the form the rules ask for.
 */
export function plural(lang: Lang, n: number, forms: PluralEntry): string {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  const form = rules.select(n) as keyof PluralEntry;
  return forms[form] ?? forms.other;
}
