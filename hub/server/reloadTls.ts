import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/HubConfig.ts';

/** What a TLS reload did: the certificate now served, or why the previous one was kept. */
export type TlsReloadResult =
  { ok: true; fingerprint256: string; subject: string; validTo: string } | { ok: false; reason: string };

/** A certificate and key read from disk and checked to belong together. */
interface TlsPair {
  cert: Buffer;
  key: Buffer;
  x509: X509Certificate;
}

/**
 * Reads `--tls-cert`/`--tls-key` again and serves them to new connections
 * (`server.setSecureContext`); connections already open keep the session they have. A pair that
 * cannot be used (unreadable, not PEM, key not matching the certificate, certificate expired) is
 * refused and the previous one stays in service, so a half-renewed certificate never takes the
 * hub off the air. Logs what it did either way.
 */
export function reloadTls(
  server: http.Server | https.Server,
  config: Pick<HubConfig, 'tlsCert' | 'tlsKey'>,
  log: Logger,
): TlsReloadResult {
  if (config.tlsCert === null || config.tlsKey === null || !(server instanceof https.Server)) {
    log.info('reload: the hub serves plain HTTP (no --tls-cert), no certificate to reload');
    return { ok: false, reason: 'the hub serves plain HTTP (no --tls-cert/--tls-key)' };
  }
  const files = { certFile: config.tlsCert, keyFile: config.tlsKey };
  let pair: TlsPair;
  try {
    pair = readTlsPair(config.tlsCert, config.tlsKey, Date.now());
    server.setSecureContext({ cert: pair.cert, key: pair.key });
  } catch (err) {
    const reason = (err as Error).message;
    log.error({ ...files, reason }, 'TLS reload failed: still serving the previous certificate');
    return { ok: false, reason };
  }
  const served = {
    fingerprint256: pair.x509.fingerprint256,
    subject: pair.x509.subject.replace(/\n/g, ', '),
    validTo: new Date(pair.x509.validTo).toISOString(),
  };
  log.info({ ...files, ...served }, 'TLS certificate reloaded');
  return { ok: true, ...served };
}

/** Reads and checks a certificate and its key; throws with a reason IT can act on. */
function readTlsPair(certFile: string, keyFile: string, now: number): TlsPair {
  const cert = readPem(certFile, 'certificate');
  const key = readPem(keyFile, 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`${certFile} is not a PEM certificate (${(err as Error).message})`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new Error(`${keyFile} is not an unencrypted PEM private key (${(err as Error).message})`);
  }
  if (!x509.checkPrivateKey(privateKey))
    throw new Error(`the key in ${keyFile} does not belong to the certificate in ${certFile}`);
  if (Date.parse(x509.validTo) <= now)
    throw new Error(`the certificate in ${certFile} expired on ${new Date(x509.validTo).toISOString()}`);
  return { cert, key, x509 };
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(
      `cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
