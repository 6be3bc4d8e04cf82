// The desktop app's update decisions (main/update/UpdateManager.ts) through the Updater port with a
// recording fake and a hand-driven clock: when it checks, what it tells the hub, what it downloads
// and installs, what IT's config.json changes, and that a download failing its sha512 is refused.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMachineConfig } from '../../main/config/MachineConfig.ts';
import { nextLocalHour, UpdateManager, type UpdateManagerDeps } from '../../main/update/UpdateManager.ts';
import { UpdatePrefs } from '../../main/update/UpdatePrefs.ts';
import { FakeClock, RecordingLog } from '../desktop/fakes.ts';
import { checksumError, RecordingUpdater } from './fakeUpdater.ts';

const hour = 3600_000;

function manager(options: {
  updater?: RecordingUpdater;
  enabled?: boolean;
  pin?: string | null;
  signedIn?: boolean;
  platform?: NodeJS.Platform;
}) {
  const updater = options.updater ?? new RecordingUpdater();
  const clock = new FakeClock();
  const log = new RecordingLog();
  const prefs = { installId: 'ab'.repeat(16), installOnQuit: true };
  let changes = 0;
  const access = { signedIn: options.signedIn ?? true };
  const deps: UpdateManagerDeps = {
    updater,
    clock,
    log,
    prefs,
    platform: options.platform ?? 'win32',
    config: () => ({ enabled: options.enabled ?? true, pin: options.pin ?? null, branch: 'kazan' }),
    access: () => (access.signedIn ? { base: 'https://chat.kazan.corp:8443', token: 'tok'.repeat(8) } : null),
    changed: () => void changes++,
  };
  const m = new UpdateManager(deps);
  /** Moves the clock and lets the check it started finish. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { m, updater, clock, log, prefs, access, advance, changes: () => changes };
}

describe('update decisions', () => {
  it('checks a minute after start and every 4 hours, downloads a newer version and installs it on quit', async () => {
    const t = manager({});
    t.m.start();
    await t.advance(59_000);
    expect(t.updater.calls).toEqual([]);
    await t.advance(1000);
    expect(t.updater.calls).toEqual(['check']);
    expect(t.m.status()).toEqual({ phase: 'idle', version: null, installOnQuit: true });
    const feed = t.updater.feeds[0]!;
    const url = new URL(feed.url);
    expect(url.origin + url.pathname).toBe('https://chat.kazan.corp:8443/updates/stable/win/');
    expect(Object.fromEntries(url.searchParams)).toEqual({ branch: 'kazan', id: 'ab'.repeat(16), version: '1.0.0' });
    expect(feed.headers).toEqual({ authorization: `Bearer ${'tok'.repeat(8)}` });
    expect(feed.allowDowngrade).toBe(false);

    t.updater.offer = { version: '1.1.0' };
    await t.advance(4 * hour - 1);
    expect(t.updater.calls).toEqual(['check']);
    await t.advance(1);
    expect(t.updater.calls).toEqual(['check', 'check', 'download', 'installOnQuit:true']);
    expect(t.m.status()).toEqual({ phase: 'ready', version: '1.1.0', installOnQuit: true });
    expect(t.changes()).toBeGreaterThan(0);
    // Ready: no more checks or downloads; installing now is the person's to choose.
    await t.advance(12 * hour);
    expect(t.updater.calls.filter((c) => c === 'check')).toHaveLength(2);
    t.m.installNow();
    expect(t.updater.calls.at(-1)).toBe('installNow');
  });

  it('installs at the hour the person picks (local time), and not if they cancel', async () => {
    const t = manager({});
    t.updater.offer = { version: '1.1.0' };
    t.m.installAt(18); // nothing downloaded yet: nothing to schedule
    expect(t.m.status().installAt).toBeUndefined();
    await t.m.check();
    expect(t.m.status().phase).toBe('ready');
    t.m.installAt(18);
    const at = nextLocalHour(t.clock.now(), 18);
    expect(new Date(at).getHours()).toBe(18);
    expect(at - t.clock.now()).toBeGreaterThan(0);
    expect(at - t.clock.now()).toBeLessThanOrEqual(24 * hour);
    expect(t.m.status().installAt).toBe(at);
    await t.advance(at - t.clock.now() - 1);
    expect(t.updater.calls).not.toContain('installNow');
    await t.advance(1);
    expect(t.updater.calls.at(-1)).toBe('installNow');
    expect(t.m.status().installAt).toBeUndefined();

    const u = manager({});
    u.updater.offer = { version: '1.1.0' };
    await u.m.check();
    u.m.installAt(12);
    u.m.installAt(20); // a new choice replaces the old one
    expect(new Date(u.m.status().installAt!).getHours()).toBe(20);
    u.m.cancelInstallAt();
    expect(u.m.status().installAt).toBeUndefined();
    await u.advance(48 * hour);
    expect(u.updater.calls).not.toContain('installNow');
  });

  it('lets the person keep a downloaded update from installing on quit, and remembers it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-update-'));
    const file = path.join(dir, 'update.json');
    const prefs = new UpdatePrefs(file);
    expect(prefs.installId).toMatch(/^[0-9a-f]{32}$/);
    expect(new UpdatePrefs(file).installId).toBe(prefs.installId);
    const t = manager({});
    t.updater.offer = { version: '1.1.0' };
    const m = new UpdateManager({
      updater: t.updater,
      clock: t.clock,
      log: t.log,
      prefs,
      platform: 'linux',
      config: () => ({ enabled: true, pin: null, branch: null }),
      access: () => ({ base: 'https://hub/', token: 'x'.repeat(24) }),
      changed: () => undefined,
    });
    m.setInstallOnQuit(false);
    await m.check();
    expect(new URL(t.updater.feeds[0]!.url).pathname).toBe('/updates/stable/linux/');
    expect(t.updater.calls).toEqual(['check', 'download', 'installOnQuit:false']);
    m.setInstallOnQuit(true);
    expect(t.updater.installOnQuit).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ installId: prefs.installId, installOnQuit: true });
  });

  it('refuses a download that does not match its sha512: nothing installs, the next check tries again', async () => {
    const t = manager({});
    t.updater.offer = { version: '1.1.0' };
    t.updater.downloadError = checksumError('AAAA', 'BBBB');
    await t.m.check();
    expect(t.m.status()).toEqual({ phase: 'refused', version: '1.1.0', installOnQuit: true });
    expect(t.updater.calls).toEqual(['check', 'download']);
    expect(t.log.text()).toMatch(
      /warn update refused: the download does not match the sha512 in the feed \{"version":"1.1.0"\}/,
    );
    t.m.installNow();
    expect(t.updater.calls).not.toContain('installNow');
    expect(t.updater.installOnQuit).toBeNull();
    // Another failure is not a refusal.
    t.updater.downloadError = new Error('socket hang up');
    await t.advance(4 * hour);
    expect(t.m.status().phase).toBe('failed');
    t.updater.downloadError = null;
    await t.advance(4 * hour);
    expect(t.m.status()).toEqual({ phase: 'ready', version: '1.1.0', installOnQuit: true });
  });

  it('with updates off in config.json only tells the hub its version, never downloads', async () => {
    const t = manager({ enabled: false });
    t.updater.offer = { version: '1.1.0' };
    await t.m.check();
    expect(t.updater.calls).toEqual(['check']);
    expect(t.m.status().phase).toBe('off');
    await t.advance(4 * hour);
    expect(t.updater.calls).toEqual(['check', 'check']);
    // A development run (not an installed build) is the same.
    const dev = manager({ updater: new RecordingUpdater('1.0.0', false) });
    dev.updater.offer = { version: '1.1.0' };
    await dev.m.check();
    expect(dev.updater.calls).toEqual(['check']);
  });

  it('with a pinned version asks for it, may go back to it, and takes nothing else', async () => {
    const t = manager({ pin: '0.9.0' });
    t.updater.offer = { version: '1.1.0' };
    await t.m.check();
    const feed = t.updater.feeds[0]!;
    expect(new URL(feed.url).searchParams.get('pin')).toBe('0.9.0');
    expect(feed.allowDowngrade).toBe(true);
    expect(t.updater.calls).toEqual(['check']);
    expect(t.log.text()).toMatch(/config.json pins another version/);
    t.updater.offer = { version: '0.9.0' };
    await t.advance(4 * hour);
    expect(t.updater.calls).toEqual(['check', 'check', 'download', 'installOnQuit:true']);
    expect(t.m.status().version).toBe('0.9.0');
  });

  it('puts a check off while signed out and tries again 10 minutes later', async () => {
    const t = manager({ signedIn: false });
    t.m.start();
    await t.advance(60_000);
    expect(t.updater.calls).toEqual([]);
    t.access.signedIn = true;
    await t.advance(10 * 60_000);
    expect(t.updater.calls).toEqual(['check']);
    t.m.stop();
    await t.advance(8 * hour);
    expect(t.updater.calls).toEqual(['check']);
  });

  it('reads updatePin from the machine-wide config.json', () => {
    expect(parseMachineConfig('{"updates": true, "updatePin": "1.2.3"}').config.updatePin).toBe('1.2.3');
    expect(parseMachineConfig('{"updatePin": "v2.0.0-beta.1"}').config.updatePin).toBe('2.0.0-beta.1');
    const bad = parseMachineConfig('{"updatePin": "latest", "hubUrl": "wss://chat.corp:8443"}');
    expect(bad.config.updatePin).toBeNull();
    expect(bad.problems).toEqual(['updatePin is not a version like "1.2.3"']);
    expect(bad.config.hubUrl).toBe('wss://chat.corp:8443');
  });
});
