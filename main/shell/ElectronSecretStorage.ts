import { safeStorage } from 'electron';
import type { SecretStorage } from '../storage/SecretStorage.ts';

/** {@link SecretStorage} on Electron's `safeStorage` (usable only after the app is ready). */
export const electronSecretStorage: SecretStorage = {
  isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
  encryptString: (plain) => safeStorage.encryptString(plain),
  decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  selectedBackend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null),
};
