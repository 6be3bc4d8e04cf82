import { app } from 'electron';
import os from 'node:os';
import path from 'node:path';
import type { Autostart } from '../autostart/Autostart.ts';
import { LinuxAutostart } from '../autostart/LinuxAutostart.ts';

/**
 * Start at login: Windows and macOS through Electron's login item settings (Windows: the
 * current user's Run key, with `--hidden`; macOS cannot pass arguments, so a login start is
 * recognised by `wasOpenedAtLogin`), Linux through an XDG autostart entry.
 */
export function electronAutostart(appName: string): Autostart {
  if (process.platform === 'linux') {
    const configHome = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
    return new LinuxAutostart(configHome, process.env.APPIMAGE || process.execPath, appName);
  }
  const args = ['--hidden'];
  return {
    isEnabled: () => app.getLoginItemSettings({ path: process.execPath, args }).openAtLogin,
    setEnabled: (on) => app.setLoginItemSettings({ openAtLogin: on, path: process.execPath, args }),
  };
}
