// The Electron main process: wires the desktop decisions (main/) to Electron. Everything this
// file does is either Electron plumbing or the order things must happen in; behaviour lives in
// DesktopApp and is tested without Electron.
import { app, Menu, nativeImage, powerMonitor, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyClientState } from '../../common/client/ClientState.ts';
import { deepLinkScheme, parseLaunchArgs } from '../config/LaunchArgs.ts';
import { loadDeploymentConfig } from '../config/loadDeploymentConfig.ts';
import { guardCertificates } from '../certs/guardCertificates.ts';
import { HubTrust } from '../certs/HubTrust.ts';
import { inspectHubCertificate } from '../certs/inspectHubCertificate.ts';
import { createDesktopClient } from '../createDesktopClient.ts';
import { DesktopApp } from '../DesktopApp.ts';
import { FileProxy } from '../files/FileProxy.ts';
import { desktopStrings, pickLocale } from '../i18n/DesktopStrings.ts';
import { FileLog } from '../log/FileLog.ts';
import { encodePng } from '../png/encodePng.ts';
import { safeExternalUrl } from '../security/externalUrl.ts';
import { DesktopSettings } from '../settings/DesktopSettings.ts';
import { secretProtection } from '../storage/SecretStorage.ts';
import { SecureClientStorage } from '../storage/SecureClientStorage.ts';
import { UpdatePrefs } from '../update/UpdatePrefs.ts';
import { drawAppIcon } from '../tray/drawIcons.ts';
import { trayIcon } from '../tray/trayImages.ts';
import { trayStatus } from '../tray/TrayStatus.ts';
import { systemClock } from '../Clock.ts';
import { createWindowFactory, browserWindows } from './createWindowFactory.ts';
import { electronAutostart } from './ElectronAutostart.ts';
import { ElectronBadge } from './ElectronBadge.ts';
import { electronClipboard } from './ElectronClipboard.ts';
import { ElectronFileSaver } from './ElectronFileSaver.ts';
import { ElectronNotifier } from './ElectronNotifier.ts';
import { electronPowerMonitor } from './ElectronPowerMonitor.ts';
import { electronSecretStorage } from './ElectronSecretStorage.ts';
import { ElectronSettingsStore } from './ElectronSettingsStore.ts';
import { ElectronTray } from './ElectronTray.ts';
import { ElectronUpdater } from './ElectronUpdater.ts';
import { hardenContents } from './hardenContents.ts';
import { registerAppScheme, serveAppProtocol } from './registerAppProtocol.ts';
import { serveFileProtocol } from './serveFileProtocol.ts';
import { serveIpc } from './serveIpc.ts';
import { electronTlsDefaults, electronTrustStore } from './ElectronTrustStore.ts';

/** Must equal electron-builder's appId: Windows ties notifications to it (and to the shortcut). */
const appId = 'ru.beseda.desktop';
/** The bundle's folder (dist/desktop, or app.asar when packaged): main.js, preload.cjs, renderer/. */
const here = path.dirname(fileURLToPath(import.meta.url));

// Before ready: an ASCII profile folder (%APPDATA%\Beseda, ~/.config/Beseda) whatever the
// product name, the sandbox for every renderer, and the app:// scheme's privileges.
app.setPath('userData', path.join(app.getPath('appData'), 'Beseda'));
app.enableSandbox();
registerAppScheme();
// Unpackaged (development) Windows needs the executable's path as the id for toasts to show.
if (process.platform === 'win32') app.setAppUserModelId(app.isPackaged ? appId : process.execPath);

const launch = parseLaunchArgs(process.argv);
let desktop: DesktopApp | null = null;
const earlyLinks: string[] = [];

if (!app.requestSingleInstanceLock()) {
  // The first instance gets our command line through 'second-instance' and comes forward.
  app.quit();
} else {
  // macOS delivers links by event, possibly before ready.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (desktop) desktop.secondInstance([url]);
    else earlyLinks.push(url);
  });
  app.on('second-instance', (_event, argv) => desktop?.secondInstance(argv));
  // Hidden to the tray (or destroyed after a while hidden) is not quitting.
  app.on('window-all-closed', () => undefined);
  void start().catch((err: unknown) => {
    process.stderr.write(`beseda: failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  const log = new FileLog(path.join(app.getPath('userData'), 'logs'), !app.isPackaged);
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: String(reason) }));

  hardenContents(log);
  // Before any connection: the main process's TLS trusts what the OS trusts (an internal CA).
  new HubTrust({ store: electronTrustStore, defaults: electronTlsDefaults, log }).install();
  serveAppProtocol(path.join(here, 'renderer'));
  Menu.setApplicationMenu(
    process.platform === 'darwin'
      ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }])
      : null,
  );

  const store = new ElectronSettingsStore();
  const settings = new DesktopSettings(store);
  const { config, problems, machineFile } = loadDeploymentConfig({
    args: launch,
    platform: process.platform,
    env: process.env,
    resourcesPath: app.isPackaged ? process.resourcesPath : null,
    user: { hubUrl: settings.get('hubUrl'), autostart: settings.get('autostart'), updates: settings.get('updates') },
  });
  for (const problem of problems) log.warn('deployment config problem', { problem });
  if (launch.rejected.length) log.warn('ignored command-line arguments', { rejected: launch.rejected });
  log.info('configuration', {
    version: app.getVersion(),
    settings: store.path,
    machineFile,
    hub: config.hubUrl.value,
    hubSource: config.hubUrl.source,
    branch: config.branch.value,
    locked: { hubUrl: config.hubUrl.locked, autostart: config.autostart.locked, updates: config.updates.locked },
    updates: config.updates.value,
  });

  const locale = pickLocale([...app.getPreferredSystemLanguages(), app.getLocale()]);
  const strings = desktopStrings(locale);
  const appIcon = nativeImage.createFromBuffer(encodePng(drawAppIcon(256)));
  const openExternal = async (url: string) => {
    const safe = safeExternalUrl(url);
    if (!safe) throw new Error('only http, https and mailto links can be opened');
    await shell.openExternal(safe);
  };
  const clientStorage = new SecureClientStorage(store, electronSecretStorage, (message) => log.warn(message));
  const certificateNotifier = new ElectronNotifier(appIcon);
  // An untrusted hub certificate is said as such (sign-in form, a notification), never retried silently.
  const client = guardCertificates(
    createDesktopClient({
      storage: clientStorage,
      fileStashDir: path.join(app.getPath('userData'), 'outbox-files'),
      deployment: () => desktop!.deployment(),
      openExternal,
    }),
    {
      inspect: (url) => inspectHubCertificate(url),
      lang: locale,
      log,
      alert: (title, body) =>
        certificateNotifier.show({ title, body, conversationId: null }, () => desktop?.windows.open()),
    },
  );
  // The page's images (beseda-file://) come from the hub through the main process, with the token.
  serveFileProtocol(new FileProxy({ access: () => client.hubAccess(), fetch: (url, init) => fetch(url, init), log }));
  const tray = new ElectronTray(trayIcon(trayStatus(emptyClientState())), strings.appName, () =>
    desktop?.trayClicked(),
  );

  desktop = new DesktopApp({
    client,
    clientStorage,
    tray,
    badge: new ElectronBadge((handle) => browserWindows.get(handle) ?? null),
    notifier: new ElectronNotifier(appIcon),
    windows: createWindowFactory({
      preload: path.join(here, 'preload.cjs'),
      icon: appIcon,
      title: strings.appName,
      devTools: !app.isPackaged,
      onSessionEnd: () => app.quit(),
    }),
    power: electronPowerMonitor,
    autostart: electronAutostart(strings.appName),
    // An unpackaged Electron would register the bare `electron` binary to start at login.
    autostartAvailable: app.isPackaged,
    settings,
    secrets: secretProtection(electronSecretStorage),
    clock: systemClock,
    locale,
    platform: process.platform,
    config,
    openExternal,
    files: new ElectronFileSaver(() => {
      const handle = desktop?.windows.current();
      return (handle && browserWindows.get(handle)?.webContents) || null;
    }, log),
    clipboard: electronClipboard,
    quit: () => app.quit(),
    log,
    // Updates from the hub (issue 21); the uninstaller's name carries electron-builder's productName.
    updates: {
      updater: new ElectronUpdater('Беседа', log),
      prefs: new UpdatePrefs(path.join(app.getPath('userData'), 'update.json')),
    },
  });
  serveIpc(desktop.backend, log);
  app.on('activate', () => desktop?.windows.open());
  powerMonitor.on('shutdown', () => app.quit());
  app.on('before-quit', () => desktop?.beforeQuit());
  if (app.isPackaged) app.setAsDefaultProtocolClient(deepLinkScheme);

  const hidden = launch.hidden || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  await desktop.start({ hidden, conversationId: launch.conversationId });
  for (const link of earlyLinks.splice(0)) desktop.secondInstance([link]);
}
