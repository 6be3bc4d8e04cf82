import { signal } from '@preact/signals';

/** The current time, ticking once a minute: "Сегодня"/"Вчера" and "5 мин. назад" stay right. */
export const now = signal(Date.now());

/** Starts the minute tick. */
export function startClock(): void {
  setInterval(() => {
    now.value = Date.now();
  }, 30_000);
}
