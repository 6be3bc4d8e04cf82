/** Start at login (Electron's login item settings on Windows and macOS, a desktop file on Linux). */
export interface Autostart {
  isEnabled(): boolean;
  /** Enables or disables starting at login; the login start passes `--hidden`. */
  setEnabled(on: boolean): void;
}
