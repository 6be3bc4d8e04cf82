import type { WindowHandle } from '../window/WindowHandle.ts';
import type { IconPair } from './TrayView.ts';

/** The unread count on the taskbar or dock, per platform. */
export interface BadgeSpec {
  /** Unread messages (0: no badge). */
  count: number;
  mention: boolean;
  /** Windows: the overlay icon on the taskbar button (null: none). */
  overlay: IconPair | null;
  /** Windows: what screen readers say for the overlay. */
  description: string;
  /** macOS: the dock badge text ('' clears it). */
  dockText: string;
}

/**
 * Shows a {@link BadgeSpec}: Windows overlay icon (needs the window: there is no taskbar button
 * without one), macOS dock badge, Linux launcher count (`app.setBadgeCount`).
 */
export interface BadgeView {
  show(spec: BadgeSpec, window: WindowHandle | null): void;
}
