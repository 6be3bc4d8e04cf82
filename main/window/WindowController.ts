import type { Clock } from '../Clock.ts';
import type { WindowEvents, WindowFactory, WindowHandle } from './WindowHandle.ts';

/** After this long hidden in the tray, the window (and its renderer process) is destroyed. */
export const destroyHiddenAfterMs = 10 * 60 * 1000;

/** How many renderer crashes within {@link crashWindowMs} are recovered from before giving up. */
const maxCrashRecoveries = 3;
const crashWindowMs = 5 * 60 * 1000;

/** What the {@link WindowController} tells the rest of the app. */
export interface WindowControllerHooks {
  /** A window came or went, or its shown-on-screen or focus state changed. */
  changed(): void;
  focused(): void;
  /** The first close-to-tray ever: say once that the app keeps running. */
  closedToTray(): void;
  log(message: string): void;
}

/**
 * Owns the window's life: open or toggle from the tray, close → hide to the tray (the connection
 * lives in the main process, so the user stays reachable), destroy the window after it has been
 * hidden for a while to give its memory back, recreate it on open, and recreate it when its
 * renderer process dies (no white window after sleep or a crash).
 */
export class WindowController {
  private window: WindowHandle | null = null;
  private quitting = false;
  private destroyTimer: unknown = null;
  private crashes: number[] = [];
  private firstCloseDone: boolean;

  constructor(
    private readonly factory: WindowFactory,
    private readonly clock: Clock,
    private readonly hooks: WindowControllerHooks,
    options: { closeHintShown: boolean; hiddenLifetimeMs?: number },
  ) {
    this.firstCloseDone = options.closeHintShown;
    this.hiddenLifetimeMs = options.hiddenLifetimeMs ?? destroyHiddenAfterMs;
  }

  private readonly hiddenLifetimeMs: number;

  /** The window, if one exists. */
  current(): WindowHandle | null {
    return this.window;
  }

  /** On screen: exists, shown and not minimized. */
  isShown(): boolean {
    const w = this.window;
    return !!w && w.isVisible() && !w.isMinimized();
  }

  /** On screen and focused: the user is looking at it. */
  isFocused(): boolean {
    return this.isShown() && this.window!.isFocused();
  }

  /** Brings the window up (creating it if it was destroyed). */
  open(): WindowHandle {
    this.cancelDestroy();
    if (!this.window) {
      this.window = this.create(true);
      return this.window;
    }
    const w = this.window;
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
    return w;
  }

  /**
   * The tray's left click: hide a window that is on screen, open it otherwise. Focus is not asked:
   * on Windows clicking the tray takes the focus away from the window before the click arrives.
   */
  toggle(): void {
    if (this.isShown()) this.hide();
    else this.open();
  }

  /** Hides to the tray. */
  hide(): void {
    if (!this.window) return;
    this.window.hide();
    this.scheduleDestroy();
  }

  /** Quitting: let the window close for real. */
  prepareQuit(): void {
    this.quitting = true;
    this.cancelDestroy();
  }

  /** Opens the window at a conversation. */
  navigate(conversationId: number): void {
    this.open().navigate(conversationId);
  }

  private create(show: boolean): WindowHandle {
    let handle: WindowHandle | null = null;
    const mine = () => handle !== null && this.window === handle;
    const events: WindowEvents = {
      close: () => {
        if (this.quitting) return true;
        if (mine()) this.hide();
        if (!this.firstCloseDone) {
          this.firstCloseDone = true;
          this.hooks.closedToTray();
        }
        return false;
      },
      closed: () => {
        if (mine()) {
          this.window = null;
          this.cancelDestroy();
          this.hooks.changed();
        }
      },
      focus: () => {
        if (!mine()) return;
        this.cancelDestroy();
        this.hooks.focused();
        this.hooks.changed();
      },
      blur: () => mine() && this.hooks.changed(),
      show: () => {
        if (!mine()) return;
        this.cancelDestroy();
        this.hooks.changed();
      },
      hide: () => {
        if (!mine()) return;
        this.scheduleDestroy();
        this.hooks.changed();
      },
      minimize: () => mine() && this.hooks.changed(),
      restore: () => mine() && this.hooks.changed(),
      rendererGone: (reason) => {
        if (!mine() || reason === 'clean-exit') return;
        this.recover(reason);
      },
    };
    handle = this.factory(events, { show });
    // Events the window fired while being created came before it was ours: report its state now.
    queueMicrotask(() => this.hooks.changed());
    return handle;
  }

  private recover(reason: string): void {
    const now = this.clock.now();
    this.crashes = this.crashes.filter((t) => now - t < crashWindowMs);
    this.crashes.push(now);
    const wasShown = this.isShown();
    const old = this.window!;
    this.window = null;
    old.destroy();
    if (this.crashes.length > maxCrashRecoveries) {
      this.hooks.log(`renderer gone (${reason}) ${this.crashes.length} times in 5 min: not recreating until opened`);
      this.hooks.changed();
      return;
    }
    this.hooks.log(`renderer gone (${reason}): recreating the window`);
    this.window = this.create(wasShown);
    if (!wasShown) this.scheduleDestroy();
    this.hooks.changed();
  }

  private scheduleDestroy(): void {
    this.cancelDestroy();
    this.destroyTimer = this.clock.setTimeout(() => {
      this.destroyTimer = null;
      const w = this.window;
      if (!w || this.isShown()) return;
      this.window = null;
      w.destroy();
      this.hooks.log('window destroyed after being hidden (memory)');
      this.hooks.changed();
    }, this.hiddenLifetimeMs);
  }

  private cancelDestroy(): void {
    if (this.destroyTimer !== null) this.clock.clearTimeout(this.destroyTimer);
    this.destroyTimer = null;
  }
}
