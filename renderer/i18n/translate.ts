import type { Entry } from '../../common/i18n/Entry.ts';
import { entryParts, fillEntry } from '../../common/i18n/fillEntry.ts';
import type { Params, TextPart } from '../../common/i18n/fillEntry.ts';
import type { Lang } from '../../common/i18n/Lang.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';

/** A key of the string tables. */
export type MessageKey = keyof typeof ru;

const tables: Record<Lang, Record<MessageKey, Entry>> = { ru, en };

/** The string `key` in `lang` with its placeholders filled in. */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fillEntry(lang, tables[lang][key] ?? ru[key], params);
}

/**
 * The string `key` in `lang` cut at its placeholders, so the UI can show each value (a name, a
 * room name) as its own isolated element rather than as letters mixed into the sentence.
 */
export function translateParts(lang: Lang, key: MessageKey, params: Params = {}): TextPart[] {
  return entryParts(lang, tables[lang][key] ?? ru[key], params);
}
