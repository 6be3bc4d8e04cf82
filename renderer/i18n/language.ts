import { computed, signal } from '@preact/signals';
import type { Lang } from '../../common/i18n/Lang.ts';
import { pickLanguage } from '../../common/i18n/pickLanguage.ts';

/** What the user chose in settings: a language, or `auto` to follow the browser. */
export type LanguageSetting = Lang | 'auto';

const storageKey = 'beseda.language';

/** The language the browser asks for: English for `en*`, otherwise Russian (the organisation's language). */
export function detectLanguage(preferred: readonly string[]): Lang {
  return pickLanguage(preferred, { ru: 'ru', en: 'en' }, 'ru');
}

function readSetting(): LanguageSetting {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === 'ru' || stored === 'en') return stored;
  } catch {
    // Storage can be disabled (privacy settings, some embedded browsers): fall back to auto.
  }
  return 'auto';
}

/** The user's language choice; remembered across sessions. */
export const languageSetting = signal<LanguageSetting>(readSetting());

/** The language the UI is shown in now. */
export const language = computed<Lang>(() =>
  languageSetting.value === 'auto'
    ? detectLanguage(navigator.languages?.length ? navigator.languages : [navigator.language])
    : languageSetting.value,
);

/** Chooses a language (or `auto`) and remembers it. */
export function setLanguageSetting(setting: LanguageSetting): void {
  languageSetting.value = setting;
  try {
    if (setting === 'auto') localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, setting);
  } catch {
    // Not remembered, but still applied for this session.
  }
}
