import type { Backend, SignInFailure } from '../../common/client/Backend.ts';
import type { StatePatch } from '../../common/client/ClientState.ts';
import { ConnectionError } from '../../common/client/connectionErrors.ts';
import type { Lang } from '../../common/i18n/Lang.ts';
import type { DesktopClient } from '../DesktopClient.ts';
import type { Log } from '../log/Log.ts';
import type { HubCertificate } from './inspectHubCertificate.ts';
import { untrustedHubText } from './untrustedHubText.ts';

/** What {@link guardCertificates} needs. */
export interface CertificateGuardDeps {
  /** Reads and judges the hub's certificate (main/certs/inspectHubCertificate.ts). */
  inspect(hubUrl: string): Promise<HubCertificate | null>;
  lang: Lang;
  log: Log;
  /** Tells the user (a notification) that a signed-in session's hub is not trusted. */
  alert(title: string, body: string): void;
  /** How often to look again while the hub stays unreachable (default 30 s). */
  recheckMs?: number;
}

function isTls(url: string): boolean {
  return /^(https|wss):\/\//i.test(url.trim());
}

function hostOf(url: string): string {
  try {
    return new URL(url.trim()).host;
  } catch {
    return url;
  }
}

/**
 * The desktop client with a clear word when the hub's certificate is the reason it cannot
 * connect. A failed TLS handshake looks like an unreachable hub to the client core; here such a
 * failure with a `https://`/`wss://` hub is followed by a look at the certificate, and when this
 * computer does not trust it the user learns why — at sign-in as the form's message, later as one
 * notification per certificate (the core keeps retrying with its back-off, over TLS only: nothing
 * here ever tries `ws://`).
 */
export function guardCertificates<C extends DesktopClient>(client: C, deps: CertificateGuardDeps): C {
  const { inspect, lang, log } = deps;
  let hubUrl: string | null = null;
  let checking = false;
  const alerted = new Set<string>();

  const judge = async (url: string): Promise<HubCertificate | null> => {
    const cert = await inspect(url).catch(() => null);
    return cert?.problem ? cert : null;
  };
  const report = (url: string, cert: HubCertificate) =>
    log.warn('hub certificate not trusted', {
      hub: hostOf(url),
      problem: cert.problem,
      code: cert.code,
      issuer: cert.issuer,
      subject: cert.subject,
      validTo: cert.validTo,
      fingerprint: cert.fingerprint,
    });

  const signIn: Backend['signIn'] = async (url, login, password) => {
    const result = await client.signIn(url, login, password);
    if (result.ok || result.error.code !== 'unreachable' || !isTls(url)) return result;
    const cert = await judge(url);
    if (!cert) return result;
    report(url, cert);
    const error: SignInFailure = {
      code: 'untrusted_certificate',
      message: untrustedHubText(lang, hostOf(url), cert).full,
    };
    return { ok: false, error };
  };

  // While a TLS hub is unreachable, look at its certificate now and then: the hub may come back
  // (or have been down at first) with a certificate this computer does not trust, and the
  // core's retries do not change the state it reports.
  let connection: string | null = null;
  let error: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  const recheckMs = deps.recheckMs ?? 30_000;
  const check = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const url = hubUrl;
    if (error !== ConnectionError.Unreachable || connection === 'connected' || !url || !isTls(url) || checking) return;
    checking = true;
    void judge(url)
      .then((cert) => {
        if (!cert || alerted.has(cert.fingerprint)) return;
        alerted.add(cert.fingerprint);
        report(url, cert);
        const text = untrustedHubText(lang, hostOf(url), cert);
        deps.alert(text.title, text.body);
      })
      .finally(() => {
        checking = false;
        if (error === ConnectionError.Unreachable && connection !== 'connected' && !disposed)
          timer ??= setTimeout(check, recheckMs);
      });
  };
  const watched = (patch: StatePatch) => {
    if (patch.hubUrl !== undefined) hubUrl = patch.hubUrl;
    if (patch.connection !== undefined) connection = patch.connection;
    if (patch.connectionError !== undefined) error = patch.connectionError;
    if (error === ConnectionError.Unreachable && connection !== 'connected') {
      if (patch.connectionError === ConnectionError.Unreachable) check();
    } else if (timer) {
      clearTimeout(timer);
      timer = null;
    }
  };
  const unsubscribe = client.subscribe(watched);
  void client.getState().then(
    (state) => {
      hubUrl ??= state.hubUrl;
    },
    () => undefined,
  );

  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'signIn') return signIn;
      if (key === 'dispose')
        return () => {
          disposed = true;
          if (timer) clearTimeout(timer);
          unsubscribe();
          target.dispose();
        };
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
