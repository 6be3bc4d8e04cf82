import type { Backend, Deployment } from '../common/client/Backend.ts';
import { applyPatch, emptyClientState } from '../common/client/ClientState.ts';
import type { ClientState, StatePatch } from '../common/client/ClientState.ts';
import type { IncomingSource, ReactionNews } from '../common/client/StateIntake.ts';
import type { Lang } from '../common/i18n/Lang.ts';
import type { ChosenStatus, Message } from '../common/protocol/model.ts';
import type { Autostart } from './autostart/Autostart.ts';
import type { ClipboardImages } from './clipboard/ClipboardImages.ts';
import type { Clock } from './Clock.ts';
import { parseLaunchArgs } from './config/LaunchArgs.ts';
import { toDeployment } from './config/resolveConfig.ts';
import type { EffectiveConfig } from './config/resolveConfig.ts';
import { createGuardedBackend } from './createGuardedBackend.ts';
import type { DesktopClient } from './DesktopClient.ts';
import type { FileSaver } from './files/FileSaver.ts';
import { desktopStrings } from './i18n/DesktopStrings.ts';
import type { DesktopStrings } from './i18n/DesktopStrings.ts';
import { IdleReporter } from './IdleReporter.ts';
import type { Log } from './log/Log.ts';
import { MuteSchedule } from './MuteSchedule.ts';
import { DesktopNotices } from './notify/DesktopNotices.ts';
import { migrateRoomLevels } from './notify/migrateRoomLevels.ts';
import type { GroupingTimes } from './notify/NotificationCenter.ts';
import type { Notifier } from './notify/Notifier.ts';
import { ActivityWatcher } from './presence/ActivityWatcher.ts';
import type { WakeReason } from './presence/ActivityWatcher.ts';
import type { PowerMonitor } from './presence/PowerMonitor.ts';
import type { DesktopSettings } from './settings/DesktopSettings.ts';
import type { SecretProtection } from './storage/SecretStorage.ts';
import type { SecureClientStorage } from './storage/SecureClientStorage.ts';
import type { BadgeView } from './tray/BadgeView.ts';
import type { TrayMenuActions } from './tray/buildTrayMenu.ts';
import { tomorrowMorning } from '../common/client/muteTimes.ts';
import type { TrayView } from './tray/TrayView.ts';
import { TrayRenderer } from './TrayRenderer.ts';
import { WindowController } from './window/WindowController.ts';
import { appUpdateManager } from './update/appUpdateManager.ts';
import type { UpdateManager, UpdateManagerDeps } from './update/UpdateManager.ts';
import type { WindowFactory } from './window/WindowHandle.ts';

/** Everything the desktop app is wired to: the client core and the Electron-side ports. */
export interface DesktopAppDeps {
  /** The client core; `onEditMention` (ChatClient has it) tells edits that mention the user for the first time. */
  client: DesktopClient & {
    onEditMention?(listener: (messages: Message[], source: IncomingSource) => void): () => void;
    /** Reactions others change on the user's messages (ChatClient has it). */
    onReaction?(listener: (reactions: ReactionNews[], source: IncomingSource) => void): () => void;
  };
  /** The client core's storage (cleared on sign-out). */
  clientStorage: SecureClientStorage;
  tray: TrayView;
  badge: BadgeView;
  notifier: Notifier;
  windows: WindowFactory;
  power: PowerMonitor;
  autostart: Autostart;
  /** False in development (an unpackaged Electron must not be registered to start at login). */
  autostartAvailable: boolean;
  settings: DesktopSettings;
  secrets: SecretProtection;
  clock: Clock;
  locale: Lang;
  platform: NodeJS.Platform;
  config: EffectiveConfig;
  /** Hands an already checked link to the OS. */
  openExternal(url: string): Promise<void>;
  /** Downloads a file where the user picks (`Backend.saveFile`). */
  files: FileSaver;
  /** The system clipboard's image (`Backend.clipboardImage`). */
  clipboard: ClipboardImages;
  /** Ends the process (Electron's `app.quit`). */
  quit(): void;
  log: Log;
  /** Notification grouping times (tests shorten them). */
  grouping?: GroupingTimes;
  /** How long a hidden window lives before it is destroyed. */
  hiddenWindowLifetimeMs?: number;
  /** Updates from the hub (main/update): the updater port and what it remembers; none in tests that leave it out. */
  updates?: Pick<UpdateManagerDeps, 'updater' | 'prefs' | 'firstCheckMs' | 'everyMs'>;
}

/**
 * The desktop app's behaviour, free of Electron: it keeps the tray icon, tooltip, menu and
 * taskbar badge in step with the client state ({@link TrayRenderer}); decides notifications and
 * taskbar flashing ({@link DesktopNotices}), silenced while muted ({@link MuteSchedule}); owns the
 * window's life; reports idleness ({@link IdleReporter}) and reconnects on wake; applies
 * settings; and holds the {@link Backend} the renderer reaches over IPC (with the checks that
 * belong in the main process: {@link createGuardedBackend}).
 */
export class DesktopApp {
  /** What IPC calls reach (after {@link checkInvoke}). */
  readonly backend: Backend;
  readonly windows: WindowController;
  private state: ClientState = emptyClientState();
  private readonly strings: DesktopStrings;
  private readonly notices: DesktopNotices;
  private readonly activity: ActivityWatcher;
  private config: EffectiveConfig;
  private unsubscribers: (() => void)[] = [];
  private readonly trayView: TrayRenderer;
  private readonly mute: MuteSchedule;
  private readonly idle: IdleReporter;
  private readonly updates: UpdateManager | null;
  private started = false;
  private disposed = false;
  /** The old local per-room levels are on the hub (or being moved there): see {@link migrateRoomLevels}. */
  private levelsMoved: boolean | 'moving' = false;

  constructor(private readonly deps: DesktopAppDeps) {
    this.config = deps.config;
    this.strings = desktopStrings(deps.locale);
    this.windows = new WindowController(
      deps.windows,
      deps.clock,
      {
        changed: () => this.windowChanged(),
        focused: () => this.notices.stopFlash(),
        closedToTray: () => this.closedToTray(),
        log: (message) => deps.log.info(message),
      },
      { closeHintShown: deps.settings.get('closeHintShown'), hiddenLifetimeMs: deps.hiddenWindowLifetimeMs },
    );
    this.notices = new DesktopNotices({
      notifier: deps.notifier,
      clock: deps.clock,
      strings: this.strings,
      platform: deps.platform,
      settings: deps.settings,
      log: deps.log,
      windows: this.windows,
      state: () => this.freshState(),
      mutedHere: () => this.mute.isMuted(),
      open: (conversationId) => void this.openAt(conversationId),
      grouping: deps.grouping,
    });
    this.trayView = new TrayRenderer({
      tray: deps.tray,
      badge: deps.badge,
      settings: deps.settings,
      strings: this.strings,
      secrets: deps.secrets,
      state: () => this.state,
      window: () => this.windows.current(),
      mutedUntil: () => this.mute.untilText(),
      autostart: () => ({ value: this.autostartWanted(), locked: this.config.autostart.locked }),
      actions: () => this.menuActions(),
      update: () => this.updates && { ...this.updates.status(), lang: deps.locale },
    });
    // Updates from the hub (issue 21): IT's config.json decides on/off and a pinned version.
    const updates = deps.updates;
    this.updates = updates
      ? appUpdateManager({ ...deps, updates, config: () => this.config, changed: () => this.trayView.render() })
      : null;
    this.mute = new MuteSchedule({
      settings: deps.settings,
      clock: deps.clock,
      locale: deps.locale,
      muted: () => this.notices.center.clear(),
      ended: () => this.trayView.render(),
    });
    this.idle = new IdleReporter({
      client: deps.client,
      log: deps.log,
      state: () => this.state,
      freshState: () => this.freshState(),
    });
    this.activity = new ActivityWatcher(deps.power, deps.clock, () => deps.settings.get('idleMinutes') * 60_000, {
      idle: (idle) => void this.idle.report(idle),
      wake: (reason) => this.wake(reason),
    });
    this.backend = createGuardedBackend({
      client: deps.client,
      clientStorage: deps.clientStorage,
      settings: deps.settings,
      log: deps.log,
      config: () => this.config,
      openExternal: (url) => deps.openExternal(url),
      files: deps.files,
      clipboard: deps.clipboard,
      clipboardReadable: () => this.windows.isFocused(),
      statusChosen: () => this.idle.forgetAway(),
      signedOut: () => {
        this.notices.clear();
        this.idle.forgetAway();
      },
    });
  }

  /** Starts everything: state tracking, the client, the tray, autostart, watchers, the window. */
  async start(options: { hidden: boolean; conversationId: number | null }): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { client } = this.deps;
    let snapshot: ClientState | null = null;
    const early: StatePatch[] = [];
    this.unsubscribers.push(
      client.subscribe((patch) => {
        if (snapshot === null) early.push(patch);
        else this.patched(patch);
      }),
      client.onIncoming((messages, source) => this.notices.incoming(messages, source)),
      client.onEditMention?.((messages, source) => this.notices.mentionedByEdit(messages, source)) ?? (() => undefined),
      client.onReaction?.((news, source) => this.notices.reacted(news, source)) ?? (() => undefined),
      this.deps.settings.onChange(() => this.trayView.render()),
    );
    snapshot = await client.getState();
    this.state = early.reduce(applyPatch, snapshot);
    this.trayView.render();
    this.syncAutostart();
    this.activity.start();
    this.deps.power.on('suspend', () => this.notices.away.asleep());
    this.mute.schedule();
    // The first connection's hello is summed up in one notification: «Пока вас не было…».
    this.notices.away.started();
    await client.start();
    this.updates?.start();
    if (options.conversationId !== null) await this.openAt(options.conversationId);
    else if (!options.hidden) this.windows.open();
    this.deps.log.info('started', {
      hidden: options.hidden,
      hubSource: this.config.hubUrl.source,
      hubLocked: this.config.hubUrl.locked,
      secrets: this.deps.secrets,
    });
    if (this.deps.secrets !== 'encrypted')
      this.deps.log.warn(
        this.deps.secrets === 'weak'
          ? 'safeStorage uses the basic_text backend (no keyring): the session token is only obfuscated'
          : 'safeStorage encryption is unavailable: the session token is stored as plain text',
      );
  }

  /** The tray icon was clicked (Windows, macOS; most Linux trays only open the menu). */
  trayClicked(): void {
    this.windows.toggle();
  }

  /** Another launch of the app passed its command line here (single instance). */
  secondInstance(argv: readonly string[]): void {
    const args = parseLaunchArgs(argv);
    if (args.rejected.length) this.deps.log.warn('second launch: ignored arguments', { rejected: args.rejected });
    if (args.hubUrl && !this.config.hubUrl.locked && this.state.connection === 'signed-out') {
      this.config = { ...this.config, hubUrl: { value: args.hubUrl, source: 'command-line', locked: false } };
      this.deps.log.info('second launch: hub address for sign-in updated');
    }
    if (args.conversationId !== null) void this.openAt(args.conversationId);
    else if (!args.hidden) this.windows.open();
  }

  /** Opens the window at a conversation (notification click, deep link). */
  async openAt(conversationId: number | null): Promise<void> {
    if (conversationId === null || !(conversationId in this.freshState().conversations)) {
      this.windows.open();
      return;
    }
    await this.deps.client.setActiveConversation(conversationId).catch(() => undefined);
    this.windows.navigate(conversationId);
  }

  /** The app is quitting: let the window close, stop timers and the connection. */
  beforeQuit(): void {
    this.windows.prepareQuit();
    this.dispose();
  }

  /** Stops listening and polling (tests; quitting). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
    this.activity.stop();
    this.notices.stop();
    this.mute.stop();
    this.updates?.stop();
    this.deps.client.dispose();
  }

  /** The deployment the sign-in form shows. */
  deployment(): Deployment {
    return toDeployment(this.config);
  }

  // ---- state → tray, badge, menu -------------------------------------------------------------

  private patched(patch: StatePatch): void {
    this.state = applyPatch(this.state, patch);
    this.windows.current()?.sendPatch(patch);
    // Presence idle belongs to a connection: a new one starts active, so say again that we are idle.
    if (patch.connection === 'connected') this.idle.connected(this.activity.isIdle());
    if (patch.connection) this.notices.connection(patch.connection);
    if (this.state.connection === 'connected' && this.levelsMoved === false) this.moveRoomLevels();
    if (patch.reset && this.state.connection === 'signed-out') this.notices.clear();
    this.trayView.render();
  }

  private freshState(): ClientState {
    return this.deps.client.getStateNow?.() ?? this.state;
  }

  private menuActions(): TrayMenuActions {
    const s = this.deps.settings;
    return {
      open: () => this.windows.open(),
      setStatus: (status: ChosenStatus) => void this.chooseStatus(status),
      muteFor: (minutes: number) => this.mute.muteUntil(this.deps.clock.now() + minutes * 60_000),
      muteTomorrow: () => this.mute.muteUntil(tomorrowMorning(this.deps.clock.now())),
      unmute: () => this.mute.muteUntil(null),
      setAutostart: (on: boolean) => {
        if (this.config.autostart.locked) return;
        s.set('autostart', on);
        this.syncAutostart();
      },
      setFlash: (policy: 'mentions' | 'all' | 'never') => {
        s.set('flash', policy);
        if (policy === 'never') this.notices.stopFlash();
      },
      setPreview: (on: boolean) => s.set('notificationPreview', on),
      setReactions: (on: boolean) => s.set('reactionNotify', on),
      // Stored on the hub: the browser and the other devices obey the same level.
      setRoomLevel: (id: number, level: 'all' | 'mentions' | 'none') =>
        void this.deps.client
          .setNotify(id, { notify: level })
          .catch((err: Error) => this.deps.log.warn('room notification level not changed', { error: err.message })),
      installUpdate: () => this.updates?.installNow(),
      setInstallOnQuit: (on: boolean) => this.updates?.setInstallOnQuit(on),
      installAt: (hour: number) => this.updates?.installAt(hour),
      cancelInstallAt: () => this.updates?.cancelInstallAt(),
      quit: () => {
        this.beforeQuit();
        this.deps.quit();
      },
    };
  }

  // ---- notifications and flashing ------------------------------------------------------------

  private moveRoomLevels(): void {
    this.levelsMoved = 'moving';
    void migrateRoomLevels(this.deps.settings, this.freshState(), this.deps.client, this.deps.log).then(
      (done) => (this.levelsMoved = done),
      () => (this.levelsMoved = false),
    );
  }

  private closedToTray(): void {
    this.deps.settings.set('closeHintShown', true);
    if (!this.deps.notifier.isSupported()) return;
    const t = this.strings.notify;
    this.deps.notifier.show({ title: t.closedToTrayTitle, body: t.closedToTrayBody, conversationId: null }, () =>
      this.windows.open(),
    );
  }

  private windowChanged(): void {
    // Read markers move only while the user can be looking: window shown AND focused. A window
    // left open behind others must not swallow messages (they would be marked read and never
    // notified). The renderer reports visibility too, but cannot once its window is destroyed.
    void this.deps.client.setVisible(this.windows.isFocused()).catch(() => undefined);
    this.trayView.renderBadge();
  }

  // ---- presence, sleep, network --------------------------------------------------------------

  private async chooseStatus(status: ChosenStatus): Promise<void> {
    this.idle.forgetAway();
    try {
      await this.deps.client.setStatus(status);
    } catch (err) {
      this.deps.log.warn('status change failed', { error: (err as Error).message });
    }
  }

  private wake(reason: WakeReason): void {
    this.deps.log.info('wake: reconnecting now', { reason });
    if (reason === 'resume' || reason === 'clock-jump') this.notices.away.woke();
    this.deps.client.notifyNetworkChange();
  }

  // ---- autostart -----------------------------------------------------------------------------

  private autostartWanted(): boolean {
    if (this.config.autostart.locked) return this.config.autostart.value;
    return this.deps.settings.get('autostart') ?? this.config.autostart.value;
  }

  private syncAutostart(): void {
    const want = this.autostartWanted();
    if (!this.deps.autostartAvailable) return;
    try {
      if (this.deps.autostart.isEnabled() !== want) {
        this.deps.autostart.setEnabled(want);
        this.deps.log.info('autostart changed', { enabled: want });
      }
    } catch (err) {
      this.deps.log.warn('autostart change failed', { error: (err as Error).message });
    }
  }
}
