/**
 * The certificate authorities the operating system trusts for TLS. On Windows that is the
 * certificate store — Trusted Root Certification Authorities of the computer and of the user,
 * including those Group Policy distributes — where IT puts an organization's internal CA. A port:
 * the shell reads the real store (main/shell/ElectronTrustStore.ts); tests supply a throwaway CA.
 */
export interface TrustStore {
  /** PEM certificates (may repeat Node's bundled ones); throws when the store cannot be read. */
  authorities(): string[];
}

/**
 * The CA list Node's TLS clients use when a connection names none: `ws`, `fetch` and `node:https`
 * in the main process all do, so extending it covers the hub's WebSocket, its HTTP API and file
 * uploads at once.
 */
export interface TlsDefaults {
  /** False where the runtime cannot change the list (then only Node's bundled CAs are trusted). */
  readonly supported: boolean;
  /** The CA certificates trusted now (PEM). */
  current(): string[];
  /** Replaces the list for every later connection. */
  replace(certs: string[]): void;
}
