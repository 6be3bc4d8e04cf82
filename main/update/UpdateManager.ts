import type { Clock } from '../Clock.ts';
import type { Log } from '../log/Log.ts';
import { feedPlatform, updateFeedUrl } from './updateFeedUrl.ts';
import { isChecksumError, type Updater } from './Updater.ts';

/** Where updating stands: what the tray shows. */
export type UpdatePhase = 'off' | 'idle' | 'downloading' | 'ready' | 'refused' | 'failed';

/** The updater's state for the tray menu. */
export interface UpdateStatus {
  phase: UpdatePhase;
  /** The version being downloaded, ready, or refused. */
  version: string | null;
  installOnQuit: boolean;
  /** When the person asked the downloaded version to be installed (epoch ms), if they did. */
  installAt?: number;
}

/** What the update decisions need. */
export interface UpdateManagerDeps {
  updater: Updater;
  clock: Clock;
  log: Log;
  platform: NodeJS.Platform;
  /** The install's id and the person's install-on-quit choice (main/update/UpdatePrefs.ts). */
  prefs: { readonly installId: string; installOnQuit: boolean };
  /** IT's word (main/config): updates on or off, a pinned version; the branch baked in. */
  config(): { enabled: boolean; pin: string | null; branch: string | null };
  /** The hub and the session's token; null while signed out (the hub serves signed-in apps only). */
  access(): { base: string; token: string } | null;
  /** The status changed (the tray menu is drawn again). */
  changed(): void;
  /** The update channel; `stable` unless told. */
  channel?: string;
  /** The first check after start; default 1 minute (the connection settles first). */
  firstCheckMs?: number;
  /** Between checks; default 4 hours. */
  everyMs?: number;
  /** A check skipped while signed out is tried again after this; default 10 minutes. */
  retryMs?: number;
}

const hour = 3600_000;

/**
 * The desktop app's update decisions, free of Electron: checks the hub's feed at start and every
 * 4 hours, downloads a newer version in the background and has it installed when the app quits
 * (unless the person turned that off) or at once when the person picks «Установить и
 * перезапустить». IT's `config.json` rules: `updates: false` leaves only a check that tells the
 * hub which version runs here (nothing downloaded), `updatePin` accepts that one version only
 * (older too). A download that does not match the feed's sha512 is refused: nothing is installed,
 * the tray says so, and the next check tries again.
 */
export class UpdateManager {
  private phase: UpdatePhase = 'idle';
  private version: string | null = null;
  private timer: unknown = null;
  private running = false;
  private stopped = false;
  private installTimer: unknown = null;
  private installAtMs: number | null = null;

  constructor(private readonly deps: UpdateManagerDeps) {}

  /** Schedules the first check and the periodic ones. */
  start(): void {
    this.schedule(this.deps.firstCheckMs ?? 60_000);
  }

  /** Stops checking (quitting). A download under way finishes on its own and is simply not used. */
  stop(): void {
    this.stopped = true;
    this.clearInstallTimer();
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The state the tray shows. */
  status(): UpdateStatus {
    return {
      phase: this.phase,
      version: this.version,
      installOnQuit: this.deps.prefs.installOnQuit,
      installAt: this.installAtMs ?? undefined,
    };
  }

  /** Asks the hub now (the timer's work; tests call it directly). Resolves when the check and any download are over. */
  async check(): Promise<void> {
    if (this.running || this.stopped || this.phase === 'ready') return;
    const { updater, log } = this.deps;
    const platform = feedPlatform(this.deps.platform);
    const access = this.deps.access();
    if (platform === null) return;
    if (access === null) {
      log.info('update check put off: signed out');
      this.schedule(this.deps.retryMs ?? 10 * 60_000);
      return;
    }
    const config = this.deps.config();
    const feed = {
      url: updateFeedUrl({
        hubBase: access.base,
        channel: this.deps.channel ?? 'stable',
        platform,
        branch: config.branch,
        installId: this.deps.prefs.installId,
        version: updater.currentVersion,
        pin: config.pin,
      }),
      headers: { authorization: `Bearer ${access.token}` },
      allowDowngrade: config.pin !== null,
    };
    this.running = true;
    try {
      const offered = await updater.check(feed);
      if (!config.enabled || !updater.supported) {
        // Only told the hub which version runs here.
        this.set('off', null);
        log.info('updates are off here: version reported only', {
          reason: config.enabled ? 'not an installed build' : 'config.json',
          offered: offered?.version ?? null,
        });
        return;
      }
      if (offered === null) return this.set('idle', null);
      if (config.pin !== null && offered.version !== config.pin) {
        log.warn('update not taken: config.json pins another version', { offered: offered.version, pin: config.pin });
        return this.set('idle', null);
      }
      this.set('downloading', offered.version);
      log.info('downloading update', { version: offered.version, from: updater.currentVersion });
      await updater.download();
      if (this.stopped) return;
      updater.setInstallOnQuit(this.deps.prefs.installOnQuit);
      this.set('ready', offered.version);
      log.info('update downloaded and verified', {
        version: offered.version,
        installOnQuit: this.deps.prefs.installOnQuit,
      });
    } catch (err) {
      if (isChecksumError(err)) {
        // electron-updater deleted the file: nothing of it can be installed. The next check tries again.
        this.set('refused', this.version);
        log.warn('update refused: the download does not match the sha512 in the feed', { version: this.version });
      } else {
        this.set('failed', this.version);
        log.warn('update check or download failed', { error: String((err as Error)?.message ?? err).slice(0, 300) });
      }
    } finally {
      this.running = false;
      this.schedule(this.deps.everyMs ?? 4 * hour);
    }
  }

  /** «Установить обновление и перезапустить»: installs the downloaded version now. */
  installNow(): void {
    if (this.phase !== 'ready') return;
    this.deps.log.info('installing update now', { version: this.version });
    this.deps.updater.installNow();
  }

  /**
   * «Установить в 18:00»: installs the downloaded version at the next such hour, local time — a
   * person picks a moment when a restart does not interrupt work. Not kept across restarts: a
   * quit before then installs anyway unless «Установить при выходе» is off.
   */
  installAt(hour: number): void {
    if (this.phase !== 'ready' || !Number.isInteger(hour) || hour < 0 || hour > 23) return;
    this.clearInstallTimer();
    const now = this.deps.clock.now();
    const at = nextLocalHour(now, hour);
    this.installAtMs = at;
    this.installTimer = this.deps.clock.setTimeout(() => {
      this.installTimer = null;
      this.installAtMs = null;
      this.installNow();
    }, at - now);
    this.deps.log.info('update install scheduled', { version: this.version, at: new Date(at).toISOString() });
    this.deps.changed();
  }

  /** Cancels «Установить в …». */
  cancelInstallAt(): void {
    if (this.installAtMs === null) return;
    this.clearInstallTimer();
    this.deps.changed();
  }

  private clearInstallTimer(): void {
    if (this.installTimer !== null) this.deps.clock.clearTimeout(this.installTimer);
    this.installTimer = null;
    this.installAtMs = null;
  }

  /** «Установить при выходе»: whether a downloaded update installs when the app quits (remembered). */
  setInstallOnQuit(on: boolean): void {
    this.deps.prefs.installOnQuit = on;
    if (this.phase === 'ready') this.deps.updater.setInstallOnQuit(on);
    this.deps.changed();
  }

  private set(phase: UpdatePhase, version: string | null): void {
    const changed = phase !== this.phase || version !== this.version;
    this.phase = phase;
    this.version = version;
    if (changed) this.deps.changed();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      void this.check();
    }, ms);
  }
}

/** The next moment (after `now`) the local clock shows `hour`:00. */
export function nextLocalHour(now: number, hour: number): number {
  const d = new Date(now);
  d.setHours(hour, 0, 0, 0);
  if (d.getTime() <= now) d.setDate(d.getDate() + 1);
  return d.getTime();
}
