import { Menu, Tray, nativeImage } from 'electron';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import type { MenuItemSpec } from '../tray/MenuItemSpec.ts';
import type { IconPair, TrayView } from '../tray/TrayView.ts';

/** A 16 px icon with its 32 px representation for high-DPI trays. */
export function iconImage(icon: IconPair): NativeImage {
  const image = nativeImage.createFromBuffer(icon.x1, { scaleFactor: 1 });
  image.addRepresentation({ scaleFactor: 2, buffer: icon.x2 });
  return image;
}

/** Turns menu specs into Electron's menu template. */
export function menuTemplate(items: readonly MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: item.label, enabled: item.enabled ?? true, submenu: menuTemplate(item.submenu) };
      case 'checkbox':
      case 'radio':
        return {
          type: item.type,
          label: item.label,
          checked: item.checked,
          enabled: item.enabled ?? true,
          click: item.click,
        };
      default:
        return { label: item.label, enabled: item.enabled ?? true, click: item.click };
    }
  });
}

/** {@link TrayView} on Electron's `Tray`. Left click calls `onClick`; right click shows the menu. */
export class ElectronTray implements TrayView {
  private readonly tray: Tray;

  constructor(initial: IconPair, tooltip: string, onClick: () => void) {
    this.tray = new Tray(iconImage(initial));
    this.tray.setToolTip(tooltip);
    this.tray.on('click', onClick);
    // macOS shows the context menu on click by itself when one is set; Windows and Linux need no
    // more. The GUID keeps the icon's position and "always show" choice across updates on Windows.
  }

  setIcon(icon: IconPair): void {
    this.tray.setImage(iconImage(icon));
  }

  setToolTip(text: string): void {
    this.tray.setToolTip(text);
  }

  setMenu(items: MenuItemSpec[]): void {
    this.tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(items)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
