/** One hour in milliseconds («на 1 час»). */
export const hourMs = 3_600_000;

/** Tomorrow at 08:00 local time: "until tomorrow" means until the working day starts. */
export function tomorrowMorning(now: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 8, 0, 0, 0).getTime();
}

/** The end of a timed mute as a short local time: `15:00` today, `08:00, 24.11` another day. */
export function muteEndText(until: number, now: number, locale: string): string {
  const end = new Date(until);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(end);
  if (end.toDateString() === new Date(now).toDateString()) return time;
  const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit' }).format(end);
  return `${time}, ${day}`;
}
