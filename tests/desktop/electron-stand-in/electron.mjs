// A stand-in for the `electron` module, for running the real bundle (dist/desktop/main.js) under
// plain Node: the Electron binary cannot be downloaded here. It records what the app asks of
// Electron as `TRACE {json}` lines on stdout and takes commands as JSON lines on stdin, so a test
// can click the tray, call IPC as a page would, fetch from the app:// protocol, and quit.
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';

const trace = (event, data = {}) => process.stdout.write(`TRACE ${JSON.stringify({ event, ...data })}\n`);

const appEvents = new EventEmitter();
const paths = {
  appData: process.env.STANDIN_APPDATA,
  home: process.env.STANDIN_APPDATA,
  temp: process.env.STANDIN_APPDATA,
};
let readyResolve;
const ready = new Promise((resolve) => (readyResolve = resolve));
setTimeout(() => readyResolve(), 10);

export const app = {
  isPackaged: false,
  on: (event, fn) => (appEvents.on(event, fn), app),
  once: (event, fn) => (appEvents.once(event, fn), app),
  whenReady: () => ready,
  setPath: (name, value) => {
    paths[name] = value;
    trace('setPath', { name, value });
  },
  getPath: (name) => paths[name] ?? paths.appData,
  enableSandbox: () => trace('enableSandbox'),
  setAppUserModelId: (id) => trace('appUserModelId', { id }),
  requestSingleInstanceLock: () => true,
  getPreferredSystemLanguages: () => ['ru-RU'],
  getLocale: () => 'ru',
  getVersion: () => '0.0.0-standin',
  getName: () => 'beseda',
  getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
  setLoginItemSettings: (s) => trace('loginItem', s),
  setAsDefaultProtocolClient: (scheme) => trace('protocolClient', { scheme }),
  setBadgeCount: (count) => trace('badgeCount', { count }),
  dock: undefined,
  quit: () => {
    trace('quit');
    appEvents.emit('before-quit', { preventDefault() {} });
    setTimeout(() => process.exit(0), 50);
  },
  exit: (code) => process.exit(code),
};

const protocols = new Map();
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => trace('privilegedSchemes', { schemes }),
  handle: (scheme, handler) => {
    protocols.set(scheme, handler);
    trace('protocolHandle', { scheme });
  },
};

const sessionHandlers = {};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (fn) => (sessionHandlers.request = fn),
    setPermissionCheckHandler: (fn) => (sessionHandlers.check = fn),
    setDevicePermissionHandler: (fn) => (sessionHandlers.device = fn),
    on: (event, fn) => (sessionHandlers[event] = fn),
  },
};

/** A DownloadItem as `will-download` hands it over; what the app does with it is traced. */
function downloadItem(url, initiatorOrigin) {
  const item = new EventEmitter();
  item.getURL = () => url;
  item.getInitiatorOrigin = () => initiatorOrigin;
  item.setSaveDialogOptions = (options) => trace('saveDialogOptions', { url, options });
  item.setSavePath = (savePath) => trace('savePath', { url, savePath });
  return item;
}

/** Emits `will-download` as Electron would; traces whether the app cancelled it. */
function willDownload(contents, url, initiatorOrigin) {
  let cancelled = false;
  sessionHandlers['will-download']?.(
    { preventDefault: () => (cancelled = true) },
    downloadItem(url, initiatorOrigin),
    contents,
  );
  trace('download', { url, cancelled });
}

export const shell = { openExternal: async (url) => trace('openExternal', { url }), openPath: async () => '' };

export const Menu = {
  setApplicationMenu: (menu) => trace('applicationMenu', { menu: menu ? 'set' : null }),
  buildFromTemplate: (template) => ({ template }),
};

export const nativeImage = {
  createFromBuffer: (buffer) => ({
    buffer,
    reps: [buffer],
    addRepresentation(rep) {
      this.reps.push(rep.buffer);
    },
  }),
};

const trays = [];
export class Tray extends EventEmitter {
  constructor(image) {
    super();
    trays.push(this);
    this.image = image;
    trace('trayCreated', { png: image.buffer.subarray(1, 4).toString('latin1') });
  }
  setImage(image) {
    this.image = image;
    trace('trayImage');
  }
  setToolTip(text) {
    trace('trayTooltip', { text });
  }
  setContextMenu(menu) {
    this.menu = menu;
    trace('trayMenu', { labels: menu.template.map((i) => i.label ?? '-') });
  }
  destroy() {}
}

export const nativeTheme = { shouldUseDarkColors: false };

const windows = [];
class WebContents extends EventEmitter {
  constructor() {
    super();
    this.openHandler = null;
  }
  send(channel, ...args) {
    trace('send', { channel, args: channel === 'beseda:patch' ? ['…'] : args });
  }
  setWindowOpenHandler(fn) {
    this.openHandler = fn;
  }
  isDestroyed() {
    return false;
  }
  downloadURL(url, options) {
    trace('downloadURL', { url, headers: options?.headers ?? null });
    setTimeout(() => willDownload(this, url, ''), 5);
  }
}
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.visible = false;
    this.focused = false;
    this.destroyed = false;
    windows.push(this);
    appEvents.emit('web-contents-created', {}, this.webContents);
    trace('windowCreated', { webPreferences: options.webPreferences, backgroundColor: options.backgroundColor });
  }
  async loadURL(url) {
    trace('loadURL', { url });
    setTimeout(() => {
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    }, 5);
  }
  show() {
    this.visible = true;
    this.emit('show');
    trace('windowShow');
  }
  hide() {
    this.visible = false;
    this.emit('hide');
    trace('windowHide');
  }
  focus() {
    this.focused = true;
    this.emit('focus');
  }
  restore() {}
  isVisible() {
    return this.visible;
  }
  isFocused() {
    return this.focused;
  }
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('closed');
  }
  flashFrame(on) {
    trace('flashFrame', { on });
  }
  setOverlayIcon(image, description) {
    trace('overlay', { description });
  }
}

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    trace('notification', { title: this.options.title, body: this.options.body });
  }
}

const handlers = new Map();
export const ipcMain = {
  handle: (channel, fn) => {
    handlers.set(channel, fn);
    trace('ipcHandle', { channel });
  },
  on: (channel) => trace('ipcOn', { channel }),
  removeAllListeners: (channel) => trace('ipcRemoveAll', { channel }),
};

export const safeStorage = {
  isEncryptionAvailable: () => true,
  // Reversible but not plain text, like the OS store would be.
  encryptString: (s) => Buffer.from(s, 'utf8').map((b) => b ^ 0x5a),
  decryptString: (b) =>
    Buffer.from(b)
      .map((x) => x ^ 0x5a)
      .toString('utf8'),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};

/** Electron 45's asynchronous clipboard; the test puts an item there (`clipboardPut`). */
let clipboardItems = [];
export const clipboard = {
  read: async () =>
    clipboardItems.map(({ type, bytes }) => ({
      types: [type],
      getType: async (t) => {
        if (t !== type) throw new Error(`no ${t} on the clipboard`);
        return new Blob([bytes], { type });
      },
    })),
};

export const powerMonitor = Object.assign(new EventEmitter(), { getSystemIdleTime: () => 0 });
export const net = { online: true };

// Commands from the test, one JSON object per line.
const commands = {
  async invoke({ url, method, args = [], id }) {
    const fn = handlers.get('beseda:invoke');
    const reply = await fn({ senderFrame: { url, parent: null } }, method, ...args);
    trace('reply', { id, reply });
  },
  async protocol({ url, id, method = 'GET', initiatorOrigin }) {
    // Electron adds the requesting content's origin to the request (absent when the browser asks).
    const request = Object.assign(new Request(url, { method }), initiatorOrigin ? { initiatorOrigin } : {});
    const res = await protocols.get(new URL(url).protocol.slice(0, -1))(request);
    const bytes = res.body ? Buffer.from(await res.arrayBuffer()) : Buffer.alloc(0);
    trace('reply', {
      id,
      status: res.status,
      csp: res.headers.get('content-security-policy'),
      contentType: res.headers.get('content-type'),
      nosniff: res.headers.get('x-content-type-options'),
      body: bytes.toString('utf8').slice(0, 200),
      base64: bytes.toString('base64'),
    });
  },
  pageDownload({ url, id }) {
    // A download started by the page itself (an <a download>), not by the app.
    willDownload(windows.at(-1).webContents, url, 'app://beseda');
    trace('reply', { id });
  },
  clipboardPut({ id, type, base64 }) {
    clipboardItems = type ? [{ type, bytes: Buffer.from(base64, 'base64') }] : [];
    trace('reply', { id });
  },
  trayClick({ id }) {
    trays[0].emit('click');
    trace('reply', { id });
  },
  secondInstance({ argv, id }) {
    appEvents.emit('second-instance', {}, argv, process.cwd(), {});
    trace('reply', { id });
  },
  windowClose({ id }) {
    const w = windows.filter((x) => !x.destroyed).at(-1);
    let prevented = false;
    w.emit('close', { preventDefault: () => (prevented = true) });
    trace('reply', { id, prevented, visible: w.visible });
  },
  permission({ id }) {
    sessionHandlers.request({}, 'media', (granted) => trace('reply', { id, granted }));
  },
  navigate({ id, url }) {
    const w = windows.filter((x) => !x.destroyed).at(-1);
    let prevented = false;
    w.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    const open = w.webContents.openHandler({ url });
    trace('reply', { id, prevented, open: open.action });
  },
  quit() {
    const quit = trays[0].menu.template.find((i) => i.label === 'Выйти');
    quit.click();
  },
};

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  Promise.resolve(commands[command.cmd](command)).catch((err) =>
    trace('commandFailed', { cmd: command.cmd, error: String(err) }),
  );
});

export default {
  app,
  protocol,
  session,
  shell,
  Menu,
  nativeImage,
  clipboard,
  Tray,
  nativeTheme,
  BrowserWindow,
  Notification,
  ipcMain,
  safeStorage,
  powerMonitor,
  net,
};
