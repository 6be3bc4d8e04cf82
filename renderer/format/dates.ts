import { translate } from '../i18n/translate.ts';
import type { Lang } from '../../common/i18n/Lang.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(lang, options)));
  return f;
}

/** The local calendar day of a timestamp, as a number that sorts and compares (YYYYMMDD). */
export function dayKey(ts: number): number {
  const d = new Date(ts);
  return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
}

function startOfDay(ts: number): number {
  const d = new Date(ts);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Whole local calendar days from `ts` to `now` (0: same day, 1: yesterday); DST-safe. */
export function daysBetween(ts: number, now: number): number {
  return Math.round((startOfDay(now) - startOfDay(ts)) / 86_400_000);
}

/** A date separator: "Сегодня", "Вчера", "12 марта", or "12 марта 2023 г." in another year. */
export function dayLabel(ts: number, now: number, lang: Lang): string {
  const days = daysBetween(ts, now);
  if (days === 0) return translate(lang, 'conversation.today');
  if (days === 1) return translate(lang, 'conversation.yesterday');
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return formatter(
    lang,
    sameYear ? { day: 'numeric', month: 'long' } : { day: 'numeric', month: 'long', year: 'numeric' },
  ).format(ts);
}

/** A message time: "14:05" (ru) or "2:05 PM" (en). */
export function timeLabel(ts: number, lang: Lang): string {
  return formatter(lang, { hour: 'numeric', minute: '2-digit' }).format(ts);
}

/** A full date and time for a tooltip. */
export function fullDateTime(ts: number, lang: Lang): string {
  return formatter(lang, { dateStyle: 'long', timeStyle: 'short' }).format(ts);
}

/**
 * When someone was last online, relative to now: "только что", "5 мин. назад", "3 ч. назад",
 * "вчера в 14:05", "12 марта".
 */
export function lastSeenWhen(lastSeen: number, now: number, lang: Lang): string {
  const minutes = Math.max(0, Math.floor((now - lastSeen) / 60_000));
  if (minutes < 1) return translate(lang, 'presence.justNow');
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' });
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const days = daysBetween(lastSeen, now);
  if (days === 0) return rtf.format(-Math.floor(minutes / 60), 'hour');
  const time = timeLabel(lastSeen, lang);
  if (days === 1) return `${rtf.format(-1, 'day')} ${lang === 'ru' ? 'в' : 'at'} ${time}`;
  return dayLabel(lastSeen, now, lang);
}

/** A wait such as "45 секунд" or "2 минуты" (rounded up), for "try again in …". */
export function waitLabel(ms: number, lang: Lang): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return translate(lang, 'wait.seconds', { n: seconds });
  return translate(lang, 'wait.minutes', { n: Math.ceil(seconds / 60) });
}
