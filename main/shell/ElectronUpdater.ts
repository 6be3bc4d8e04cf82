import { existsSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import electronUpdater, { type AppUpdater } from 'electron-updater';
import type { Log } from '../log/Log.ts';
import type { UpdateFeed, Updater } from '../update/Updater.ts';

/**
 * Whether this installation can replace itself: a packaged build installed by the NSIS `.exe`
 * (its uninstaller beside the executable; an MSI install is IT's to update, through GPO or SCCM),
 * an AppImage, a `.deb` (electron-updater asks for the administrator's password through pkexec),
 * or macOS. Development runs never update.
 */
function canUpdate(productName: string): boolean {
  if (!app.isPackaged) return false;
  const exeDir = path.dirname(process.execPath);
  if (process.platform === 'win32') return existsSync(path.join(exeDir, `Uninstall ${productName}.exe`));
  if (process.platform === 'linux')
    return Boolean(process.env.APPIMAGE) || existsSync(path.join(process.resourcesPath, 'package-type'));
  return process.platform === 'darwin';
}

/**
 * The {@link Updater} port over electron-updater's `autoUpdater` with the generic provider at the
 * hub's feed (`setFeedURL` on every check: the session's token and the install's query change).
 * It never downloads by itself (the decisions in main/update/UpdateManager.ts do), and it
 * verifies every download against the feed's sha512 (its ERR_CHECKSUM_MISMATCH is passed on).
 */
export class ElectronUpdater implements Updater {
  readonly currentVersion = app.getVersion();
  readonly supported: boolean;
  private loaded: AppUpdater | null = null;

  constructor(
    productName: string,
    private readonly log: Log,
  ) {
    this.supported = canUpdate(productName);
  }

  /**
   * electron-updater's updater for this platform, made on first use: it reaches Electron through
   * CommonJS `require('electron')`, which only Electron itself answers (a failure here is a failed
   * check, never a failed start).
   */
  private get updater(): AppUpdater {
    if (this.loaded) return this.loaded;
    const updater = electronUpdater.autoUpdater;
    updater.autoDownload = false;
    // Nothing installs at quit until a verified download is there and the person's choice is known.
    updater.autoInstallOnAppQuit = false;
    const line = (level: 'info' | 'warn' | 'error') => (message?: unknown) =>
      this.log[level]('updater', { message: String(message).slice(0, 300) });
    updater.logger = { info: line('info'), warn: line('warn'), error: line('error'), debug: () => undefined };
    // Errors also arrive as events; the promises below carry them to the decisions.
    updater.on('error', () => undefined);
    this.loaded = updater;
    return updater;
  }

  async check(feed: UpdateFeed): Promise<{ version: string } | null> {
    this.updater.setFeedURL({ provider: 'generic', url: feed.url });
    this.updater.requestHeaders = feed.headers;
    this.updater.allowDowngrade = feed.allowDowngrade;
    // An unpackaged app would refuse to check; a development run still reports its version this way.
    this.updater.forceDevUpdateConfig = !app.isPackaged;
    const result = await this.updater.checkForUpdates();
    return result?.isUpdateAvailable ? { version: result.updateInfo.version } : null;
  }

  async download(): Promise<void> {
    await this.updater.downloadUpdate();
  }

  setInstallOnQuit(on: boolean): void {
    this.updater.autoInstallOnAppQuit = on;
  }

  installNow(): void {
    // Silent on Windows (the person asked for it), and the new version starts afterwards.
    this.updater.quitAndInstall(true, true);
  }
}
