// Certificates (issue 21, point 5): the desktop app's main process trusts what the OS store trusts
// (an organization's internal CA) for the hub's TLS, and says clearly — naming the CA and what IT
// should do — when it does not, instead of retrying silently or trying ws://. A real hub serves
// HTTPS/WSS with a certificate a throwaway CA (openssl) issued; the trust store port supplies that
// CA or not. Node 20 (these tests) lacks Node 24's tls.setDefaultCACertificates, which the app
// uses inside Electron 45: EmulatedTlsDefaults stands in for it at the same seam.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../common/client/ChatClient.ts';
import type { WebSocketLike } from '../../common/client/WebSocketLike.ts';
import { guardCertificates } from '../../main/certs/guardCertificates.ts';
import { HubTrust } from '../../main/certs/HubTrust.ts';
import { inspectHubCertificate, type HubCertificate } from '../../main/certs/inspectHubCertificate.ts';
import type { TlsDefaults, TrustStore } from '../../main/certs/TrustStore.ts';
import { untrustedHubText } from '../../main/certs/untrustedHubText.ts';
import { createWsSocket } from '../../main/createWsSocket.ts';
import { NodeFileUploader } from '../../main/files/NodeFileUploader.ts';
import { SecureClientStorage } from '../../main/storage/SecureClientStorage.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { FakeSecretStorage, MapSettingsStore, RecordingLog } from './fakes.ts';
import { until } from './harness.ts';

/**
 * Node 24's default-CA list on Node 20: every TLS connection that names no CA of its own (ws,
 * fetch, node:https) gets the list set here, as `tls.setDefaultCACertificates` does.
 */
class EmulatedTlsDefaults implements TlsDefaults {
  readonly supported = true;
  private list: string[] = [...tls.rootCertificates];
  private readonly original = tls.createSecureContext;

  constructor() {
    const original = this.original;
    tls.createSecureContext = (options) => original(options?.ca ? options : { ...options, ca: this.list });
  }
  current(): string[] {
    return [...this.list];
  }
  replace(certs: string[]): void {
    this.list = [...certs];
  }
  reset(): void {
    this.list = [...tls.rootCertificates];
  }
  restore(): void {
    tls.createSecureContext = this.original;
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-cert-'));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

/** A CA (self-signed root) in DIR/NAME.crt and DIR/NAME.key. */
function makeCa(name: string, subject: string): string {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    subject,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.crt`),
  );
  return readFileSync(file(`${name}.crt`), 'utf8');
}

/** A server certificate for `altName` that CA issued, in DIR/NAME.crt and DIR/NAME.key. */
function issue(ca: string, name: string, altName: string): void {
  writeFileSync(
    file(`${name}.ext`),
    `subjectAltName=${altName}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=beseda-hub',
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file(`${ca}.crt`),
    '-CAkey',
    file(`${ca}.key`),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file(`${name}.ext`),
    '-out',
    file(`${name}.crt`),
  );
}

let hub: TestHub;
let hubHttps: string;
let corpCa: string;
let user: { login: string; password: string };
const defaults = new EmulatedTlsDefaults();

beforeAll(async () => {
  corpCa = makeCa('corp-ca', '/CN=Kazan Corp Root CA/O=Kazan Corp');
  makeCa('other-ca', '/CN=Someone Else CA/O=Elsewhere');
  issue('corp-ca', 'hub', 'IP:127.0.0.1');
  issue('other-ca', 'hub-other', 'IP:127.0.0.1');
  issue('corp-ca', 'hub-named', 'DNS:chat.kazan.corp.local');
  copyFileSync(file('hub.crt'), file('serving.crt'));
  copyFileSync(file('hub.key'), file('serving.key'));
  hub = await startHub({ args: ['--tls-cert', file('serving.crt'), '--tls-key', file('serving.key')] });
  hubHttps = `https://127.0.0.1:${hub.port}`;
  const u = await hub.addUser('irina', 'Ирина');
  user = { login: u.login, password: u.password };
}, 60_000);

afterAll(async () => {
  defaults.restore();
  await hub?.stop();
});

/** The desktop client as the app wires it (ws, Node's fetch), guarded, recording every socket URL. */
function desktopClient(lang: 'ru' | 'en' = 'ru') {
  const sockets: string[] = [];
  const alerts: { title: string; body: string }[] = [];
  const log = new RecordingLog();
  const storage = new SecureClientStorage(new MapSettingsStore(), new FakeSecretStorage(), () => undefined);
  const core = new ChatClient({
    createSocket: (url, protocols): WebSocketLike => {
      sockets.push(url);
      return createWsSocket(url, protocols);
    },
    fetch: (input, init) => fetch(input, init),
    storage,
    uploader: new NodeFileUploader(),
    host: {
      openExternal: async () => undefined,
      deployment: async () => ({ hubUrl: null, branch: null, hubUrlLocked: false }),
    },
    tuning: { backoffBaseMs: 100, backoffCapMs: 400 },
  });
  const client = guardCertificates(core, {
    inspect: (url) => inspectHubCertificate(url, 5000),
    lang,
    log,
    alert: (title, body) => alerts.push({ title, body }),
    recheckMs: 200,
  });
  return { client, core, sockets, alerts, log };
}

/** The trust the app installs at start, from a store holding `authorities`. */
function installTrust(authorities: string[]): { added: number; log: RecordingLog } {
  defaults.reset();
  const log = new RecordingLog();
  const store: TrustStore = { authorities: () => authorities };
  return { added: new HubTrust({ store, defaults, log }).install(), log };
}

describe('HubTrust (the OS store into Node’s default CAs)', () => {
  it('adds the store’s authorities once, skipping those Node already has, and logs how many', () => {
    const { added, log } = installTrust([corpCa, corpCa.replace(/\n/g, '\r\n'), tls.rootCertificates[0]!]);
    expect(added).toBe(1);
    expect(defaults.current()).toHaveLength(tls.rootCertificates.length + 1);
    expect(log.lines).toContainEqual({
      level: 'info',
      message: 'TLS trust',
      fields: { systemAuthorities: 3, added: 1 },
    });
  });

  it('says so and trusts only the bundled CAs where the store cannot be read or the runtime cannot extend trust', () => {
    defaults.reset();
    const log = new RecordingLog();
    const broken: TrustStore = {
      authorities: () => {
        throw new Error('access denied');
      },
    };
    expect(new HubTrust({ store: broken, defaults, log }).install()).toBe(0);
    const unsupported: TlsDefaults = { supported: false, current: () => [], replace: () => expect.unreachable() };
    expect(new HubTrust({ store: { authorities: () => [corpCa] }, defaults: unsupported, log }).install()).toBe(0);
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(log.text()).toContain('access denied');
    expect(defaults.current()).toHaveLength(tls.rootCertificates.length);
  });
});

describe('a real TLS hub whose certificate an internal CA issued', () => {
  it('without that CA in the store: sign-in fails with the message naming the CA and what IT should do; nothing tries ws://', async () => {
    installTrust([]);
    const { client, sockets, log } = desktopClient('ru');
    const result = await client.signIn(hubHttps, user.login, user.password);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('untrusted_certificate');
    expect(result.error.message).toMatch(/^Сертификат хаба не доверен: 127\.0\.0\.1:\d+ предъявил сертификат/);
    expect(result.error.message).toContain('«Kazan Corp Root CA (Kazan Corp)»');
    expect(result.error.message).toContain('«Доверенные корневые центры сертификации»');
    expect(sockets.filter((u) => !u.startsWith('wss://'))).toEqual([]);
    const warned = log.lines.find((l) => l.message === 'hub certificate not trusted');
    expect(warned?.fields).toMatchObject({ problem: 'untrusted', issuer: 'Kazan Corp Root CA (Kazan Corp)' });
    client.dispose();

    const en = desktopClient('en');
    const english = await en.client.signIn(`wss://127.0.0.1:${hub.port}`, user.login, user.password);
    expect(english.ok ? '' : english.error.message).toContain('The hub’s certificate is not trusted: ');
    expect(english.ok ? '' : english.error.message).toContain('“Trusted Root Certification Authorities”');
    en.client.dispose();
  }, 60_000);

  it('with the CA the store supplies: signs in and connects over wss://', async () => {
    installTrust([corpCa]);
    const { client, core, sockets, alerts } = desktopClient();
    const result = await client.signIn(hubHttps, user.login, user.password);
    expect(result).toEqual({ ok: true });
    await until(() => core.getStateNow().connection === 'connected', 'connected', 20_000);
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((u) => u.startsWith(`wss://127.0.0.1:${hub.port}/`))).toBe(true);
    expect(alerts).toEqual([]);
    client.dispose();
  }, 60_000);

  it('a signed-in session whose hub turns up with another CA’s certificate: one notification, retries stay on wss://', async () => {
    installTrust([corpCa]);
    const { client, core, sockets, alerts } = desktopClient('ru');
    expect(await client.signIn(hubHttps, user.login, user.password)).toEqual({ ok: true });
    await until(() => core.getStateNow().connection === 'connected', 'connected', 20_000);

    await hub.stop();
    copyFileSync(file('hub-other.crt'), file('serving.crt'));
    copyFileSync(file('hub-other.key'), file('serving.key'));
    await hub.restart();
    try {
      const alert = await until(() => alerts[0], 'the certificate alert', 30_000);
      expect(alert.title).toBe('Сертификат хаба не доверен');
      expect(alert.body).toContain('«Someone Else CA (Elsewhere)»');
      // The core keeps trying (over TLS) with its back-off; the user is told once, not per attempt.
      const seen = sockets.length;
      await until(() => sockets.length >= seen + 3, 'three more attempts', 30_000);
      expect(alerts).toHaveLength(1);
      expect(core.getStateNow().connection).not.toBe('connected');
      expect(sockets.filter((u) => !u.startsWith('wss://'))).toEqual([]);
    } finally {
      client.dispose();
      await hub.stop();
      copyFileSync(file('hub.crt'), file('serving.crt'));
      copyFileSync(file('hub.key'), file('serving.key'));
      await hub.restart();
    }
  }, 120_000);
});

describe('inspectHubCertificate and the message', () => {
  it('tells a wrong name from an unknown CA, and leaves a plain or silent hub alone', async () => {
    installTrust([corpCa]);
    const server = https.createServer({
      cert: readFileSync(file('hub-named.crt')),
      key: readFileSync(file('hub-named.key')),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const named = await inspectHubCertificate(`https://127.0.0.1:${port}`);
      expect(named).toMatchObject({ problem: 'name', issuer: 'Kazan Corp Root CA (Kazan Corp)' });
      expect(untrustedHubText('ru', `127.0.0.1:${port}`, named!).body).toContain('subjectAltName');
      expect(await inspectHubCertificate(`https://127.0.0.1:${hub.port}`)).toMatchObject({ problem: null, code: null });
      expect(await inspectHubCertificate(`http://127.0.0.1:${port}`)).toBeNull();
      expect(await inspectHubCertificate('https://127.0.0.1:9')).toBeNull();
    } finally {
      server.close();
    }
  });

  it('an expired certificate asks for a new one (and a look at the clock), in both languages', () => {
    const cert: HubCertificate = {
      problem: 'expired',
      code: 'CERT_HAS_EXPIRED',
      issuer: 'Kazan Corp Root CA (Kazan Corp)',
      subject: 'beseda-hub',
      validTo: 'Jan  1 00:00:00 2026 GMT',
      fingerprint: 'AA',
    };
    expect(untrustedHubText('ru', 'chat.kazan.corp.local', cert).full).toBe(
      'Сертификат хаба не доверен: сертификат chat.kazan.corp.local (выдан «Kazan Corp Root CA (Kazan Corp)») просрочен или ещё не действует: срок — до Jan  1 00:00:00 2026 GMT. Что сделать ИТ: выпустить для хаба новый сертификат; проверьте и часы этого компьютера.',
    );
    expect(untrustedHubText('en', 'chat.kazan.corp.local', cert).full).toContain('has expired or is not valid yet');
  });
});
