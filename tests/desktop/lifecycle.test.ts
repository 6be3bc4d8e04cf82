// The window's life (close to tray, destroy when hidden long, recreate, crash recovery, quit),
// autostart, the second launch, and the Backend checks that belong to the main process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findMenuItem } from '../../main/tray/MenuItemSpec.ts';
import { destroyHiddenAfterMs } from '../../main/window/WindowController.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { MapSettingsStore } from './fakes.ts';
import { peer, signIn, startDesktop, until } from './harness.ts';
import type { Desktop, DesktopOptions } from './harness.ts';

let hub: TestHub;
let erin: { id: number; password: string };
const running: Desktop[] = [];

beforeAll(async () => {
  hub = await startHub();
  erin = await hub.addUser('erin', 'Эрин');
});
afterAll(async () => {
  await hub?.stop();
});
afterEach(() => {
  for (const d of running.splice(0)) d.stop();
});

async function desktop(options: DesktopOptions = {}): Promise<Desktop> {
  const d = await startDesktop(options);
  running.push(d);
  await Promise.resolve();
  return d;
}

describe('the window', () => {
  it('starts shown, or hidden in the tray with --hidden (no window at all)', async () => {
    const shown = await desktop();
    expect(shown.windows.current?.visible).toBe(true);
    const hidden = await desktop({ hidden: true });
    expect(hidden.windows.all).toHaveLength(0);
    hidden.app.trayClicked();
    await Promise.resolve();
    expect(hidden.windows.current?.visible).toBe(true);
  });

  it('closing hides to the tray and says so once, ever', async () => {
    const store = new MapSettingsStore();
    const d = await desktop({ store });
    const w = d.windows.current!;
    w.userClose();
    expect(w.destroyed).toBe(false);
    expect(w.visible).toBe(false);
    expect(d.notifier.shown.map((n) => n.title)).toEqual(['Беседа работает в трее']);
    d.app.trayClicked();
    expect(w.visible).toBe(true);
    w.userClose();
    expect(d.notifier.shown).toHaveLength(1);
    d.stop();
    const again = await desktop({ store });
    again.windows.current!.userClose();
    expect(again.notifier.shown).toHaveLength(0);
  });

  it('the tray click toggles the window', async () => {
    const d = await desktop();
    const w = d.windows.current!;
    d.app.trayClicked();
    expect(w.visible).toBe(false);
    d.app.trayClicked();
    expect(w.visible && w.focused).toBe(true);
    w.minimized = true;
    d.app.trayClicked();
    expect(w.minimized).toBe(false);
  });

  it('destroys a window hidden for 10 minutes and recreates it on open', async () => {
    const d = await desktop();
    const first = d.windows.current!;
    d.app.trayClicked();
    d.clock.advance(destroyHiddenAfterMs - 1000);
    expect(first.destroyed).toBe(false);
    d.app.trayClicked();
    d.app.trayClicked();
    d.clock.advance(destroyHiddenAfterMs - 1);
    expect(first.destroyed).toBe(false);
    d.clock.advance(1);
    expect(first.destroyed).toBe(true);
    expect(d.windows.current).toBeUndefined();
    const open = findMenuItem(d.tray.menu, 'open');
    if (open?.type !== 'normal') throw new Error('no open item');
    open.click!();
    await Promise.resolve();
    expect(d.windows.all).toHaveLength(2);
    expect(d.windows.current!.visible).toBe(true);
    // The badge is re-applied to the new window (the Windows overlay belongs to a window).
    expect(d.badge.shown.at(-1)!.window).toBe(d.windows.current);
  });

  it('recreates the window when its renderer process dies (no white window), within reason', async () => {
    const d = await desktop();
    d.windows.current!.crash('oom');
    await Promise.resolve();
    expect(d.windows.all).toHaveLength(2);
    expect(d.windows.all[0]!.destroyed).toBe(true);
    expect(d.windows.current!.visible).toBe(true);
    d.windows.current!.crash('clean-exit');
    expect(d.windows.all).toHaveLength(2);
    for (let i = 0; i < 3; i++) d.windows.current!.crash('crashed');
    expect(d.windows.all).toHaveLength(4);
    expect(d.windows.current).toBeUndefined();
    expect(d.log.text()).toMatch(/renderer gone \(crashed\) 4 times/);
    d.app.trayClicked();
    expect(d.windows.all).toHaveLength(5);
  });

  it('Quit from the menu really quits (the window may close)', async () => {
    const d = await desktop();
    const w = d.windows.current!;
    const quit = findMenuItem(d.tray.menu, 'quit');
    if (quit?.type !== 'normal') throw new Error('no quit item');
    quit.click!();
    expect(d.quits).toBe(1);
    w.userClose();
    expect(w.destroyed).toBe(true);
  });
});

describe('autostart', () => {
  it('is on by default, switchable from the menu, and not registered in development', async () => {
    const d = await desktop();
    expect(d.autostart.changes).toEqual([true]);
    const item = findMenuItem(d.tray.menu, 'settings.autostart');
    if (item?.type !== 'checkbox') throw new Error('no autostart item');
    expect(item.checked).toBe(true);
    item.click();
    expect(d.autostart.changes).toEqual([true, false]);
    expect(d.settings.get('autostart')).toBe(false);
    const dev = await desktop({ autostartAvailable: false });
    expect(dev.autostart.changes).toEqual([]);
  });

  it('obeys a lock in the machine-wide file', async () => {
    const d = await desktop({ machine: { autostart: false, locked: ['autostart'] } });
    d.autostart.enabled = false;
    const item = findMenuItem(d.tray.menu, 'settings.autostart');
    if (item?.type !== 'checkbox') throw new Error('no autostart item');
    expect(item).toMatchObject({ checked: false, enabled: false });
    expect(item.label).toContain('(задано администратором)');
    item.click();
    expect(d.autostart.changes).toEqual([]);
  });
});

describe('second launch and deep links', () => {
  it('comes forward, takes --hub for the sign-in form, and opens beseda:// links', async () => {
    const d = await desktop({ hidden: true });
    d.app.secondInstance(['beseda.exe', '--hub', 'https://hub.branch.example:8443']);
    await Promise.resolve();
    expect(d.windows.current?.visible).toBe(true);
    expect((await d.app.backend.deployment()).hubUrl).toBe('https://hub.branch.example:8443');
    d.app.secondInstance(['beseda.exe', '--hub', 'https://evil.example', 'beseda://conversation/1']);
    expect((await d.app.backend.deployment()).hubUrl).toBe('https://hub.branch.example:8443');
    expect(d.log.text()).toContain('ignored arguments');

    await signIn(d, hub, 'erin', erin.password);
    const bob = await peer(hub, 'bob2', 'Боб');
    const dm = ((await bob.socket.request('direct.open', { userId: erin.id })) as { conversation: { id: number } })
      .conversation.id;
    await until(() => d.client.getStateNow().conversations[dm], 'conversation known');
    d.app.trayClicked();
    d.app.secondInstance(['beseda.exe', `beseda://conversation/${dm}`]);
    await until(() => d.windows.current?.navigations.includes(dm), 'navigated');
    expect(d.windows.current!.visible).toBe(true);
    expect(d.client.getStateNow().activeConversationId).toBe(dm);
    bob.socket.close();
  });

  it('keeps a locked hub address: no --hub, no sign-in elsewhere', async () => {
    const d = await desktop({ hubUrl: 'https://cmd.example', machine: { hubUrl: hub.url, locked: ['hubUrl'] } });
    expect(await d.app.backend.deployment()).toEqual({ hubUrl: hub.url, branch: null, hubUrlLocked: true });
    d.app.secondInstance(['beseda.exe', '--hub', 'https://other.example']);
    expect((await d.app.backend.deployment()).hubUrl).toBe(hub.url);
    const refused = await d.app.backend.signIn('https://other.example', 'erin', erin.password);
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(d.client.getStateNow().connection).toBe('signed-out');
    // The same hub written differently is the same hub.
    const ok = await d.app.backend.signIn(`${hub.url}/`, 'erin', erin.password);
    expect(ok).toEqual({ ok: true });
  });
});

describe('links from the page', () => {
  it('opens only checked, re-serialised http/https/mailto links', async () => {
    const d = await desktop();
    await d.app.backend.openExternal('https://example.com/отчёт?a=1');
    expect(d.opened).toEqual(['https://example.com/%D0%BE%D1%82%D1%87%D1%91%D1%82?a=1']);
    for (const url of ['javascript:alert(1)', 'file:///C:/Windows/win.ini', 'https://a@evil.example/', 'smb://x/y'])
      await expect(d.app.backend.openExternal(url)).rejects.toThrow();
    expect(d.opened).toHaveLength(1);
  });
});
