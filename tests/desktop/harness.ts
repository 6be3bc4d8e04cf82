// Starts the desktop app's decisions (DesktopApp) with a real ChatClient talking to a real hub
// over real `ws` sockets, and recording fakes only at the Electron-side ports.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type WebSocket from 'ws';
import { ChatClient } from '../../common/client/ChatClient.ts';
import type { ChatClientTuning } from '../../common/client/ChatClient.ts';
import type { FileStash } from '../../common/client/FileStash.ts';
import type { WebSocketLike } from '../../common/client/WebSocketLike.ts';
import { resolveConfig } from '../../main/config/resolveConfig.ts';
import type { EffectiveConfig } from '../../main/config/resolveConfig.ts';
import { noMachineConfig } from '../../main/config/MachineConfig.ts';
import type { MachineConfig } from '../../main/config/MachineConfig.ts';
import { createWsSocket } from '../../main/createWsSocket.ts';
import { DesktopApp, type DesktopAppDeps } from '../../main/DesktopApp.ts';
import { NodeFileUploader } from '../../main/files/NodeFileUploader.ts';
import type { Lang as Locale } from '../../common/i18n/Lang.ts';
import { DesktopSettings } from '../../main/settings/DesktopSettings.ts';
import { secretProtection } from '../../main/storage/SecretStorage.ts';
import { SecureClientStorage } from '../../main/storage/SecureClientStorage.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import {
  FakeAutostart,
  FakeClipboard,
  FakeClock,
  FakePower,
  FakeSecretStorage,
  FakeWindows,
  MapSettingsStore,
  RecordingBadge,
  RecordingFileSaver,
  RecordingLog,
  RecordingNotifier,
  RecordingTray,
} from './fakes.ts';

/** Polls until `check` returns a truthy value. */
export async function until<T>(check: () => T, what = 'condition', timeoutMs = 8000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/**
 * The network between the app and the hub: real sockets, which the test can cut (every open
 * socket dropped, new connections refused) and restore — what sleep, VPN drops or a pulled cable do.
 */
export class NetworkGate {
  offline = false;
  private readonly sockets = new Set<WebSocket>();

  readonly createSocket = (url: string, protocols: string[]): WebSocketLike => {
    // Port 1 on loopback: the connection is refused at once, like a network that is down.
    const socket = createWsSocket(this.offline ? 'ws://127.0.0.1:1/ws' : url, protocols) as unknown as WebSocket;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    return socket as unknown as WebSocketLike;
  };

  readonly fetch = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
    if (this.offline) throw new TypeError('fetch failed');
    return fetch(url, init);
  };

  /** Drops every connection and refuses new ones. */
  cut(): void {
    this.offline = true;
    for (const s of this.sockets) s.terminate();
  }

  restore(): void {
    this.offline = false;
  }
}

/** Everything a desktop test drives and inspects. */
export interface Desktop {
  app: DesktopApp;
  client: ChatClient;
  clientStorage: SecureClientStorage;
  tray: RecordingTray;
  badge: RecordingBadge;
  notifier: RecordingNotifier;
  windows: FakeWindows;
  power: FakePower;
  autostart: FakeAutostart;
  store: MapSettingsStore;
  settings: DesktopSettings;
  secrets: FakeSecretStorage;
  clock: FakeClock;
  log: RecordingLog;
  /** The downloads the app started (saveFile). */
  files: RecordingFileSaver;
  /** The system clipboard (clipboardImage). */
  clipboard: FakeClipboard;
  gate: NetworkGate;
  opened: string[];
  quits: number;
  stop(): void;
}

/** Options of {@link startDesktop}. */
export interface DesktopOptions {
  hidden?: boolean;
  locale?: Locale;
  platform?: NodeJS.Platform;
  machine?: Partial<MachineConfig>;
  hubUrl?: string | null;
  store?: MapSettingsStore;
  secrets?: FakeSecretStorage;
  tuning?: Partial<ChatClientTuning>;
  random?: () => number;
  /** Where unsent attachments wait (the app: a folder in its data; default here: memory). */
  fileStash?: FileStash;
  autostartAvailable?: boolean;
  config?: EffectiveConfig;
  /** Updates from the hub (tests/update): the updater port and what it remembers. */
  updates?: DesktopAppDeps['updates'];
}

/** Starts a DesktopApp with a real ChatClient (not yet signed in unless the store holds a session). */
export async function startDesktop(options: DesktopOptions = {}): Promise<Desktop> {
  const store = options.store ?? new MapSettingsStore();
  const settings = new DesktopSettings(store);
  const secrets = options.secrets ?? new FakeSecretStorage();
  const log = new RecordingLog();
  const clientStorage = new SecureClientStorage(store, secrets, (m) => log.warn(m));
  const gate = new NetworkGate();
  const opened: string[] = [];
  const d = {} as Desktop;
  const config =
    options.config ??
    resolveConfig({
      args: { hubUrl: options.hubUrl ?? null, branch: null },
      machine: { ...noMachineConfig, ...options.machine },
      branchFile: { hubUrl: null, branch: null },
      user: { hubUrl: settings.get('hubUrl'), autostart: settings.get('autostart'), updates: settings.get('updates') },
    });
  const client = new ChatClient({
    createSocket: gate.createSocket,
    fetch: gate.fetch,
    storage: clientStorage,
    fileStash: options.fileStash,
    uploader: new NodeFileUploader(),
    host: { openExternal: async () => undefined, deployment: async () => d.app.deployment() },
    tuning: { backoffBaseMs: 100, backoffCapMs: 500, ...options.tuning },
    random: options.random,
  });
  Object.assign(d, {
    client,
    clientStorage,
    tray: new RecordingTray(),
    badge: new RecordingBadge(),
    notifier: new RecordingNotifier(),
    windows: new FakeWindows(),
    power: new FakePower(),
    autostart: new FakeAutostart(),
    store,
    settings,
    secrets,
    clock: new FakeClock(),
    log,
    files: new RecordingFileSaver(),
    clipboard: new FakeClipboard(),
    gate,
    opened,
    quits: 0,
  });
  d.app = new DesktopApp({
    client,
    clientStorage,
    tray: d.tray,
    badge: d.badge,
    notifier: d.notifier,
    windows: d.windows.factory,
    power: d.power,
    autostart: d.autostart,
    autostartAvailable: options.autostartAvailable ?? true,
    settings,
    secrets: secretProtection(secrets),
    clock: d.clock,
    locale: options.locale ?? 'ru',
    platform: options.platform ?? 'win32',
    config,
    openExternal: async (url) => void opened.push(url),
    files: d.files,
    clipboard: d.clipboard,
    quit: () => void d.quits++,
    log,
    updates: options.updates,
  });
  d.stop = () => d.app.dispose();
  await d.app.start({ hidden: options.hidden ?? false, conversationId: null });
  return d;
}

/** Signs the desktop user in through the Backend the renderer uses, and waits for the hub's hello. */
export async function signIn(d: Desktop, hub: TestHub, login: string, password: string): Promise<void> {
  const result = await d.app.backend.signIn(hub.url, login, password);
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code}`);
  await until(() => d.client.getStateNow().connection === 'connected', 'connected');
}

/** Another user, on a raw protocol socket. */
export interface Peer {
  id: number;
  login: string;
  socket: TestSocket;
  send(conversationId: number, text: string): Promise<{ message: { seq: number } }>;
}

let counter = 0;

/** Creates a user and connects them with a raw socket. */
export async function peer(hub: TestHub, login: string, name = login): Promise<Peer> {
  const u = await hub.addUser(login, name);
  const { token } = await hub.login(login, u.password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  return {
    id: u.id,
    login,
    socket,
    send: (conversationId, text) =>
      socket.request('send', { conversationId, text, clientId: `dsk-${process.pid}-${counter++}-xxxxxxxx` }),
  };
}

/** The id of the general room as the desktop user's client sees it. */
export function generalId(d: Desktop): number {
  const general = Object.values(d.client.getStateNow().conversations).find((c) => c.kind === 'general');
  if (!general) throw new Error('no general room');
  return general.id;
}

/** What {@link useDesktopScene} set up: the hub, the desktop user's account, the other people. */
export interface DesktopScene {
  hub: TestHub;
  user: { id: number; login: string; password: string };
  peers: Record<string, Peer>;
}

/**
 * A desktop test file's world: registers the vitest hooks that start a hub before all tests and
 * create the desktop user and the `peers` (login → name, in order, on raw sockets), then run
 * `setup` (rooms, direct conversations); stop the desktops started with `desktop`/`track` after
 * each test; close the peers and stop the hub after all.
 */
export function useDesktopScene(
  user: { login: string; name: string },
  peers: Record<string, string>,
  setup: (scene: DesktopScene) => Promise<void> = async () => undefined,
): {
  /** A desktop signed in as the user, its window hidden in the tray unless told otherwise. */
  desktop(options?: DesktopOptions): Promise<Desktop>;
  /** Stops `d` after the test. */
  track(d: Desktop): Desktop;
} {
  let scene: DesktopScene | undefined;
  const running: Desktop[] = [];
  beforeAll(async () => {
    const hub = await startHub();
    const account = await hub.addUser(user.login, user.name);
    scene = { hub, user: account, peers: {} };
    for (const [login, name] of Object.entries(peers)) scene.peers[login] = await peer(hub, login, name);
    await setup(scene);
  });
  afterEach(() => {
    for (const d of running.splice(0)) d.stop();
  });
  afterAll(async () => {
    for (const p of Object.values(scene?.peers ?? {})) p.socket.close();
    await scene?.hub.stop();
  });
  const track = (d: Desktop): Desktop => {
    running.push(d);
    return d;
  };
  return {
    track,
    async desktop(options = {}) {
      const d = track(await startDesktop({ hidden: true, ...options }));
      await signIn(d, scene!.hub, user.login, scene!.user.password);
      return d;
    },
  };
}
