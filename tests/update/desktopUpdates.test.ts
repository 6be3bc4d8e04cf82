// Updates from the hub end to end, without Electron: the desktop app's decisions (DesktopApp with
// its UpdateManager) signed in to a real hub, behind an Updater that fetches the feed and the file
// the way electron-updater's generic provider does and checks the sha512. The tray offers
// «Установить обновление и перезапустить» only for a verified download; a file damaged on the
// hub's disk is refused; config.json's `updates: false` and `updatePin` are obeyed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MachineConfig } from '../../main/config/MachineConfig.ts';
import { findMenuItem } from '../../main/tray/MenuItemSpec.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { runCli } from '../integrations/integrationHelpers.ts';
import { signIn, startDesktop, until, type Desktop } from '../desktop/harness.ts';
import { HubFeedUpdater } from './fakeUpdater.ts';
import { fakeBuild } from './releaseHelpers.ts';

describe('the desktop app updating from a real hub', () => {
  let hub: TestHub;
  let ivan: { password: string };
  const open: Desktop[] = [];
  let n = 0;

  beforeAll(async () => {
    hub = await startHub();
    ivan = await hub.addUser('ivan', 'Иван', { branch: 'kazan' });
    for (const version of ['1.1.0', '1.2.0']) {
      const r = await runCli([
        'release',
        'add',
        ...fakeBuild(version, 'kazan').paths,
        '--channel',
        'stable',
        '--data',
        hub.dataDir,
      ]);
      expect(r.code, r.err).toBe(0);
    }
    // 1.2.0's installer rots on the hub's disk after it was checked: the feed still names the good sha512.
    const dir = path.join(hub.dataDir, 'releases', 'stable', '1.2.0');
    const build = path.join(dir, readdirSync(dir)[0]!);
    const exe = readdirSync(build).find((f) => f.endsWith('.exe'))!;
    const bytes = readFileSync(path.join(build, exe));
    bytes[5000] = bytes[5000]! ^ 0x01;
    writeFileSync(path.join(build, exe), bytes);
  }, 120_000);
  afterEach(() => {
    for (const d of open.splice(0)) d.stop();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function desktop(version: string, machine: Partial<MachineConfig> = {}) {
    const updater = new HubFeedUpdater(version);
    const prefs = { installId: (++n).toString(16).padStart(32, 'c'), installOnQuit: true };
    const d = await startDesktop({
      hidden: true,
      machine: { branch: 'kazan', ...machine },
      updates: { updater, prefs, firstCheckMs: 1000 },
    });
    open.push(d);
    return { d, updater, prefs };
  }
  const menu = (d: Desktop, id: string) => findMenuItem(d.tray.menu, id);
  const click = (d: Desktop, id: string) => {
    const item = menu(d, id);
    if (!item || item.type === 'separator' || item.type === 'submenu' || !item.click) throw new Error(`no ${id}`);
    item.click();
  };

  it('waits for sign-in, downloads the newest release it may have, and installs when the person says', async () => {
    const { d, updater, prefs } = await desktop('1.0.0', { updates: true });
    d.clock.advance(1000);
    await until(() => d.log.text().includes('update check put off: signed out'), 'the check put off');
    await signIn(d, hub, 'ivan', ivan.password);
    // 1.2.0 is on the hub but damaged: offered only where it is the newest (an install on 1.1.0).
    await hub.admin_('release.rollout', { channel: 'stable', version: '1.2.0', rollout: 0 });
    d.clock.advance(10 * 60_000);
    await until(() => menu(d, 'update.install'), 'the install item');
    expect(menu(d, 'update.ready')).toMatchObject({ label: 'Готово обновление 1.1.0', enabled: false });
    expect(menu(d, 'update.install')).toMatchObject({ label: 'Установить обновление и перезапустить' });
    expect(menu(d, 'update.onQuit')).toMatchObject({ label: 'Установить при выходе', checked: true });
    expect(updater.installOnQuit).toBe(true);
    const served = createHash('sha512').update(updater.downloaded!).digest('base64');
    const feed = readFileSync(
      path.join(
        hub.dataDir,
        'releases',
        'stable',
        '1.1.0',
        readdirSync(path.join(hub.dataDir, 'releases', 'stable', '1.1.0'))[0]!,
        'latest.yml',
      ),
      'utf8',
    );
    expect(feed).toContain(`sha512: ${served}`);

    // «Установить в…»: the hours offered, the chosen one checked, and a way back.
    expect(menu(d, 'update.at')).toMatchObject({ label: 'Установить в…' });
    click(d, 'update.at.18');
    expect(menu(d, 'update.at.18')).toMatchObject({ label: '18:00', checked: true });
    expect(menu(d, 'update.at.12')).toMatchObject({ checked: false });
    click(d, 'update.at.cancel');
    expect(menu(d, 'update.at.18')).toMatchObject({ checked: false });
    expect(menu(d, 'update.at.cancel')).toBeUndefined();
    expect(updater.installs).toBe(0);

    click(d, 'update.onQuit');
    expect(prefs.installOnQuit).toBe(false);
    expect(updater.installOnQuit).toBe(false);
    expect(menu(d, 'update.onQuit')).toMatchObject({ checked: false });
    click(d, 'update.install');
    expect(updater.installs).toBe(1);
    await hub.admin_('release.rollout', { channel: 'stable', version: '1.2.0', rollout: 100 });
  });

  it('refuses a download whose bytes do not match the sha512 in the feed, and says so in the tray', async () => {
    const { d, updater } = await desktop('1.1.0');
    await signIn(d, hub, 'ivan', ivan.password);
    d.clock.advance(1000);
    await until(() => menu(d, 'update.refused'), 'the refusal');
    expect(menu(d, 'update.refused')).toMatchObject({
      label: 'Обновление 1.2.0 отклонено: файл повреждён',
      enabled: false,
    });
    expect(menu(d, 'update.install')).toBeUndefined();
    expect(updater.downloaded).toBeNull();
    expect(updater.installOnQuit).toBeNull();
    expect(d.log.text()).toMatch(/update refused: the download does not match the sha512 in the feed/);
  });

  it("obeys config.json: updates off only reports the version; a pin goes back to IT's version", async () => {
    const off = await desktop('1.0.0', { updates: false, locked: ['updates'] });
    await signIn(off.d, hub, 'ivan', ivan.password);
    off.d.clock.advance(1000);
    await until(() => off.d.log.text().includes('updates are off here'), 'the report');
    expect(off.updater.downloaded).toBeNull();
    expect(off.d.tray.menu.some((i) => i.type !== 'separator' && i.id.startsWith('update.'))).toBe(false);

    const pinned = await desktop('1.2.0', { updatePin: '1.1.0' });
    await signIn(pinned.d, hub, 'ivan', ivan.password);
    pinned.d.clock.advance(1000);
    await until(() => menu(pinned.d, 'update.install'), 'the pinned version');
    expect(menu(pinned.d, 'update.ready')).toMatchObject({ label: 'Готово обновление 1.1.0' });

    // The console's «Версии приложения»: each install as it last reported.
    const status = (await hub.admin_('release.status', {})) as { versions: { version: string; installs: number }[] };
    expect(Object.fromEntries(status.versions.map((v) => [v.version, v.installs]))).toEqual({
      '1.0.0': 2,
      '1.1.0': 1,
      '1.2.0': 1,
    });
  });
});
