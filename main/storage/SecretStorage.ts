/**
 * OS-backed encryption of small secrets (Electron's `safeStorage`: Keychain on macOS, DPAPI on
 * Windows, libsecret/kwallet on Linux).
 */
export interface SecretStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /**
   * Linux only: which secret store backs the key. `basic_text` means a key hard-coded in
   * Chromium (no real protection); other platforms return null.
   */
  selectedBackend(): string | null;
}

/** How well the session token is protected at rest. */
export type SecretProtection = 'encrypted' | 'weak' | 'unavailable';

/**
 * Classifies the secret storage: `weak` when Linux fell back to `basic_text` (obfuscation with a
 * well-known key), `unavailable` when nothing encrypts (the token is then stored as plain text
 * and the app says so).
 */
export function secretProtection(secrets: SecretStorage): SecretProtection {
  if (!secrets.isEncryptionAvailable()) return 'unavailable';
  return secrets.selectedBackend() === 'basic_text' ? 'weak' : 'encrypted';
}
