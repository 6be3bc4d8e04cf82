import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { ClientTracker, generalId, savedOutbox, signedIn, testClient, type TestClient } from './clientHarness.ts';

let hub: TestHub;
const clients = new ClientTracker();
const { track } = clients;
const fast = { backoffBaseMs: 50, backoffCapMs: 300 };

beforeAll(async () => {
  hub = await startHub();
});
afterEach(() => {
  clients.disposeAll();
});
afterAll(async () => {
  await hub?.stop();
});

const savedSession = (c: TestClient) =>
  JSON.parse(c.storage.readNow()['beseda.session'] ?? 'null') as { hubUrl: string; token: string | null } | null;

async function logoutToken(token: string): Promise<number> {
  const res = await fetch(`${hub.url}/api/v1/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  await res.text();
  return res.status;
}

describe('session', () => {
  it('goes signed-out when the session is revoked while connected, and forgets the token', async () => {
    const anna = track(await signedIn(hub, 'anna', { tuning: fast }));
    const token = savedSession(anna)!.token!;
    expect(await logoutToken(token)).toBe(204);
    const s = await anna.until((s) => s.connection === 'signed-out', 'signed out');
    expect(s.connectionError).toBe('session_revoked');
    expect(s.me).toBeNull();
    expect(s.conversations).toEqual({});
    expect(s.hubUrl).toBe(hub.url);
    await new Promise((r) => setTimeout(r, 50));
    expect(savedSession(anna)).toEqual({ hubUrl: hub.url, token: null, me: null });
  });

  it('finds out at start that a saved session was revoked meanwhile (a refused upgrade is checked with /me)', async () => {
    const boris = track(await signedIn(hub, 'boris', { tuning: fast }));
    const token = savedSession(boris)!.token!;
    boris.dispose();
    expect(await logoutToken(token)).toBe(204);
    const again = track(await testClient({ storage: boris.storage, tuning: fast }));
    const s = await again.until((s) => s.connection === 'signed-out', 'signed out at start');
    expect(s.connectionError).toBe('session_revoked');
    expect(savedSession(again)?.token).toBeNull();
  });

  it('says the account is disabled when IT disables it while connected', async () => {
    const vera = track(await signedIn(hub, 'vera', { tuning: fast }));
    await hub.admin_('user.disable', { login: 'vera' });
    const s = await vera.until((s) => s.connection === 'signed-out', 'signed out');
    expect(s.connectionError).toBe('account_disabled');
  });

  it('keeps unsent messages of a revoked session for the same person signing in again', async () => {
    // A minute of back-off: it reconnects only when told, after the password change.
    const gleb = track(
      await signedIn(hub, 'gleb', { tuning: { backoffBaseMs: 60_000, backoffCapMs: 60_000 }, random: () => 0.999 }),
    );
    const general = generalId(gleb.state());
    await hub.stop();
    await gleb.until((s) => s.connection !== 'connected', 'offline');
    await gleb.client.send(general, 'не потеряй меня');
    await hub.restart();
    // The password changes while the client is away: the old session is revoked.
    await hub.admin_('user.passwd', { login: 'gleb', password: 'новый пароль 123' });
    gleb.client.notifyNetworkChange();
    await gleb.until((s) => s.connection === 'signed-out', 'signed out');
    expect(savedOutbox(gleb.storage).map((e) => e.text)).toEqual(['не потеряй меня']);
    expect(await gleb.client.signIn(hub.url, 'gleb', 'новый пароль 123')).toEqual({ ok: true });
    await gleb.until(
      (s) => s.messages[general]?.items.some((m) => m.text === 'не потеряй меня' && m.status === 'sent') ?? false,
      'delivered after signing in again',
    );
  });

  it('signs out: revokes the session on the hub, clears token and outbox, and resets the state', async () => {
    const dina = track(await signedIn(hub, 'dina', { tuning: fast }));
    const token = savedSession(dina)!.token!;
    const general = generalId(dina.state());
    await hub.stop();
    await dina.until((s) => s.connection !== 'connected', 'offline');
    await dina.client.send(general, 'черновик');
    await hub.restart();
    dina.client.notifyNetworkChange();
    await dina.until((s) => !s.messages[general]?.items.some((m) => m.status === 'pending'), 'sent');

    const resets: boolean[] = [];
    dina.client.subscribe((p) => resets.push(!!p.reset));
    await dina.client.signOut();
    await new Promise((r) => setTimeout(r, 20));
    expect(resets).toContain(true);
    const s = dina.state();
    expect(s).toMatchObject({ connection: 'signed-out', me: null, conversations: {}, messages: {}, hubUrl: hub.url });
    expect(savedSession(dina)).toEqual({ hubUrl: hub.url, token: null, me: null });
    expect(savedOutbox(dina.storage)).toEqual([]);
    await expect(TestSocket.open(hub.wsUrl, token)).rejects.toMatchObject({ status: 401 });
  });

  it('signs out cleanly even with messages still pending while the hub is down', async () => {
    const egor = track(await signedIn(hub, 'egor', { tuning: fast }));
    const general = generalId(egor.state());
    await hub.kill();
    await egor.until((s) => s.connection !== 'connected', 'offline');
    await egor.client.send(general, 'никуда');
    await egor.client.signOut();
    expect(egor.state().connection).toBe('signed-out');
    expect(savedOutbox(egor.storage)).toEqual([]);
    await hub.restart();
  });
});
