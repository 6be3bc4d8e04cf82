/**
 * Persistent key-value settings (electron-store in the app, a Map in tests). Synchronous, as
 * electron-store is: settings are small and read at startup.
 */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
  /** Every key present (keys are flat strings; dots in them are not paths). */
  keys(): string[];
}
