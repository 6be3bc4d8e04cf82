import { BrowserWindow, nativeTheme } from 'electron';
import type { NativeImage } from 'electron';
import type { StatePatch } from '../../common/client/ClientState.ts';
import { IpcChannel } from '../../common/ipc/channels.ts';
import { appEntryUrl } from '../security/appProtocol.ts';
import type { WindowFactory, WindowHandle } from '../window/WindowHandle.ts';

/** Electron's window behind each handle (the badge needs it for the Windows overlay). */
export const browserWindows = new WeakMap<WindowHandle, BrowserWindow>();

/**
 * Creates the app window: sandboxed, context-isolated, no Node, web security on, the UI from
 * `app://beseda`. The background colour is set so that a window shown before its page has
 * painted (or after sleep) is never a white flash.
 */
export function createWindowFactory(options: {
  preload: string;
  icon: NativeImage;
  title: string;
  devTools: boolean;
  /** Windows is logging off or shutting down: quit (a close-to-tray would hold the session up). */
  onSessionEnd: () => void;
}): WindowFactory {
  return (events, { show }) => {
    const win = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 420,
      minHeight: 400,
      show: false,
      title: options.title,
      icon: options.icon,
      autoHideMenuBar: true,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1f2023' : '#ffffff',
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: true,
        devTools: options.devTools,
      },
    });
    const contents = win.webContents;
    let loaded = false;
    let pendingNavigate: number | null = null;
    const alive = () => !win.isDestroyed();

    win.on('close', (event) => {
      if (!events.close()) event.preventDefault();
    });
    win.on('closed', () => events.closed());
    win.on('session-end', () => options.onSessionEnd());
    win.on('focus', () => events.focus());
    win.on('blur', () => events.blur());
    win.on('show', () => events.show());
    win.on('hide', () => events.hide());
    win.on('minimize', () => events.minimize());
    win.on('restore', () => events.restore());
    contents.on('render-process-gone', (_event, details) => events.rendererGone(details.reason));
    contents.on('did-start-loading', () => {
      loaded = false;
    });
    contents.on('did-finish-load', () => {
      loaded = true;
      if (pendingNavigate !== null) {
        contents.send(IpcChannel.navigate, pendingNavigate);
        pendingNavigate = null;
      }
    });
    if (show)
      win.once('ready-to-show', () => {
        if (!alive()) return;
        win.show();
        win.focus();
      });
    void win.loadURL(appEntryUrl);

    const handle: WindowHandle = {
      show: () => alive() && win.show(),
      hide: () => alive() && win.hide(),
      focus: () => alive() && win.focus(),
      restore: () => alive() && win.restore(),
      isVisible: () => alive() && win.isVisible(),
      isFocused: () => alive() && win.isFocused(),
      isMinimized: () => alive() && win.isMinimized(),
      flash: (on) => alive() && win.flashFrame(on),
      navigate: (conversationId) => {
        if (!alive()) return;
        if (loaded) contents.send(IpcChannel.navigate, conversationId);
        else pendingNavigate = conversationId;
      },
      sendPatch: (patch: StatePatch) => {
        if (alive() && loaded) contents.send(IpcChannel.patch, patch);
      },
      destroy: () => alive() && win.destroy(),
    };
    browserWindows.set(handle, win);
    return handle;
  };
}
