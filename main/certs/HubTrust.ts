import type { Log } from '../log/Log.ts';
import type { TlsDefaults, TrustStore } from './TrustStore.ts';

/** A PEM certificate without its line breaks and armour, to spot the same one twice. */
function body(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/**
 * Makes the main process trust what the operating system trusts, so a hub whose certificate an
 * organization's internal CA issued is reached over `wss://` like any other — never by falling
 * back to `ws://`. Chromium (the window, electron-updater's downloads) already uses the OS store;
 * Node's TLS clients only know the CAs bundled with Node until {@link HubTrust.install} adds the
 * store's.
 */
export class HubTrust {
  constructor(private readonly deps: { store: TrustStore; defaults: TlsDefaults; log: Log }) {}

  /**
   * Adds the store's authorities to Node's default list; call once, before the first connection
   * (cached TLS sessions keep the trust they were made with). Returns how many were added.
   */
  install(): number {
    const { store, defaults, log } = this.deps;
    if (!defaults.supported) {
      log.warn('TLS trust: this runtime cannot add the system certificate store; only bundled CAs are trusted');
      return 0;
    }
    let system: string[];
    try {
      system = store.authorities();
    } catch (err) {
      log.warn('TLS trust: the system certificate store could not be read', { error: String(err) });
      return 0;
    }
    const current = defaults.current();
    const known = new Set(current.map(body));
    const extra: string[] = [];
    for (const pem of system) {
      const key = body(pem);
      if (known.has(key)) continue;
      known.add(key);
      extra.push(pem);
    }
    if (extra.length) defaults.replace([...current, ...extra]);
    log.info('TLS trust', { systemAuthorities: system.length, added: extra.length });
    return extra.length;
  }
}
