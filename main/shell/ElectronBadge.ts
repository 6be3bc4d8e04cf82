import { app } from 'electron';
import type { BaseWindow } from 'electron';
import type { BadgeSpec, BadgeView } from '../tray/BadgeView.ts';
import type { WindowHandle } from '../window/WindowHandle.ts';
import { iconImage } from './ElectronTray.ts';

/**
 * {@link BadgeView}: the Windows taskbar overlay (with a description for screen readers), the
 * macOS dock badge, and the Linux launcher count (Unity/KDE; ignored elsewhere).
 */
export class ElectronBadge implements BadgeView {
  constructor(private readonly windowOf: (handle: WindowHandle) => BaseWindow | null) {}

  show(spec: BadgeSpec, window: WindowHandle | null): void {
    if (process.platform === 'win32') {
      const win = window ? this.windowOf(window) : null;
      if (win && !win.isDestroyed())
        win.setOverlayIcon(spec.overlay ? iconImage(spec.overlay) : null, spec.description);
    } else if (process.platform === 'darwin') {
      app.dock?.setBadge(spec.dockText);
    } else {
      app.setBadgeCount(spec.count);
    }
  }
}
