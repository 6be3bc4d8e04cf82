import net from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';

/** What is wrong with a hub's certificate, as far as this computer is concerned. */
export type CertificateProblem =
  /** No CA this computer trusts issued it (an internal CA not in the store, or self-signed). */
  | 'untrusted'
  /** Expired or not yet valid. */
  | 'expired'
  /** Issued for other names than the address the app connects to. */
  | 'name';

/** A hub's certificate as the app sees it (names and dates only: nothing secret). */
export interface HubCertificate {
  problem: CertificateProblem | null;
  /** OpenSSL's verdict (`SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`, …), null when trusted. */
  code: string | null;
  /** Who the chain leads back to: the CA IT has to trust (its CN and organisation). */
  issuer: string;
  /** Whom the certificate was issued to. */
  subject: string;
  validTo: string;
  /** SHA-256 fingerprint of the hub's certificate (AA:BB:…). */
  fingerprint: string;
}

const expiredCodes = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** "Kazan Corp Root CA (Kazan Corp)" from a certificate's subject or issuer fields. */
export function describeName(name: PeerCertificate['issuer'] | undefined): string {
  const field = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : (v ?? ''));
  const cn = field(name?.CN);
  const org = field(name?.O);
  if (cn && org && org !== cn) return `${cn} (${org})`;
  return cn || org || '?';
}

/** The last certificate of the chain the hub presented (its root, or the CA above the last one sent). */
function chainTop(cert: tls.DetailedPeerCertificate): tls.DetailedPeerCertificate {
  let top = cert;
  for (let i = 0; i < 10; i++) {
    const up = top.issuerCertificate;
    if (!up || up === top || up.fingerprint256 === top.fingerprint256 || !up.fingerprint256) break;
    top = up;
  }
  return top;
}

/**
 * Opens a TLS connection to the hub without trusting anything, reads its certificate and judges
 * it the way the app's connections do (Node's default CAs, the host name): for a clear message
 * when a `wss://` hub cannot be reached. Resolves null for a hub that is not TLS or did not answer
 * with a certificate at all (down, wrong port) — then the certificate is not the problem.
 */
export function inspectHubCertificate(hubUrl: string, timeoutMs = 10_000): Promise<HubCertificate | null> {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    return Promise.resolve(null);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'wss:') return Promise.resolve(null);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      ...(net.isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
    });
    const done = (result: HubCertificate | null) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(true);
      if (!cert || !cert.fingerprint256) return done(null);
      const chainError = socket.authorized ? null : String(socket.authorizationError ?? 'UNABLE_TO_VERIFY');
      const nameError = tls.checkServerIdentity(host, cert);
      // Node reports a wrong name as the authorization error too (ERR_TLS_CERT_ALTNAME_INVALID).
      const problem: CertificateProblem | null =
        chainError === 'ERR_TLS_CERT_ALTNAME_INVALID' || (!chainError && nameError)
          ? 'name'
          : chainError
            ? expiredCodes.has(chainError)
              ? 'expired'
              : 'untrusted'
            : null;
      done({
        problem,
        code: chainError ?? (nameError ? String((nameError as { code?: string }).code ?? nameError.message) : null),
        issuer: describeName(chainTop(cert).issuer),
        subject: describeName(cert.subject),
        validTo: cert.valid_to,
        fingerprint: cert.fingerprint256,
      });
    });
  });
}
