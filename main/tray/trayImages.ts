import { encodePng } from '../png/encodePng.ts';
import type { DesktopStrings } from '../i18n/DesktopStrings.ts';
import type { BadgeSpec } from './BadgeView.ts';
import { drawOverlayIcon, drawTrayIcon } from './drawIcons.ts';
import type { IconPair } from './TrayView.ts';
import type { TrayStatus } from './TrayStatus.ts';

/** A key that changes exactly when the drawn tray icon would (to skip redrawing). */
export function trayIconKey(status: TrayStatus): string {
  return `${status.kind}:${status.badge ?? ''}`;
}

/** The tray icon for a status, at 16 and 32 px. */
export function trayIcon(status: TrayStatus): IconPair {
  return { x1: encodePng(drawTrayIcon(status, 16)), x2: encodePng(drawTrayIcon(status, 32)) };
}

/**
 * The taskbar/dock badge for a status. Signed out or nothing unread: no badge. The dock shows
 * the real count up to 99+; the Windows overlay, drawn 16 px, shows 1..9 and 9+.
 */
export function badgeSpec(status: TrayStatus, t: DesktopStrings): BadgeSpec {
  const count = status.kind === 'signed-out' ? 0 : status.unread;
  const mention = count > 0 && status.mentions > 0;
  if (count === 0 || !status.badge) return { count: 0, mention: false, overlay: null, description: '', dockText: '' };
  return {
    count,
    mention,
    overlay: {
      x1: encodePng(drawOverlayIcon(status.badge, mention, 16)),
      x2: encodePng(drawOverlayIcon(status.badge, mention, 32)),
    },
    description: t.badgeDescription(count, status.mentions),
    dockText: count > 99 ? '99+' : String(count),
  };
}
