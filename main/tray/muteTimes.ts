/** One hour, for "mute for 1 hour". */
export const hourMs = 60 * 60 * 1000;

/** "Until tomorrow": 08:00 local time on the next calendar day. */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 8, 0, 0, 0).getTime();
}

/** A mute's end as a short local time: `15:00`, or `08:00, 24.11` when not today. */
export function formatUntil(until: number, now: number, locale: string): string {
  const end = new Date(until);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(end);
  if (end.toDateString() === new Date(now).toDateString()) return time;
  const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit' }).format(end);
  return `${time}, ${day}`;
}
