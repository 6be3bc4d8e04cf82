import type { MenuItemSpec } from './MenuItemSpec.ts';

/** One icon as PNGs for 100% and 200% display scaling. */
export interface IconPair {
  /** 16×16 PNG. */
  x1: Buffer;
  /** 32×32 PNG. */
  x2: Buffer;
}

/** The tray icon (Electron's `Tray` in the app). Clicks reach the app through its handlers. */
export interface TrayView {
  setIcon(icon: IconPair): void;
  setToolTip(text: string): void;
  setMenu(items: MenuItemSpec[]): void;
}
