/** The tab title with the unread count: "(3) Беседа", or just the app name when all is read. */
export function unreadTitle(totalUnread: number, appName: string): string {
  if (totalUnread <= 0) return appName;
  return `(${totalUnread > 999 ? '999+' : totalUnread}) ${appName}`;
}

/** The text drawn on the favicon badge: nothing at 0, the count up to 99, then "99+". */
export function badgeText(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

/**
 * The title at one step of the "new message" blink: even steps show the alert, odd steps the
 * normal title, so the tab catches the eye while hidden.
 */
export function blinkTitle(step: number, normal: string, alert: string): string {
  return step % 2 === 0 ? alert : normal;
}
