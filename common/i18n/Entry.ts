/** Grammatical gender of a person, as far as we can tell from the name (`x`: cannot tell). */
export type Gender = 'm' | 'f' | 'x';

/** Plural forms of one string, as `Intl.PluralRules` names them; `{n}` is the number. */
export interface PluralEntry {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

/**
 * A string whose verb agrees with a person: `m` and `f` when the name tells us, `x` (a neutral
 * "пригласил(а)" form) when it does not.
 */
export interface GenderEntry {
  m: string;
  f: string;
  x: string;
}

/** One translatable string: plain, plural or gendered, with `{name}` placeholders. */
export type Entry = string | PluralEntry | GenderEntry;
