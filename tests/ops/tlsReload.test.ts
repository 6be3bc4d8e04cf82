// TLS certificate reload on SIGHUP (`systemctl reload`: ExecReload=kill -HUP $MAINPID) of a hub
// started with `beseda-hub serve` as a child process: people already connected over wss stay
// connected and keep talking, new connections are shown the new certificate, and a pair that
// cannot be used (key of another certificate, not PEM, expired, missing) leaves the previous one
// in service. A plain-HTTP hub (behind nginx) survives the same reload.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, waitFor } from '../hub/serveProcess.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import {
  fingerprintOf,
  logLines,
  makeCertificate,
  ProtocolSocket,
  request,
  servedFingerprint,
  signIn,
} from './proxyHelpers.ts';

/** Sends SIGHUP and waits for the hub's answer to it: the next log line with one of `messages`. */
async function reload(hub: TestHub, ...messages: string[]): Promise<Record<string, unknown>> {
  const answers = () => logLines(hub.output).filter((l) => messages.includes(l.msg as string));
  const before = answers().length;
  hub.process.kill('SIGHUP');
  if (!(await waitFor(() => answers().length > before, 30_000)))
    throw new Error(`no "${messages.join('" or "')}" after SIGHUP:\n${hub.output.join('\n')}`);
  return answers()[before]!;
}

describe('TLS reload on SIGHUP', () => {
  let dir: string;
  let hub: TestHub;
  const live = { cert: '', key: '' };
  let a: { cert: string; key: string };
  let b: { cert: string; key: string };
  let ca: Buffer[];
  const install = (pair: { cert: string; key: string }) => {
    copyFileSync(pair.key, live.key);
    copyFileSync(pair.cert, live.cert);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-tlsreload-'));
    a = makeCertificate(dir, 'first');
    b = makeCertificate(dir, 'renewed');
    live.cert = path.join(dir, 'live.crt');
    live.key = path.join(dir, 'live.key');
    install(a);
    ca = [readFileSync(a.cert), readFileSync(b.cert)];
    hub = await startHub({ args: ['--tls-cert', live.cert, '--tls-key', live.key] });
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps connected people connected and shows new connections the new certificate', async () => {
    const base = `https://127.0.0.1:${hub.port}`;
    const wss = `wss://127.0.0.1:${hub.port}/ws`;
    expect(await servedFingerprint(hub.port)).toBe(fingerprintOf(a.cert));
    const alice = await hub.addUser('alice');
    const bob = await hub.addUser('bob');
    const aliceSocket = await ProtocolSocket.open(wss, await signIn(base, 'alice', alice.password, { ca }), { ca });
    const bobSocket = await ProtocolSocket.open(wss, await signIn(base, 'bob', bob.password, { ca }), { ca });
    let closes = 0;
    for (const s of [aliceSocket, bobSocket]) void s.closed.then(() => closes++);

    install(b);
    const done = await reload(
      hub,
      'TLS certificate reloaded',
      'TLS reload failed: still serving the previous certificate',
    );
    expect(done.msg).toBe('TLS certificate reloaded');
    expect(done.fingerprint256).toBe(fingerprintOf(b.cert));
    expect(await servedFingerprint(hub.port)).toBe(fingerprintOf(b.cert));
    // A client that trusts only the renewed certificate now gets in (and one trusting only the old does not).
    const renewedOnly = { ca: [ca[1]!] };
    expect((await request(`${base}/healthz`, renewedOnly)).status).toBe(200);
    await expect(request(`${base}/healthz`, { ca: [ca[0]!] })).rejects.toThrow();

    // The sockets opened before the reload are the same TLS sessions (still the first certificate) and still work.
    const generalId = aliceSocket.hello.conversations.find((c) => c.kind === 'general')!.id;
    const heard = bobSocket.next('message', (f) => f.message.text === 'после перевыпуска');
    await aliceSocket.request('send', {
      conversationId: generalId,
      clientId: 'tls-reload-1',
      text: 'после перевыпуска',
    });
    expect((await heard).message.text).toBe('после перевыпуска');
    const tlsOf = (s: ProtocolSocket) =>
      (s.ws as unknown as { _socket: TLSSocket })._socket.getPeerCertificate().fingerprint256;
    expect(tlsOf(aliceSocket)).toBe(fingerprintOf(a.cert));
    expect(closes).toBe(0);
    aliceSocket.close();
    bobSocket.close();
  });

  it('keeps the previous certificate when the new pair cannot be used, and logs why', async () => {
    const current = await servedFingerprint(hub.port);
    const user = await hub.addUser('carol');
    const base = `https://127.0.0.1:${hub.port}`;
    const socket = await ProtocolSocket.open(
      `wss://127.0.0.1:${hub.port}/ws`,
      await signIn(base, 'carol', user.password, { ca }),
      { ca },
    );
    const expired = makeCertificate(dir, 'expired', -1);
    const broken: [string, () => void, RegExp][] = [
      [
        'a key of another certificate',
        () => (copyFileSync(a.cert, live.cert), copyFileSync(b.key, live.key)),
        /does not belong/,
      ],
      [
        'a certificate that is not PEM',
        () => (install(b), writeFileSync(live.cert, 'not a certificate\n')),
        /not a PEM certificate/,
      ],
      ['an expired certificate', () => install(expired), /expired/],
      ['a missing key file', () => (install(b), rmSync(live.key)), /cannot read the key/],
    ];
    for (const [what, put, reason] of broken) {
      put();
      const line = await reload(
        hub,
        'TLS certificate reloaded',
        'TLS reload failed: still serving the previous certificate',
      );
      expect(line.msg, what).toBe('TLS reload failed: still serving the previous certificate');
      expect(line.reason, what).toMatch(reason);
      expect(await servedFingerprint(hub.port), what).toBe(current);
    }
    expect(isAlive(hub.process.pid!)).toBe(true);
    // Still in service: the socket opened before, and fresh sign-ins.
    expect(await socket.request('conversations.list')).toBeTruthy();
    expect(await signIn(base, 'carol', user.password, { ca })).toMatch(/./);
    // A good pair afterwards is taken again.
    install(a);
    expect((await reload(hub, 'TLS certificate reloaded')).fingerprint256).toBe(fingerprintOf(a.cert));
    expect(await servedFingerprint(hub.port)).toBe(fingerprintOf(a.cert));
    socket.close();
  });
});

describe('SIGHUP to a plain-HTTP hub (TLS ended at a proxy)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('is logged and changes nothing: the hub keeps serving', async () => {
    const user = await hub.addUser('dave');
    const socket = await ProtocolSocket.open(hub.wsUrl, await signIn(hub.url, 'dave', user.password));
    await reload(hub, 'reload: the hub serves plain HTTP (no --tls-cert), no certificate to reload');
    expect((await request(`${hub.url}/healthz`)).status).toBe(200);
    expect(isAlive(hub.process.pid!)).toBe(true);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
    expect(await hub.stop()).toBe(0);
  });
});
