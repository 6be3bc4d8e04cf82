import type { KeyValueStorage } from '../../common/client/KeyValueStorage.ts';
import type { SettingsStore } from '../settings/SettingsStore.ts';
import type { SecretStorage } from './SecretStorage.ts';

const prefix = 'client.';

/** One stored value: `safe` = safeStorage ciphertext in base64, `plain` = as is. */
interface StoredValue {
  v: 1;
  enc: 'safe' | 'plain';
  data: string;
}

/**
 * The client core's storage in the desktop app: values live in the settings file (electron-store)
 * under `client.*`, each encrypted with the OS secret store when it is available. Everything is
 * encrypted, not just the session token: the outbox holds message text the user has not sent yet.
 * When no encryption is available, values are kept as plain text (and the app warns); a value
 * that can no longer be decrypted (profile copied to another machine, keyring reset) reads as
 * absent, so the user simply signs in again.
 */
export class SecureClientStorage implements KeyValueStorage {
  constructor(
    private readonly store: SettingsStore,
    private readonly secrets: SecretStorage,
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {}

  async get(key: string): Promise<string | null> {
    const raw = this.store.get(prefix + key) as StoredValue | undefined;
    if (!raw || typeof raw !== 'object' || typeof raw.data !== 'string') return null;
    if (raw.enc === 'plain') return raw.data;
    if (raw.enc !== 'safe' || !this.secrets.isEncryptionAvailable()) {
      this.onProblem(`cannot decrypt stored ${describeKey(key)}: encryption is unavailable`);
      return null;
    }
    try {
      return this.secrets.decryptString(Buffer.from(raw.data, 'base64'));
    } catch {
      this.onProblem(`cannot decrypt stored ${describeKey(key)}; it is dropped`);
      this.store.delete(prefix + key);
      return null;
    }
  }

  async set(key: string, value: string): Promise<void> {
    const stored: StoredValue = this.secrets.isEncryptionAvailable()
      ? { v: 1, enc: 'safe', data: this.secrets.encryptString(value).toString('base64') }
      : { v: 1, enc: 'plain', data: value };
    this.store.set(prefix + key, stored);
  }

  async delete(key: string): Promise<void> {
    this.store.delete(prefix + key);
  }

  /** Removes everything the client core stored (sign-out: token, outbox, cursors). */
  clearAll(): void {
    for (const key of this.store.keys()) if (key.startsWith(prefix)) this.store.delete(key);
  }
}

// Key names may carry ids, never secrets; still, log only their first segment.
function describeKey(key: string): string {
  return JSON.stringify(key.split(/[.:/]/)[0]!.slice(0, 32));
}
