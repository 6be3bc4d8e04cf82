import type { Lang } from '../../common/i18n/Lang.ts';

/** Minutes east of UTC of a time zone at a moment (undefined for a zone this browser does not know). */
export function zoneOffsetMinutes(zone: string, at: number): number | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?)?/.exec(name);
    if (!m) return undefined;
    if (!m[1]) return 0;
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === '-' ? -minutes : minutes;
  } catch {
    return undefined;
  }
}

/**
 * A person's local time for their profile card: the time in their zone, the zone's city, and how
 * many hours it is from the viewer's (0 when the same). Undefined for an unknown zone.
 */
export function localTimeIn(
  zone: string,
  at: number,
  lang: Lang,
): { time: string; place: string; diffHours: number } | undefined {
  const theirs = zoneOffsetMinutes(zone, at);
  if (theirs === undefined) return undefined;
  const time = new Intl.DateTimeFormat(lang, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(at);
  const mine = -new Date(at).getTimezoneOffset();
  return { time, place: zoneName(zone, at, lang), diffHours: Math.round(((theirs - mine) / 60) * 10) / 10 };
}

/** The zone's name in the UI language («Екатеринбург», «Samara Time»), else its city from the IANA name. */
function zoneName(zone: string, at: number, lang: Lang): string {
  try {
    const parts = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(at);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value;
    // «Екатеринбург, стандартное время» reads long on a card: the place is enough.
    if (name && !/^GMT/.test(name)) return name.split(',')[0]!.trim();
  } catch {
    // An older engine without longGeneric: the city below.
  }
  return (zone.split('/').at(-1) ?? zone).replace(/_/g, ' ');
}
