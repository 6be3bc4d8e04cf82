// Recording fakes of the Electron-side ports (tray, badge, notifier, window, power monitor,
// secret storage, autostart, settings store) and a hand-driven clock. Nothing else is faked.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StatePatch } from '../../common/client/ClientState.ts';
import type { Autostart } from '../../main/autostart/Autostart.ts';
import type { ClipboardImages } from '../../main/clipboard/ClipboardImages.ts';
import type { Clock } from '../../main/Clock.ts';
import type { FileDownload, FileSaver } from '../../main/files/FileSaver.ts';
import type { Log } from '../../main/log/Log.ts';
import type { NotificationSpec, Notifier } from '../../main/notify/Notifier.ts';
import type { PowerEvent, PowerMonitor } from '../../main/presence/PowerMonitor.ts';
import type { SettingsStore } from '../../main/settings/SettingsStore.ts';
import type { SecretStorage } from '../../main/storage/SecretStorage.ts';
import type { BadgeSpec, BadgeView } from '../../main/tray/BadgeView.ts';
import type { MenuItemSpec } from '../../main/tray/MenuItemSpec.ts';
import type { IconPair, TrayView } from '../../main/tray/TrayView.ts';
import type { WindowEvents, WindowFactory, WindowHandle } from '../../main/window/WindowHandle.ts';

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void; every: number | null }>();

  constructor(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(handler: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn: handler, every: null });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  setInterval(handler: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn: handler, every: ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers waiting now. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void; every: number | null }] | null = null;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      const [id, timer] = next;
      this.time = timer.at;
      if (timer.every === null) this.timers.delete(id);
      else timer.at += timer.every;
      timer.fn();
    }
    this.time = end;
  }

  /**
   * Jumps forward by `ms` as a machine waking from sleep sees it: each interval fires once, late,
   * instead of once per period.
   */
  jump(ms: number): void {
    this.time += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at > this.time) continue;
      if (timer.every === null) this.timers.delete(id);
      else timer.at = this.time + timer.every;
      timer.fn();
    }
  }
}

/** Records what the tray showed. */
export class RecordingTray implements TrayView {
  icons: IconPair[] = [];
  tooltips: string[] = [];
  menus: MenuItemSpec[][] = [];

  setIcon(icon: IconPair): void {
    this.icons.push(icon);
  }

  setToolTip(text: string): void {
    this.tooltips.push(text);
  }

  setMenu(items: MenuItemSpec[]): void {
    this.menus.push(items);
  }

  get tooltip(): string {
    return this.tooltips.at(-1) ?? '';
  }

  get menu(): MenuItemSpec[] {
    return this.menus.at(-1) ?? [];
  }
}

/** Records badges. */
export class RecordingBadge implements BadgeView {
  shown: { spec: BadgeSpec; window: WindowHandle | null }[] = [];

  show(spec: BadgeSpec, window: WindowHandle | null): void {
    this.shown.push({ spec, window });
  }

  get last(): BadgeSpec | undefined {
    return this.shown.at(-1)?.spec;
  }
}

/** Records notifications; `click(i)` clicks one. */
export class RecordingNotifier implements Notifier {
  supported = true;
  shown: (NotificationSpec & { click: () => void })[] = [];

  isSupported(): boolean {
    return this.supported;
  }

  show(spec: NotificationSpec, onClick: () => void): void {
    this.shown.push({ ...spec, click: onClick });
  }
}

/** A window as the fake records it. */
export class FakeWindow implements WindowHandle {
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;
  flashes: boolean[] = [];
  navigations: number[] = [];
  patches: StatePatch[] = [];

  constructor(
    readonly events: WindowEvents,
    readonly createdShown: boolean,
  ) {
    // Like BrowserWindow with show:false + ready-to-show: it comes up focused, a moment later.
    if (createdShown) queueMicrotask(() => this.show());
  }

  show(): void {
    if (this.destroyed) return;
    const was = this.visible;
    this.visible = true;
    if (!was) this.events.show();
    this.focus();
  }

  hide(): void {
    if (this.destroyed || !this.visible) return;
    this.visible = false;
    if (this.focused) this.blur();
    this.events.hide();
  }

  focus(): void {
    if (this.destroyed || !this.visible || this.focused) return;
    this.focused = true;
    this.events.focus();
  }

  /** The user switched to another app. */
  blur(): void {
    if (!this.focused) return;
    this.focused = false;
    this.events.blur();
  }

  restore(): void {
    if (!this.minimized) return;
    this.minimized = false;
    this.events.restore();
  }

  isVisible(): boolean {
    return !this.destroyed && this.visible;
  }

  isFocused(): boolean {
    return !this.destroyed && this.focused;
  }

  isMinimized(): boolean {
    return !this.destroyed && this.minimized;
  }

  flash(on: boolean): void {
    this.flashes.push(on);
  }

  navigate(conversationId: number): void {
    this.navigations.push(conversationId);
  }

  sendPatch(patch: StatePatch): void {
    this.patches.push(patch);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.focused = false;
    this.events.closed();
  }

  /** The user clicked the window's close button. */
  userClose(): void {
    if (this.events.close()) this.destroy();
  }

  /** The renderer process died. */
  crash(reason = 'crashed'): void {
    this.events.rendererGone(reason);
  }

  /** Whether the taskbar button is flashing now. */
  get flashing(): boolean {
    return this.flashes.at(-1) ?? false;
  }
}

/** Creates {@link FakeWindow}s and remembers them. */
export class FakeWindows {
  all: FakeWindow[] = [];
  readonly factory: WindowFactory = (events, { show }) => {
    const w = new FakeWindow(events, show);
    this.all.push(w);
    return w;
  };

  /** The newest window that is not destroyed. */
  get current(): FakeWindow | undefined {
    const w = this.all.at(-1);
    return w && !w.destroyed ? w : undefined;
  }
}

/** A power monitor whose idle time, network and events the test sets. */
export class FakePower implements PowerMonitor {
  idle = 0;
  online = true;
  private readonly listeners = new Map<PowerEvent, (() => void)[]>();

  idleSeconds(): number {
    return this.idle;
  }

  isOnline(): boolean {
    return this.online;
  }

  on(event: PowerEvent, listener: () => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  emit(event: PowerEvent): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

/**
 * safeStorage as the OS would behave: reversible only by this instance (AES with a random key),
 * never plain text; `available` and `backend` simulate Linux without a keyring.
 */
export class FakeSecretStorage implements SecretStorage {
  available = true;
  backend: string | null = null;
  encrypted = 0;
  private readonly key = randomBytes(32);

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    this.encrypted++;
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  decryptString(encrypted: Buffer): string {
    const d = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    d.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([d.update(encrypted.subarray(28)), d.final()]).toString('utf8');
  }

  selectedBackend(): string | null {
    return this.backend;
  }
}

/** electron-store as a Map, JSON-cloned like the file would be. */
export class MapSettingsStore implements SettingsStore {
  readonly data = new Map<string, string>();

  get(key: string): unknown {
    const raw = this.data.get(key);
    return raw === undefined ? undefined : JSON.parse(raw);
  }

  set(key: string, value: unknown): void {
    this.data.set(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  has(key: string): boolean {
    return this.data.has(key);
  }

  keys(): string[] {
    return [...this.data.keys()];
  }

  /** The whole store as the settings file would hold it. */
  dump(): string {
    return JSON.stringify(Object.fromEntries(this.data));
  }
}

/** Records autostart changes. */
export class FakeAutostart implements Autostart {
  enabled = false;
  changes: boolean[] = [];

  isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    this.changes.push(on);
  }
}

/** Records log lines. */
export class RecordingLog implements Log {
  lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];

  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }

  text(): string {
    return this.lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`).join('\n');
  }
}

/** A clipboard whose image the test puts there (PNG bytes, or null for none); counts the reads. */
export class FakeClipboard implements ClipboardImages {
  png: Uint8Array | null = null;
  reads = 0;

  async readPng(): Promise<Uint8Array | null> {
    this.reads++;
    return this.png;
  }
}

/** Records the downloads the app asked for (Electron's downloadURL and save dialog). */
export class RecordingFileSaver implements FileSaver {
  saved: FileDownload[] = [];

  save(download: FileDownload): void {
    this.saved.push(download);
  }
}
