// The session token at rest: encrypted with the OS secret store, cleared on sign-out, and a
// clear warning where Linux has no keyring (basic_text) or nothing can encrypt.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findMenuItem } from '../../main/tray/MenuItemSpec.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { FakeSecretStorage, MapSettingsStore } from './fakes.ts';
import { signIn, startDesktop, until } from './harness.ts';
import type { Desktop, DesktopOptions } from './harness.ts';

let hub: TestHub;
let gus: { id: number; password: string };
const running: Desktop[] = [];

beforeAll(async () => {
  hub = await startHub();
  gus = await hub.addUser('gus', 'Гусь');
});
afterAll(async () => {
  await hub?.stop();
});
afterEach(() => {
  for (const d of running.splice(0)) d.stop();
});

async function desktop(options: DesktopOptions = {}): Promise<Desktop> {
  const d = await startDesktop({ hidden: true, ...options });
  running.push(d);
  return d;
}

/** The token the client stored, decrypted the way the app would. */
function storedToken(d: Desktop): string | null {
  const raw = d.store.get('client.beseda.session') as { enc: string; data: string } | undefined;
  if (!raw) return null;
  const json = raw.enc === 'safe' ? d.secrets.decryptString(Buffer.from(raw.data, 'base64')) : raw.data;
  return (JSON.parse(json) as { token: string | null }).token;
}

describe('the session token at rest', () => {
  it('is stored encrypted, survives a restart, and is gone after sign-out', async () => {
    const store = new MapSettingsStore();
    const secrets = new FakeSecretStorage();
    const d = await desktop({ store, secrets });
    await signIn(d, hub, 'gus', gus.password);
    await until(() => storedToken(d), 'token stored');
    const token = storedToken(d)!;
    expect(token.length).toBeGreaterThanOrEqual(20);
    expect(d.store.get('client.beseda.session')).toMatchObject({ enc: 'safe' });
    expect(store.dump()).not.toContain(token);
    expect(secrets.encrypted).toBeGreaterThan(0);
    // The hub address the user chose is remembered as theirs (lowest precedence).
    expect(d.settings.get('hubUrl')).toBe(hub.url);
    d.stop();

    const again = await desktop({ store, secrets });
    await until(() => again.client.getStateNow().connection === 'connected', 'resumed without signing in');
    await again.app.backend.signOut();
    expect(store.keys().filter((k) => k.startsWith('client.'))).toEqual([]);
    expect(store.dump()).not.toContain(token);
    expect(again.log.text()).toContain('signed out: stored session cleared');
    // The hub revoked it too: the old token no longer opens a socket.
    const res = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('a token that cannot be decrypted any more (profile copied, keyring reset) means signing in again', async () => {
    const store = new MapSettingsStore();
    const d = await desktop({ store });
    await signIn(d, hub, 'gus', gus.password);
    await until(() => storedToken(d), 'token stored');
    d.stop();
    const elsewhere = await desktop({ store, secrets: new FakeSecretStorage() });
    expect(elsewhere.client.getStateNow().connection).toBe('signed-out');
    expect(elsewhere.log.text()).toMatch(/cannot decrypt stored "beseda"/);
    expect(store.has('client.beseda.session')).toBe(false);
  });

  it('warns when Linux has no keyring (basic_text), in the menu and the log', async () => {
    const secrets = new FakeSecretStorage();
    secrets.backend = 'basic_text';
    const d = await desktop({ secrets, platform: 'linux' });
    const item = findMenuItem(d.tray.menu, 'settings.secrets');
    expect(item).toMatchObject({ type: 'normal', enabled: false });
    expect(item?.type === 'normal' && item.label).toContain('без надёжного шифрования');
    expect(d.log.lines.some((l) => l.level === 'warn' && l.message.includes('basic_text'))).toBe(true);
  });

  it('keeps working without encryption, stores plain text, and says so', async () => {
    const secrets = new FakeSecretStorage();
    secrets.available = false;
    const d = await desktop({ secrets });
    await signIn(d, hub, 'gus', gus.password);
    await until(() => storedToken(d), 'token stored');
    expect(d.store.get('client.beseda.session')).toMatchObject({ enc: 'plain' });
    const item = findMenuItem(d.tray.menu, 'settings.secrets');
    expect(item?.type === 'normal' && item.label).toContain('без шифрования');
    expect(d.log.text()).toContain('stored as plain text');
    await d.app.backend.signOut();
    expect(d.store.keys().filter((k) => k.startsWith('client.'))).toEqual([]);
  });

  it('shows no warning when the secret store is real', async () => {
    const d = await desktop();
    expect(findMenuItem(d.tray.menu, 'settings.secrets')).toBeUndefined();
  });
});
