import type { Lang } from '../../common/i18n/Lang.ts';

const units: Record<Lang, readonly string[]> = {
  ru: ['Б', 'КБ', 'МБ', 'ГБ', 'ТБ'],
  en: ['B', 'KB', 'MB', 'GB', 'TB'],
};

/**
 * A file size as people read it: «512 Б», «12 КБ», «3,4 МБ» (binary steps of 1024, one decimal
 * below 10 of a unit), "3.4 MB" in English. A non-breaking space keeps the number with its unit.
 */
export function fileSizeLabel(bytes: number, lang: Lang): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units[lang].length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.96 KB would round to «1024 КБ»: say «1 МБ» instead.
  if (unit > 0 && unit < units[lang].length - 1 && Math.round(value) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
  return `${number}\u00a0${units[lang][unit]}`;
}
