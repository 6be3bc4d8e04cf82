import { ipcMain } from 'electron';
import Store from 'electron-store';
import type { SettingsStore } from '../settings/SettingsStore.ts';

/**
 * {@link SettingsStore} on electron-store: `<userData>/settings.json`, written atomically. Keys are
 * flat (dots are not paths), so the client core's `beseda.session` stays one key.
 */
export class ElectronSettingsStore implements SettingsStore {
  private readonly store: Store<Record<string, unknown>>;

  constructor() {
    this.store = new Store<Record<string, unknown>>({
      name: 'settings',
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: true,
    });
    // electron-store answers renderers' sync requests for the profile path; ours never ask
    // (the main process owns the store), so no page gets that channel.
    ipcMain.removeAllListeners('electron-store-get-data');
  }

  /** The file the settings live in (for the log and IT docs). */
  get path(): string {
    return this.store.path;
  }

  get(key: string): unknown {
    return this.store.get(key);
  }

  set(key: string, value: unknown): void {
    this.store.set(key, value);
  }

  delete(key: string): void {
    this.store.delete(key);
  }

  has(key: string): boolean {
    return this.store.has(key);
  }

  keys(): string[] {
    return Object.keys(this.store.store);
  }
}
