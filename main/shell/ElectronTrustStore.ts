// The operating system's certificate store for the main process's TLS (issue 21, certificates).
// Electron 45 runs Node 24, which reads the store itself — Windows' Trusted Root Certification
// Authorities of the computer and the user, Group Policy's and Enterprise Trust's (the same
// stores Chromium trusts), macOS keychains, OpenSSL's files on Linux — and lets the app make it
// part of the default list every `ws`, `fetch` and `node:https` connection checks against.
import tls from 'node:tls';
import type { TlsDefaults, TrustStore } from '../certs/TrustStore.ts';

/** Node 24.5+'s CA API (Electron 45 ships Node 24; the project's @types/node is Node 20's, which lacks it). */
const api = tls as unknown as {
  getCACertificates?: (type?: 'default' | 'system' | 'bundled' | 'extra') => string[];
  setDefaultCACertificates?: (certs: string[]) => void;
};

/** The OS store, read by Node (`tls.getCACertificates('system')`). */
export const electronTrustStore: TrustStore = {
  authorities() {
    if (!api.getCACertificates) throw new Error('this Node cannot read the system certificate store');
    return api.getCACertificates('system');
  },
};

/** Node's default CA list (`tls.getCACertificates('default')` / `tls.setDefaultCACertificates`). */
export const electronTlsDefaults: TlsDefaults = {
  supported: typeof api.getCACertificates === 'function' && typeof api.setDefaultCACertificates === 'function',
  current: () => api.getCACertificates?.('default') ?? [...tls.rootCertificates],
  replace: (certs) => api.setDefaultCACertificates?.(certs),
};
